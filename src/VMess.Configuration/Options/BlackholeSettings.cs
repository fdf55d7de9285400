namespace VMess.Configuration.Options;

/// <summary><c>outbounds[i].settings</c> of a blackhole outbound.</summary>
public sealed record BlackholeSettings(BlackholeResponseType Response)
{
    public static BlackholeSettings Default { get; } = new(BlackholeResponseType.None);
}
