namespace VMess.Configuration.Options;

/// <summary>
/// <c>outbounds[i].settings</c> of a freedom outbound. <see cref="UserLevel"/> picks the policy level for the
/// outgoing connection (V2Ray's <c>userLevel</c>, default 0).
/// </summary>
public sealed record FreedomSettings(FreedomDomainStrategy DomainStrategy, FreedomRedirect? Redirect, int UserLevel)
{
    /// <summary>An empty <c>settings</c> object: AsIs, no redirect, level 0 (infra/conf/freedom.go).</summary>
    public static FreedomSettings Default { get; } = new(FreedomDomainStrategy.AsIs, Redirect: null, UserLevel: 0);
}
