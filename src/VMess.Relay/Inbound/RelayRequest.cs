using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;

namespace VMess.Relay.Inbound;

/// <summary>
/// What an inbound asks the outbound for, whatever its protocol: a destination, TCP or UDP, and whose traffic it is
/// (<paramref name="Email"/> names a VMess user or a proxy account; <paramref name="Level"/> picks the policy).
/// </summary>
public sealed record RelayRequest(DestinationAddress Destination, RequestCommand Command, string? Email, byte Level)
{
    public override string ToString() => $"{(Command == RequestCommand.Udp ? "udp" : "tcp")}:{Destination}";
}
