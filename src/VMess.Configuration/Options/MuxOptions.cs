namespace VMess.Configuration.Options;

/// <summary>An outbound's <c>mux</c> object: V2Ray's defaults are off, and 8 sub-connections per connection.</summary>
public sealed record MuxOptions(bool Enabled, int Concurrency)
{
    public static MuxOptions Default { get; } = new(Enabled: false, Concurrency: 8);
}
