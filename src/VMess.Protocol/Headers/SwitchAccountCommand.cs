using VMess.Protocol.Ids;

namespace VMess.Protocol.Headers;

/// <summary>
/// The dynamic-port response command (id 1): the client should use this host, port and account for the next
/// <see cref="ValidMinutes"/> minutes. An empty host means "the server you are talking to".
/// </summary>
public sealed record SwitchAccountCommand(string? Host, ushort Port, VMessUserId Id, ushort AlterIds, byte Level, byte ValidMinutes);
