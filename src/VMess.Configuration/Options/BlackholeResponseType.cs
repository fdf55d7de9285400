namespace VMess.Configuration.Options;

/// <summary>What a blackhole outbound answers before closing (<c>response.type</c>).</summary>
public enum BlackholeResponseType
{
    /// <summary>Close without a word (V2Ray's default).</summary>
    None,

    /// <summary>An HTTP 403 response, then close.</summary>
    Http,
}
