using Akka.Cluster;
using Akka.DistributedData;

namespace VMess.Registry.Online;

/// <summary>
/// Each node incarnation writes its live connections under a DData key of its own, <c>online-{host}:{port}#{uid}</c>:
/// one writer per key, so last-writer-wins never drops another node's entry, and a node that leaves takes exactly its
/// key with it (deleted by the others when it is removed). A restarted node has a new uid and so a fresh key.
/// </summary>
public static class OnlineKeys
{
    public const string KeyPrefix = "online-";

    public static LWWDictionaryKey<string, OnlineUser> For(UniqueAddress member) =>
        new($"{KeyPrefix}{member.Address.Host}:{member.Address.Port}#{member.Uid}");
}
