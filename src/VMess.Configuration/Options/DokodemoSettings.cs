namespace VMess.Configuration.Options;

/// <summary>
/// <c>inbounds[i].settings</c> of a dokodemo-door inbound: every connection (and every UDP source) goes to
/// <see cref="Address"/>:<see cref="Port"/>, over the networks in <see cref="Network"/>. <see cref="Timeout"/> is the
/// idle timeout of V2Ray's <c>timeout</c> (zero: the level's connIdle).
/// </summary>
public sealed record DokodemoSettings(
    string Address,
    int Port,
    DokodemoNetwork Network,
    TimeSpan Timeout,
    byte UserLevel);

[Flags]
public enum DokodemoNetwork
{
    Tcp = 1,
    Udp = 2,
}
