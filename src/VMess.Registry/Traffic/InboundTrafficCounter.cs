namespace VMess.Registry.Traffic;

/// <summary>
/// This node's counters of one tagged inbound (<c>inbound&gt;&gt;&gt;TAG&gt;&gt;&gt;traffic&gt;&gt;&gt;uplink</c>):
/// the raw bytes its client connections carried, as V2Ray counts them on the inbound's connections. Node-local, as in V2Ray.
/// </summary>
public sealed class InboundTrafficCounter
{
    private long _uplink;
    private long _downlink;

    internal InboundTrafficCounter(string tag) => Tag = tag;

    public string Tag { get; }

    public long Uplink => Interlocked.Read(ref _uplink);

    public long Downlink => Interlocked.Read(ref _downlink);

    public void Add(TrafficTotals bytes)
    {
        if (bytes.Uplink != 0) Interlocked.Add(ref _uplink, bytes.Uplink);
        if (bytes.Downlink != 0) Interlocked.Add(ref _downlink, bytes.Downlink);
    }

    /// <summary>Zeroes one counter and returns its value before.</summary>
    public long Reset(TrafficDirection direction) =>
        direction == TrafficDirection.Uplink ? Interlocked.Exchange(ref _uplink, 0) : Interlocked.Exchange(ref _downlink, 0);

    public long Read(TrafficDirection direction) => direction == TrafficDirection.Uplink ? Uplink : Downlink;
}
