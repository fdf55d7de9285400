using VMess.Protocol.Addresses;

namespace VMess.ProxyProtocols;

/// <summary>
/// A request a local socks or http inbound accepted. <paramref name="User"/> is the account name the client
/// authenticated with, null when the inbound asks for none. For UDP ASSOCIATE the destination is what the client
/// announced (often 0.0.0.0:0); each datagram names its own.
/// </summary>
public sealed record ProxyRequest(DestinationAddress Destination, ProxyCommand Command, string? User);
