namespace VMess.Relay;

/// <summary>
/// The node's own limits, each a named setting with a default. V2Ray has no equivalents for most of them (it
/// accepts without bound), so they live beside the V2Ray-style config, not in it.
/// </summary>
/// <param name="MaxConnectionsPerInbound">Open connections one inbound holds; more are closed at accept.</param>
/// <param name="ReadBufferSize">Bytes per socket read while data flows (idle sockets hold no buffer).</param>
/// <param name="ResponseChunkSize">Largest VMess response chunk written; V2Ray writes 2 KiB, its reader takes 64 KiB.</param>
/// <param name="DialTimeout">How long the freedom outbound waits for a TCP connect.</param>
/// <param name="ListenBacklog">Pending connections the kernel queues per inbound.</param>
/// <param name="UdpAssociationIdle">
/// How long a UDP peer of a socks or dokodemo-door inbound keeps its outbound connection without traffic (capped by
/// the level's connIdle). V2Ray drops its UDP route after 4 s; over a VMess outbound that would open a new
/// connection after every pause, so the default is longer. The next datagram after it opens a new one.
/// </param>
/// <param name="RequestChunkSize">Largest VMess request chunk the VMess outbound writes.</param>
/// <param name="MuxMaxSessions">
/// Sessions one Mux.Cool connection may hold open at once; a New frame beyond them is answered with End. V2Ray's
/// server has no bound; its client opens at most <c>concurrency</c> (1–1024) at once and 128 per connection.
/// </param>
/// <param name="MuxSessionBufferBytes">
/// Client data one Mux.Cool session may have waiting for its target. Mux.Cool has no flow control: V2Ray stops
/// reading the whole connection while one session's 512 KiB pipe is full, for as long as it stays full. Here the
/// connection waits at most <paramref name="MuxSessionStallTimeout"/>, then that session alone is ended (End with the
/// error option) and the others go on. (Ending it at once would end healthy sessions: a client fills megabytes
/// while a new session's target is still being dialled.)
/// </param>
/// <param name="MuxSessionDownlinkBytes">
/// A Mux.Cool session's target reply waiting for the shared connection; past it that target is no longer read
/// until the connection catches up.
/// </param>
/// <param name="MuxSessionStallTimeout">How long a Mux.Cool connection waits for a full session to make room (see above).</param>
public sealed record RelayLimits(
    int MaxConnectionsPerInbound = 100_000,
    int ReadBufferSize = 64 * 1024,
    int ResponseChunkSize = 16 * 1024,
    TimeSpan? DialTimeout = null,
    int ListenBacklog = 1024,
    TimeSpan? UdpAssociationIdle = null,
    int RequestChunkSize = 16 * 1024,
    int MuxMaxSessions = 1024,
    int MuxSessionBufferBytes = 2 * 1024 * 1024,
    int MuxSessionDownlinkBytes = 256 * 1024,
    TimeSpan? MuxSessionStallTimeout = null)
{
    public static RelayLimits Default { get; } = new();

    public TimeSpan EffectiveDialTimeout => DialTimeout ?? TimeSpan.FromSeconds(10);

    public TimeSpan EffectiveMuxSessionStallTimeout => MuxSessionStallTimeout ?? TimeSpan.FromSeconds(3);

    /// <summary>The queues of one Mux.Cool session, on either side of a mux connection.</summary>
    public Streams.Stages.MuxSessionPortSettings MuxSessionPorts => new(MuxSessionBufferBytes, MuxSessionDownlinkBytes);

    public TimeSpan EffectiveUdpAssociationIdle => UdpAssociationIdle ?? TimeSpan.FromSeconds(60);
}
