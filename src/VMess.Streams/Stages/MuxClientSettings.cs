using System.Buffers;
using VMess.Streams.Mux;

namespace VMess.Streams.Stages;

/// <summary>
/// One client-side Mux.Cool connection's settings: V2Ray 4.34's strategy (<paramref name="MaxConcurrency"/> sessions
/// at once, <paramref name="MaxSessions"/> in its lifetime; 128 in V2Ray), its idle tick (a tick with no session
/// closes it; 16 s in V2Ray), how long a session whose local reader takes nothing may hold the connection back
/// (<paramref name="SessionStallTimeout"/>), and who hears of such a session being ended (<paramref name="Overflowed"/>,
/// called on the stream thread).
/// </summary>
public sealed record MuxClientSettings(
    ArrayPool<byte> Pool,
    TimeProvider Clock,
    int MaxConcurrency,
    TimeSpan SessionStallTimeout,
    int MaxSessions = MuxClientSettings.V2RayMaxSessions,
    TimeSpan? IdleTick = null,
    Action<MuxSessionRequest, long>? Overflowed = null)
{
    /// <summary>V2Ray's client takes this many sessions over one connection's lifetime.</summary>
    public const int V2RayMaxSessions = 128;

    /// <summary>V2Ray's client closes a connection that holds no session at one of these ticks.</summary>
    public static readonly TimeSpan V2RayIdleTick = TimeSpan.FromSeconds(16);

    public TimeSpan EffectiveIdleTick => IdleTick ?? V2RayIdleTick;
}
