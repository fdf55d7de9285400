using Google.Protobuf;
using V2Ray.Core.App.Proxyman.Command;
using V2Ray.Core.Common.Protocol;
using V2Ray.Core.Common.Serial;
using VMessAccount = V2Ray.Core.Proxy.Vmess.Account;

namespace VMess.Api.Tests.Support;

/// <summary>AlterInbound requests built with V2Ray's own generated messages, as V2Ray's tools build them (serial.ToTypedMessage).</summary>
internal static class V2RayRequests
{
    public static AlterInboundRequest AddUser(string tag, string email, string id, uint alterId = 0, uint level = 0) => new()
    {
        Tag = tag,
        Operation = Typed(new AddUserOperation
        {
            User = new User
            {
                Email = email,
                Level = level,
                Account = Typed(new VMessAccount
                {
                    Id = id,
                    AlterId = alterId,
                    SecuritySettings = new SecurityConfig { Type = SecurityType.Auto },
                }),
            },
        }),
    };

    public static AlterInboundRequest RemoveUser(string tag, string email) => new()
    {
        Tag = tag,
        Operation = Typed(new RemoveUserOperation { Email = email }),
    };

    /// <summary>A message as a TypedMessage: its full proto name and its bytes.</summary>
    public static TypedMessage Typed(IMessage message) => new()
    {
        Type = message.Descriptor.FullName,
        Value = message.ToByteString(),
    };
}
