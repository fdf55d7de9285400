using Akka.Actor;
using Akka.Serialization;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Replay;

namespace VMess.Registry.Serialization;

/// <summary>
/// Binary serializer for every <see cref="IUserRegistryMessage"/>: messages between nodes, the DData bucket values and
/// the journal's events. Manifests are short and fixed; never reuse one for a different shape (the journal keeps them).
/// </summary>
public sealed partial class RegistrySerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int SerializerId = 4107;

    private const string UserRecordManifest = "ur";
    private const string UpsertUserManifest = "cu";
    private const string RemoveUserManifest = "cr";
    private const string EnableUserManifest = "ce";
    private const string DisableUserManifest = "cd";
    private const string CommandResultManifest = "rc";
    private const string GetUserManifest = "qg";
    private const string GetUserResultManifest = "rg";
    private const string UserUpsertedManifest = "eu";
    private const string UserRemovedManifest = "er";
    private const string UserEnabledManifest = "ee";
    private const string UserDisabledManifest = "ed";
    private const string SeenAuthIdsManifest = "xa";

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        UserRecord => UserRecordManifest,
        UpsertUser => UpsertUserManifest,
        RemoveUser => RemoveUserManifest,
        EnableUser => EnableUserManifest,
        DisableUser => DisableUserManifest,
        UserCommandResult => CommandResultManifest,
        GetUser => GetUserManifest,
        GetUserResult => GetUserResultManifest,
        UserUpserted => UserUpsertedManifest,
        UserRemoved => UserRemovedManifest,
        UserEnabled => UserEnabledManifest,
        UserDisabled => UserDisabledManifest,
        SeenAuthIds => SeenAuthIdsManifest,
        _ => TrafficManifest(o) ?? throw new ArgumentException($"RegistrySerializer cannot serialize {o.GetType()}.", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        // Already packed: the array is the whole payload, and sent to every node as it is.
        if (obj is SeenAuthIds seen) return seen.Packed;
        using var stream = new MemoryStream(64);
        using (var writer = new BinaryWriter(stream))
        {
            switch (obj)
            {
                case UserRecord r: WriteRecord(writer, r); break;
                case UpsertUser c: WriteAccount(writer, c.Id, c.AlterId, c.Level, c.Email); break;
                case RemoveUser c: writer.Write(c.UserKey); break;
                case EnableUser c: writer.Write(c.UserKey); break;
                case DisableUser c: writer.Write(c.UserKey); break;
                case UserCommandResult r: writer.Write(r.UserKey); writer.Write((byte)r.Outcome); break;
                case GetUser q: writer.Write(q.UserKey); break;
                case GetUserResult r:
                    writer.Write(r.UserKey);
                    writer.Write(r.User is not null);
                    if (r.User is not null) WriteRecord(writer, r.User);
                    break;
                case UserUpserted e: WriteAccount(writer, e.Id, e.AlterId, e.Level, e.Email); break;
                case UserRemoved e: writer.Write(e.UserKey); break;
                case UserEnabled e: writer.Write(e.UserKey); break;
                case UserDisabled e: writer.Write(e.UserKey); break;
                default:
                    if (WriteTraffic(writer, obj)) break;
                    throw new ArgumentException($"RegistrySerializer cannot serialize {obj.GetType()}.", nameof(obj));
            }
        }
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == SeenAuthIdsManifest)
        {
            return bytes.Length % SeenAuthIds.EntrySize == 0
                ? new SeenAuthIds(bytes)
                : throw new System.Runtime.Serialization.SerializationException(
                    $"Auth id batch of {bytes.Length} bytes is not a whole number of {SeenAuthIds.EntrySize}-byte entries.");
        }
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        return manifest switch
        {
            UserRecordManifest => ReadRecord(reader),
            UpsertUserManifest => ReadAccount(reader, (id, alterId, level, email) => new UpsertUser(id, alterId, level, email)),
            RemoveUserManifest => new RemoveUser(reader.ReadString()),
            EnableUserManifest => new EnableUser(reader.ReadString()),
            DisableUserManifest => new DisableUser(reader.ReadString()),
            CommandResultManifest => new UserCommandResult(reader.ReadString(), (UserCommandOutcome)reader.ReadByte()),
            GetUserManifest => new GetUser(reader.ReadString()),
            GetUserResultManifest => new GetUserResult(reader.ReadString(), reader.ReadBoolean() ? ReadRecord(reader) : null),
            UserUpsertedManifest => ReadAccount(reader, (id, alterId, level, email) => new UserUpserted(id, alterId, level, email)),
            UserRemovedManifest => new UserRemoved(reader.ReadString()),
            UserEnabledManifest => new UserEnabled(reader.ReadString()),
            UserDisabledManifest => new UserDisabled(reader.ReadString()),
            _ => ReadTraffic(reader, manifest) ?? throw new System.Runtime.Serialization.SerializationException($"Unknown registry manifest '{manifest}'."),
        };
    }

    private static void WriteRecord(BinaryWriter writer, UserRecord r)
    {
        WriteAccount(writer, r.Id, r.AlterId, r.Level, r.Email);
        writer.Write(r.Enabled);
        writer.Write(r.Version);
        writer.Write(r.WrittenAt);
    }

    // WrittenAt came later: a record from a node without it reads as 0 (unknown). Inside a snapshot, which came later
    // still, it is always there (and more follows it).
    private static UserRecord ReadRecord(BinaryReader reader, bool withWrittenAt = false) =>
        ReadAccount(reader, (id, alterId, level, email) => new UserRecord(id, alterId, level, email, reader.ReadBoolean(), reader.ReadInt64(),
            withWrittenAt || reader.BaseStream.Position < reader.BaseStream.Length ? reader.ReadInt64() : 0));

    private static void WriteAccount(BinaryWriter writer, VMessUserId id, ushort alterId, byte level, string? email)
    {
        Span<byte> idBytes = stackalloc byte[VMessUserId.Size];
        id.WriteBytes(idBytes);
        writer.Write(idBytes);
        writer.Write(alterId);
        writer.Write(level);
        writer.Write(email is not null);
        if (email is not null) writer.Write(email);
    }

    private static T ReadAccount<T>(BinaryReader reader, Func<VMessUserId, ushort, byte, string?, T> create)
    {
        var id = VMessUserId.FromBytes(reader.ReadBytes(VMessUserId.Size));
        var alterId = reader.ReadUInt16();
        var level = reader.ReadByte();
        var email = reader.ReadBoolean() ? reader.ReadString() : null;
        return create(id, alterId, level, email);
    }
}
