using Google.Protobuf;
using Grpc.Core;
using VMess.Api.Handler;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Api.V2Ray.Common.Protocol;
using VMess.Api.V2Ray.Common.Serial;
using VMess.Api.V2Ray.Proxy.VMess;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;

namespace VMess.Api.Tests.Handler;

public sealed class UserOperationsTests
{
    private const string Id = "66ad4540-b58c-4ad2-9926-ea63445a9b57";

    private static TypedMessage Typed(IMessage message) => new() { Type = message.Descriptor.FullName, Value = message.ToByteString() };

    private static AddUserOperation AddUser(string email = "Alice@Example.com", string id = Id, uint alterId = 4, uint level = 1) => new()
    {
        User = new User { Email = email, Level = level, Account = Typed(new Account { Id = id, AlterId = alterId }) },
    };

    private static RpcException Refused(Action action)
    {
        var error = Assert.Throws<RpcException>(action);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error;
    }

    [Fact]
    public void Parse_should_read_an_AddUserOperation_by_its_V2Ray_type_name()
    {
        var operation = UserOperations.Parse(Typed(AddUser()));

        Assert.Equal(AddUser(), operation);
        Assert.Equal("v2ray.core.app.proxyman.command.AddUserOperation", UserOperations.AddUserType);
    }

    [Fact]
    public void Parse_should_refuse_a_missing_operation()
    {
        Assert.StartsWith("AlterInbound needs an operation", Refused(() => UserOperations.Parse(null)).Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_should_refuse_bytes_that_are_not_the_named_message()
    {
        var garbage = new TypedMessage { Type = UserOperations.AddUserType, Value = ByteString.CopyFrom(0xff, 0xff, 0xff) };

        Assert.Contains("is not a valid encoding", Refused(() => UserOperations.Parse(garbage)).Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCommand_should_upsert_the_accounts_id_alterId_level_and_email()
    {
        Assert.Equal(new UpsertUser(VMessUserId.Parse(Id), 4, 1, "Alice@Example.com"), UserOperations.ToCommand(AddUser()));
    }

    [Fact]
    public void ToCommand_should_key_a_user_without_email_by_its_id()
    {
        var command = UserOperations.ToCommand(AddUser(email: ""));

        Assert.Null(command.Email);
        Assert.Equal(Id, command.UserKey);
    }

    [Fact]
    public void ToCommand_should_refuse_a_user_without_an_account()
    {
        var operation = new AddUserOperation { User = new User { Email = "a@b" } };

        Assert.StartsWith("user 'a@b' has no account", Refused(() => UserOperations.ToCommand(operation)).Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ToCommand_should_refuse_an_account_of_another_protocol()
    {
        var operation = AddUser();
        operation.User.Account.Type = "v2ray.core.proxy.vless.Account";

        Assert.Equal("user 'Alice@Example.com': account type 'v2ray.core.proxy.vless.Account' is not a VMess account (v2ray.core.proxy.vmess.Account)",
            Refused(() => UserOperations.ToCommand(operation)).Status.Detail);
    }

    [Fact]
    public void ToCommand_should_refuse_an_alter_id_above_65535()
    {
        Assert.Contains("alter_id 65536 is out of range", Refused(() => UserOperations.ToCommand(AddUser(alterId: 65536))).Status.Detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public void ToCommand_should_refuse_a_level_above_255()
    {
        Assert.Contains("level 256 is out of range", Refused(() => UserOperations.ToCommand(AddUser(level: 256))).Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("66ad4540b58c4ad29926ea63445a9b57")]
    [InlineData("{66ad4540-b58c-4ad2-9926-ea63445a9b57}")]
    [InlineData("")]
    public void ToCommand_should_refuse_an_id_that_is_not_a_36_character_uuid(string id)
    {
        Refused(() => UserOperations.ToCommand(AddUser(id: id)));
    }

    [Fact]
    public void ToCommand_should_remove_by_the_lower_cased_email()
    {
        Assert.Equal(new RemoveUser("alice@example.com"), UserOperations.ToCommand(new RemoveUserOperation { Email = "Alice@Example.com" }));
    }

    [Fact]
    public void ToCommand_should_refuse_a_removal_without_an_email()
    {
        Refused(() => UserOperations.ToCommand(new RemoveUserOperation()));
    }
}
