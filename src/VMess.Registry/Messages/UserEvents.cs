using VMess.Protocol.Ids;

namespace VMess.Registry.Messages;

public sealed record UserUpserted(VMessUserId Id, ushort AlterId, byte Level, string? Email) : IUserRegistryEvent
{
    public string UserKey => Registry.UserKey.For(Id, Email);
}

public sealed record UserRemoved(string UserKey) : IUserRegistryEvent;

public sealed record UserEnabled(string UserKey) : IUserRegistryEvent;

public sealed record UserDisabled(string UserKey) : IUserRegistryEvent;
