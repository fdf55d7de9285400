namespace VMess.Registry.Traffic;

/// <summary>Bytes each way, in V2Ray's terms: uplink is client to target, downlink target to client.</summary>
public readonly record struct TrafficTotals(long Uplink, long Downlink)
{
    public bool IsZero => Uplink == 0 && Downlink == 0;

    public static TrafficTotals operator +(TrafficTotals a, TrafficTotals b) => new(a.Uplink + b.Uplink, a.Downlink + b.Downlink);

    public static TrafficTotals operator -(TrafficTotals a, TrafficTotals b) => new(a.Uplink - b.Uplink, a.Downlink - b.Downlink);
}
