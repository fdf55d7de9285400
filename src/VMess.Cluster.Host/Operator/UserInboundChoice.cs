using Grpc.Core;
using VMess.Api.Cluster;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// Which of the node's VMess inbounds a command means: <c>--tag</c>, else the config's first that serves the registry's
/// users (<c>-c FILE</c>), else the node's first (UserService.ListInbounds). V2Ray's AlterInbound needs a tag; here any
/// such inbound will do, since a user added through one is served by every such inbound of every node.
/// </summary>
internal static class UserInboundChoice
{
    /// <summary>The node's inbounds that serve the registry's users; null when it serves no UserService.</summary>
    public static async Task<IReadOnlyList<Inbound>?> ListAsync(ApiSession session)
    {
        try
        {
            return (await session.CallAsync("UserService.ListInbounds", options => session.Users.ListInboundsAsync(new ListInboundsRequest(), options))).Inbounds;
        }
        catch (ApiCallException e) when (e.Status == StatusCode.Unimplemented)
        {
            return null;
        }
    }

    public static string Tag(string? tag, ApiConnectionOptions connection, IReadOnlyList<Inbound>? inbounds, string command) =>
        tag ?? connection.ConfigUserInboundTag ?? inbounds?.FirstOrDefault(i => i.Tag.Length > 0)?.Tag
        ?? throw new UsageException($"{command} needs --tag INBOUND_TAG, the VMess inbound that takes the user (neither -c FILE nor the node named one)");

    /// <summary>The inbound a share link points at: the one tagged <paramref name="tag"/>, else the first.</summary>
    public static Inbound? Find(IReadOnlyList<Inbound>? inbounds, string? tag) =>
        tag is null ? inbounds?.FirstOrDefault() : inbounds?.FirstOrDefault(i => i.Tag == tag);
}
