namespace VMess.Registry.Traffic;

/// <summary>V2Ray's two counters per subject: uplink (client to target) and downlink (target to client).</summary>
public enum TrafficDirection : byte
{
    Uplink = 1,
    Downlink = 2,
}
