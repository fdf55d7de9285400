namespace VMess.Configuration.Json;

/// <summary><c>policy</c> (infra/conf/policy.go, <c>PolicyConfig</c>). Level keys are decimal strings.</summary>
internal sealed class PolicyJson
{
    public Dictionary<string, LevelPolicyJson?>? Levels { get; set; }

    public SystemPolicyJson? System { get; set; }
}
