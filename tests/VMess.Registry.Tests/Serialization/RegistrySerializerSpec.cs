using Akka.TestKit.Xunit2;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;
using VMess.Registry.Replay;
using VMess.Registry.Serialization;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Serialization;

public sealed class RegistrySerializerSpec(ITestOutputHelper output) : TestKit(RegistryCluster.LocalSetup(), RegistryCluster.SystemName, output)
{
    private static readonly VMessUserId Id = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    public static TheoryData<object> Messages() =>
    [
        new UserRecord(Id, 64, 2, "alice@example.com", true, 42),
        new UserRecord(Id, 0, 0, null, false, long.MaxValue),
        new UserRecord(Id, 0, 0, "bob@example.com", true, 7, WrittenAt: 1_800_000_000_123),
        new UpsertUser(Id, 4, 1, "alice@example.com"),
        new UpsertUser(Id, 0, 0, null),
        new RemoveUser("alice@example.com"),
        new EnableUser("alice@example.com"),
        new DisableUser("alice@example.com"),
        new UserCommandResult("alice@example.com", UserCommandOutcome.NotFound),
        new GetUser("alice@example.com"),
        new GetUserResult("alice@example.com", null),
        new GetUserResult("alice@example.com", new UserRecord(Id, 1, 1, "alice@example.com", true, 3)),
        new UserUpserted(Id, 1, 0, "ünïcode@example.com"),
        new UserRemoved("k"),
        new UserEnabled("k"),
        new UserDisabled("k"),
        new SeenAuthIds([]),
        PackedAuthIds(3),
        new AddTraffic("alice@example.com", -5, 7, 1L << 40, 0),
        new AddTrafficResult("alice@example.com", 7),
        new ResetTraffic("alice@example.com", true, false),
        new ResetTrafficResult("alice@example.com", 1, 2),
        new GetTraffic("alice@example.com"),
        new GetTrafficResult("alice@example.com", 1, 2, true),
        new TrafficAdded("alice@example.com", 1, 2, 3, 4),
        new TrafficReset("alice@example.com", false, true),
        new UserTrafficRecord("Alice@example.com", 10, 20, 30),
        new UserSnapshot(null, TrafficState.Empty),
        new UserSnapshot(new UserRecord(Id, 4, 1, "alice@example.com", false, 9, WrittenAt: 5), TrafficState.Empty.Add(1, 2, 3, 4).Add(9, 1, 1, 1)),
        new UserRecord(Id, 0, 0, "carol@example.com", true, 8, WrittenAt: 6) { Limits = Limits, Suspension = UserSuspension.QuotaUsedUp },
        new GetUserResult("carol@example.com", new UserRecord(Id, 0, 0, "carol@example.com", true, 8) { Limits = Limits }),
        new SetUserLimits("carol@example.com", Limits),
        new SetUserLimits("carol@example.com", UserLimits.None),
        new UserLimitsSet("carol@example.com", Limits),
        new UserSnapshot(new UserRecord(Id, 0, 0, "carol@example.com", true, 9, WrittenAt: 5) { Limits = Limits, Suspension = UserSuspension.Expired },
            TrafficState.Empty.Add(1, 2, 3, 4)),
    ];

    private static readonly UserLimits Limits = new(MaxConnections: 2, MaxSourceIps: 1, QuotaBytes: 10L << 30, ExpiresAt: 1_900_000_000_000);

    // After WrittenAt: four limit fields (int, int, long, long) and the suspension byte.
    private const int LimitsTailSize = 4 + 4 + 8 + 8 + 1;

    [Theory, MemberData(nameof(Messages))]
    public void Every_registry_message_should_roundtrip_through_the_registry_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<RegistrySerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.Equal(message, Sys.Serialization.Deserialize(bytes, serializer.Identifier, manifest));
    }

    [Fact]
    public void A_record_from_a_node_that_did_not_write_WrittenAt_should_read_as_written_at_0()
    {
        var record = new UserRecord(Id, 64, 2, "alice@example.com", true, 42, WrittenAt: 99);
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerFor(record);
        var bytes = serializer.ToBinary(record);

        var withoutWrittenAt = serializer.FromBinary(bytes[..^(sizeof(long) + LimitsTailSize)], serializer.Manifest(record));

        Assert.Equal(record with { WrittenAt = 0 }, withoutWrittenAt);
    }

    [Fact]
    public void A_record_from_a_node_without_limits_should_read_as_unlimited_and_not_suspended()
    {
        var record = new UserRecord(Id, 64, 2, "alice@example.com", true, 42, WrittenAt: 99) { Limits = Limits, Suspension = UserSuspension.Expired };
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerFor(record);
        var bytes = serializer.ToBinary(record);

        var withoutLimits = serializer.FromBinary(bytes[..^LimitsTailSize], serializer.Manifest(record));

        Assert.Equal(record with { Limits = UserLimits.None, Suspension = UserSuspension.None }, withoutLimits);
    }

    [Fact]
    public void A_snapshot_of_the_first_shape_should_still_read_with_its_user_unlimited()
    {
        var user = new UserRecord(Id, 4, 1, "alice@example.com", true, 9, WrittenAt: 5) { Limits = Limits };
        var snapshot = new UserSnapshot(user, TrafficState.Empty.Add(1, 2, 3, 4));
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerFor(snapshot);
        var bytes = serializer.ToBinary(snapshot);
        // The first shape: the same bytes without the record's limits tail, under the first manifest.
        var recordEnd = 1 + serializer.ToBinary(user).Length;
        var firstShape = bytes[..(recordEnd - LimitsTailSize)].Concat(bytes[recordEnd..]).ToArray();

        var read = (UserSnapshot)serializer.FromBinary(firstShape, "su");

        Assert.Equal(snapshot with { User = user with { Limits = UserLimits.None } }, read);
    }

    [Fact]
    public void Negative_limits_in_a_message_should_be_refused()
    {
        var message = new SetUserLimits("carol@example.com", Limits);
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerFor(message);
        var bytes = serializer.ToBinary(message);
        // The connection limit follows the key (one length byte and 17 characters).
        BitConverter.TryWriteBytes(bytes.AsSpan(18, 4), -1);

        var error = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, serializer.Manifest(message)));
        Assert.Contains("MaxConnections", error.Message);
    }

    [Fact]
    public void SeenAuthIds_should_travel_as_24_bytes_per_id()
    {
        var message = PackedAuthIds(4096);
        var serializer = Sys.Serialization.FindSerializerFor(message);

        var bytes = serializer.ToBinary(message);
        var back = (SeenAuthIds)Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));

        Assert.Equal(4096 * 24, bytes.Length);
        Assert.Equal((UInt128.MaxValue - 4095, 1_700_000_000L + 4095), back[4095]);
    }

    [Fact]
    public void SeenAuthIds_of_a_partial_entry_should_be_a_serialization_error()
    {
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerForType(typeof(SeenAuthIds));
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, new SeenAuthIds([]));

        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(new byte[25], manifest));
    }

    [Fact]
    public void Unknown_manifest_should_be_a_serialization_error()
    {
        var serializer = (RegistrySerializer)Sys.Serialization.FindSerializerForType(typeof(UserRecord));
        Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([1], "zz"));
    }

    private static SeenAuthIds PackedAuthIds(int count)
    {
        var packed = new byte[count * SeenAuthIds.EntrySize];
        for (var i = 0; i < count; i++) SeenAuthIds.Write(packed, i, UInt128.MaxValue - (UInt128)i, 1_700_000_000L + i);
        return new SeenAuthIds(packed);
    }
}
