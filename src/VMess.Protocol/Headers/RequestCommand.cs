namespace VMess.Protocol.Headers;

public enum RequestCommand : byte
{
    Tcp = 1,
    Udp = 2,
    /// <summary>Mux.Cool; the header then carries no address and the destination is v1.mux.cool.</summary>
    Mux = 3,
}
