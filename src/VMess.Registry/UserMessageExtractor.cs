using Akka.Cluster.Sharding;
using VMess.Registry.Messages;

namespace VMess.Registry;

/// <summary>
/// Routes registry messages by <see cref="IWithUserKey.UserKey"/>. The shard is Akka's stable hash of that key modulo
/// <see cref="RegistrySettings.ShardCount"/>, so every node computes the same shard.
/// </summary>
public sealed class UserMessageExtractor(int shardCount) : HashCodeMessageExtractor(shardCount)
{
    public override string? EntityId(object message) => (message as IWithUserKey)?.UserKey;
}
