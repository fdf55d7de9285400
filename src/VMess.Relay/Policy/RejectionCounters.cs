using System.Collections.Immutable;
using VMess.Protocol;

namespace VMess.Relay.Policy;

/// <summary>Why connections were refused, counted per cause for one node (read by stats and tests).</summary>
public sealed class RejectionCounters
{
    private readonly long[] _byDecodeError = new long[Enum.GetValues<DecodeError>().Length];
    private readonly long[] _byCause = new long[Enum.GetValues<RejectionCause>().Length];

    public void Count(DecodeError error) => Interlocked.Increment(ref _byDecodeError[(int)error]);

    public void Count(RejectionCause cause) => Interlocked.Increment(ref _byCause[(int)cause]);

    public long this[DecodeError error] => Volatile.Read(ref _byDecodeError[(int)error]);

    public long this[RejectionCause cause] => Volatile.Read(ref _byCause[(int)cause]);

    /// <summary>Every non-zero counter, keyed by the cause's name.</summary>
    public ImmutableSortedDictionary<string, long> Snapshot()
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        foreach (var error in Enum.GetValues<DecodeError>())
        {
            if (this[error] > 0) builder[error.ToString()] = this[error];
        }
        foreach (var cause in Enum.GetValues<RejectionCause>())
        {
            if (this[cause] > 0) builder[cause.ToString()] = this[cause];
        }
        return builder.ToImmutable();
    }
}

/// <summary>Refusals that are not a codec error.</summary>
public enum RejectionCause
{
    ClosedBeforeHandshake,
    HandshakeTimeout,
    InsecureEncryption,
    TooManyConnections,
    DialFailed,
    Blackholed,

    /// <summary>A socks or http request that was malformed, unsupported or failed its authentication.</summary>
    ProxyRequestRefused,

    /// <summary>The VMess outbound's server closed or answered wrongly instead of responding (wrong id, clock off).</summary>
    OutboundServerRefused,

    /// <summary>A new UDP peer beyond the inbound's association limit.</summary>
    TooManyUdpAssociations,

    /// <summary>A Mux.Cool New frame beyond the connection's session limit.</summary>
    TooManyMuxSessions,

    /// <summary>A Mux.Cool session ended because its target did not take the client's data fast enough.</summary>
    MuxSessionOverflow,
}
