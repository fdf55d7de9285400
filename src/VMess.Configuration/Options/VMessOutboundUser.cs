using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Options;

/// <summary>
/// One user of a <c>vnext</c> server. <see cref="Security"/> is as configured (<c>auto</c> is resolved by the client
/// as V2Ray does; absent means auto); alterId 0 makes the client send AEAD headers, anything else legacy ones.
/// </summary>
public sealed record VMessOutboundUser(VMessUserId Id, ushort AlterId, SecurityType Security, byte Level, string? Email);
