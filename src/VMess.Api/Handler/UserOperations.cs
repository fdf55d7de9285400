using Google.Protobuf;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Api.V2Ray.Common.Serial;
using VMess.Api.V2Ray.Proxy.VMess;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;

namespace VMess.Api.Handler;

/// <summary>
/// AlterInbound's operation (a TypedMessage, as in V2Ray's proxyman command) → the registry command it asks for.
/// Bad input is an INVALID_ARGUMENT that says what is wrong; nothing here talks to the registry.
/// </summary>
internal static class UserOperations
{
    public static readonly string AddUserType = AddUserOperation.Descriptor.FullName;
    public static readonly string RemoveUserType = RemoveUserOperation.Descriptor.FullName;
    public static readonly string VMessAccountType = Account.Descriptor.FullName;

    /// <summary>The operation's message: an <see cref="AddUserOperation"/> or a <see cref="RemoveUserOperation"/>.</summary>
    public static IMessage Parse(TypedMessage? operation)
    {
        if (operation is null || operation.Type.Length == 0)
        {
            throw ApiStatus.InvalidArgument($"AlterInbound needs an operation: a TypedMessage of type {AddUserType} or {RemoveUserType}");
        }
        if (operation.Type == AddUserType) return Decode(AddUserOperation.Parser, operation);
        if (operation.Type == RemoveUserType) return Decode(RemoveUserOperation.Parser, operation);
        throw ApiStatus.InvalidArgument($"unknown inbound operation '{operation.Type}'; expected {AddUserType} or {RemoveUserType}");
    }

    /// <summary>V2Ray's AddUserOperation with a VMess account → an upsert into the registry.</summary>
    public static UpsertUser ToCommand(AddUserOperation operation)
    {
        var user = operation.User ?? throw ApiStatus.InvalidArgument("AddUserOperation has no user");
        if (user.Account is not { } typed)
        {
            throw ApiStatus.InvalidArgument($"user '{user.Email}' has no account: give a TypedMessage of type {VMessAccountType}");
        }
        if (typed.Type != VMessAccountType)
        {
            throw ApiStatus.InvalidArgument($"user '{user.Email}': account type '{typed.Type}' is not a VMess account ({VMessAccountType})");
        }
        var account = Decode(Account.Parser, typed);
        if (!VMessUserId.TryParse(account.Id, out var id))
        {
            throw ApiStatus.InvalidArgument($"user '{user.Email}': id '{account.Id}' is not a UUID (36 characters, e.g. 66ad4540-b58c-4ad2-9926-ea63445a9b57)");
        }
        if (account.AlterId > ushort.MaxValue)
        {
            throw ApiStatus.InvalidArgument($"user '{user.Email}': alter_id {account.AlterId} is out of range 0..{ushort.MaxValue}");
        }
        if (user.Level > byte.MaxValue)
        {
            throw ApiStatus.InvalidArgument($"user '{user.Email}': level {user.Level} is out of range 0..{byte.MaxValue}");
        }
        // security_settings only matter to a client (V2Ray's account.proto says so); a server takes what the request names.
        return new UpsertUser(id, (ushort)account.AlterId, (byte)user.Level, user.Email.Length == 0 ? null : user.Email);
    }

    /// <summary>V2Ray's RemoveUserOperation (by email) → the registry's removal of that user.</summary>
    public static RemoveUser ToCommand(RemoveUserOperation operation) =>
        operation.Email.Length == 0
            ? throw ApiStatus.InvalidArgument("RemoveUserOperation needs the user's email")
            : new RemoveUser(UserKey.ForEmail(operation.Email));

    private static T Decode<T>(MessageParser<T> parser, TypedMessage message) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(message.Value);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ApiStatus.InvalidArgument($"the {message.Type} in the request is not a valid encoding: {e.Message}");
        }
    }
}
