using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using VMess.Registry.Online;

namespace VMess.Registry.Serialization;

/// <summary>
/// Binary serializer for <see cref="OnlineUser"/>, the value of each node's online map in DData: the name, the
/// connection count and each source IP with its count, then (for a user with connection limits) the open times the
/// limits are weighed by; an entry from a node without them ends before. Never persisted; the manifest is still fixed.
/// </summary>
public sealed class OnlineSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4117;

    /// <summary>A user's source IPs per node, at most: more than any honest client has, and a bound on a bad message.</summary>
    public const int MaxSourceIps = 1 << 16;

    private const string OnlineUserManifest = "ou";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o is OnlineUser
        ? OnlineUserManifest
        : throw new ArgumentException($"OnlineSerializer cannot serialize {o.GetType()}.", nameof(o));

    public override byte[] ToBinary(object obj)
    {
        if (obj is not OnlineUser user) throw new ArgumentException($"OnlineSerializer cannot serialize {obj.GetType()}.", nameof(obj));
        using var stream = new MemoryStream(32 + 24 * user.SourceIps.Count);
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(user.Email);
            writer.Write7BitEncodedInt(user.Connections);
            writer.Write7BitEncodedInt(user.SourceIps.Count);
            foreach (var (ip, count) in user.SourceIps)
            {
                writer.Write(ip);
                writer.Write7BitEncodedInt(count);
            }
            if (user.OldestOpenedAt.Count > 0 || user.FirstOpenedAtByIp.Count > 0) WriteLimitFacts(writer, user);
        }
        return stream.ToArray();
    }

    private static void WriteLimitFacts(BinaryWriter writer, OnlineUser user)
    {
        writer.Write7BitEncodedInt(user.OldestOpenedAt.Count);
        foreach (var openedAt in user.OldestOpenedAt) writer.Write(openedAt);
        writer.Write7BitEncodedInt(user.FirstOpenedAtByIp.Count);
        foreach (var (ip, openedAt) in user.FirstOpenedAtByIp)
        {
            writer.Write(ip);
            writer.Write(openedAt);
        }
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest != OnlineUserManifest) throw new SerializationException($"Unknown online manifest '{manifest}'.");
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        try
        {
            var email = reader.ReadString();
            var connections = reader.Read7BitEncodedInt();
            var ipCount = reader.Read7BitEncodedInt();
            if (connections < 0 || ipCount is < 0 or > MaxSourceIps)
                throw new SerializationException($"Online entry of {email} has {connections} connection(s) from {ipCount} IP(s).");
            var sourceIps = new Dictionary<string, int>(ipCount, StringComparer.Ordinal);
            for (var i = 0; i < ipCount; i++) sourceIps[reader.ReadString()] = reader.Read7BitEncodedInt();
            var user = new OnlineUser(email, connections, sourceIps);
            if (reader.BaseStream.Position >= reader.BaseStream.Length) return user;
            var openedCount = reader.Read7BitEncodedInt();
            if (openedCount < 0 || openedCount > connections)
                throw new SerializationException($"Online entry of {email} has {openedCount} open time(s) for {connections} connection(s).");
            var oldest = new long[openedCount];
            for (var i = 0; i < openedCount; i++) oldest[i] = reader.ReadInt64();
            var firstIpCount = reader.Read7BitEncodedInt();
            if (firstIpCount < 0 || firstIpCount > ipCount)
                throw new SerializationException($"Online entry of {email} has {firstIpCount} first-seen IP(s) of {ipCount}.");
            var firstByIp = new Dictionary<string, long>(firstIpCount, StringComparer.Ordinal);
            for (var i = 0; i < firstIpCount; i++) firstByIp[reader.ReadString()] = reader.ReadInt64();
            return user with { OldestOpenedAt = oldest, FirstOpenedAtByIp = firstByIp };
        }
        catch (EndOfStreamException e)
        {
            throw new SerializationException($"Online entry of {bytes.Length} bytes is truncated.", e);
        }
    }
}
