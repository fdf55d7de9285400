namespace VMess.Protocol.Addresses;

/// <summary>The address-type byte shared by the VMess request header and Mux.Cool frames.</summary>
public enum AddressType : byte
{
    IPv4 = 1,
    Domain = 2,
    IPv6 = 3,
}
