using VMess.Configuration.Options;
using VMess.Relay;

namespace VMess.Api.Handler;

/// <summary>
/// The inbound tags AlterInbound takes: those of the VMess inbounds that serve the cluster registry's users
/// (<see cref="RelayNode.RegistryInbounds"/>). V2Ray fails for a tag it does not know; so does this, and also for an
/// inbound that cannot take users from the registry, saying why. A user added through any of them is served by every
/// such inbound of every node.
/// </summary>
internal sealed class UserInbounds
{
    private readonly NodeOptions _node;
    private readonly HashSet<string> _tags;

    public UserInbounds(NodeOptions node)
    {
        _node = node;
        _tags = RelayNode.RegistryInbounds(node).Select(i => i.Tag).OfType<string>().ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Throws the status that says why <paramref name="tag"/> cannot take users; returns when it can.</summary>
    public void Require(string tag)
    {
        if (_tags.Contains(tag)) return;
        if (tag.Length == 0)
        {
            throw ApiStatus.InvalidArgument($"AlterInbound needs the tag of a VMess inbound that serves the cluster's users ({Choices()})");
        }
        if (_node.Api?.InboundTag == tag)
        {
            throw ApiStatus.FailedPrecondition($"inbound '{tag}' is the API's own inbound; users go to a VMess inbound ({Choices()})");
        }
        if (_node.Inbounds.FirstOrDefault(i => i.Tag == tag) is not { } inbound)
        {
            throw ApiStatus.NotFound($"no inbound has the tag '{tag}' ({Choices()})");
        }
        throw ApiStatus.FailedPrecondition(inbound.Protocol == InboundProtocol.VMess
            ? $"inbound '{tag}' is a detour target: its users come from the inbounds that detour to it, not from the cluster registry ({Choices()})"
            : $"inbound '{tag}' is a {inbound.Protocol.ToConfigName()} inbound; users go to a VMess inbound ({Choices()})");
    }

    private string Choices() => _tags.Count == 0
        ? "this node has none"
        : "this node's: " + string.Join(", ", _tags.Order(StringComparer.Ordinal).Select(t => $"'{t}'"));
}
