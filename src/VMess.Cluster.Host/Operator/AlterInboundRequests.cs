using Google.Protobuf;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Api.V2Ray.Common.Protocol;
using VMess.Api.V2Ray.Common.Serial;
using VMess.Api.V2Ray.Proxy.VMess;
using VMess.Protocol.Ids;

namespace VMess.Cluster.Host.Operator;

/// <summary>HandlerService.AlterInbound's requests in V2Ray's wire shape: the operation and the VMess account as TypedMessages.</summary>
internal static class AlterInboundRequests
{
    public static AlterInboundRequest AddUser(string tag, string email, VMessUserId id, int alterId, int level) => new()
    {
        Tag = tag,
        Operation = Typed(new AddUserOperation
        {
            User = new User
            {
                Email = email,
                Level = (uint)level,
                Account = Typed(new Account { Id = id.ToString(), AlterId = (uint)alterId }),
            },
        }),
    };

    public static AlterInboundRequest RemoveUser(string tag, string email) => new()
    {
        Tag = tag,
        Operation = Typed(new RemoveUserOperation { Email = email }),
    };

    /// <summary>As V2Ray's serial.ToTypedMessage: the message's full proto name and its bytes.</summary>
    private static TypedMessage Typed(IMessage message) => new() { Type = message.Descriptor.FullName, Value = message.ToByteString() };
}
