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
    private const string SetUserLimitsManifest = "cl";
    private const string UserLimitsSetManifest = "el";

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
        SetUserLimits => SetUserLimitsManifest,
        UserLimitsSet => UserLimitsSetManifest,
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
                case SetUserLimits c: writer.Write(c.UserKey); WriteLimits(writer, c.Limits); break;
                case UserLimitsSet e: writer.Write(e.UserKey); WriteLimits(writer, e.Limits); break;
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
            SetUserLimitsManifest => new SetUserLimits(reader.ReadString(), ReadLimits(reader)),
            UserLimitsSetManifest => new UserLimitsSet(reader.ReadString(), ReadLimits(reader)),
            _ => ReadTraffic(reader, manifest) ?? throw new System.Runtime.Serialization.SerializationException($"Unknown registry manifest '{manifest}'."),
        };
    }

    private static void WriteRecord(BinaryWriter writer, UserRecord r)
    {
        WriteAccount(writer, r.Id, r.AlterId, r.Level, r.Email);
        writer.Write(r.Enabled);
        writer.Write(r.Version);
        writer.Write(r.WrittenAt);
        WriteLimits(writer, r.Limits);
        writer.Write((byte)r.Suspension);
    }

    /// <summary>Which of the later parts a record has: WrittenAt came after the first shape, the limits after that.</summary>
    private enum RecordTail
    {
        /// <summary>The record ends its payload: whatever parts follow the first shape are there (older nodes write fewer).</summary>
        ToEnd,

        /// <summary>Inside a first-shape snapshot ("su"): WrittenAt, then the traffic.</summary>
        WrittenAt,

        /// <summary>Inside a snapshot of today's shape: every part, then the traffic.</summary>
        Full,
    }

    private static UserRecord ReadRecord(BinaryReader reader, RecordTail tail = RecordTail.ToEnd)
    {
        var record = ReadAccount(reader, (id, alterId, level, email) => new UserRecord(id, alterId, level, email, reader.ReadBoolean(), reader.ReadInt64()));
        if (tail == RecordTail.ToEnd && AtEnd(reader)) return record;
        record = record with { WrittenAt = reader.ReadInt64() };
        if (tail == RecordTail.WrittenAt || (tail == RecordTail.ToEnd && AtEnd(reader))) return record;
        return record with { Limits = ReadLimits(reader), Suspension = ReadSuspension(reader) };
    }

    private static bool AtEnd(BinaryReader reader) => reader.BaseStream.Position >= reader.BaseStream.Length;

    private static void WriteLimits(BinaryWriter writer, UserLimits limits)
    {
        writer.Write(limits.MaxConnections);
        writer.Write(limits.MaxSourceIps);
        writer.Write(limits.QuotaBytes);
        writer.Write(limits.ExpiresAt);
    }

    private static UserLimits ReadLimits(BinaryReader reader)
    {
        var limits = new UserLimits(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), reader.ReadInt64());
        var errors = limits.Validate();
        return errors.Count == 0
            ? limits
            : throw new System.Runtime.Serialization.SerializationException("Invalid user limits: " + string.Join(" ", errors));
    }

    private static UserSuspension ReadSuspension(BinaryReader reader)
    {
        var suspension = (UserSuspension)reader.ReadByte();
        return Enum.IsDefined(suspension)
            ? suspension
            : throw new System.Runtime.Serialization.SerializationException($"Unknown user suspension {(byte)suspension}.");
    }

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
