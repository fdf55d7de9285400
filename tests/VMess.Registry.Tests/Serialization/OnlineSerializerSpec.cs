using System.Runtime.Serialization;
using Akka.TestKit.Xunit2;
using VMess.Registry.Online;
using VMess.Registry.Serialization;
using VMess.Registry.Tests.Support;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Serialization;

public sealed class OnlineSerializerSpec(ITestOutputHelper output) : TestKit(RegistryCluster.LocalSetup(), RegistryCluster.SystemName, output)
{
    [Fact]
    public void An_online_user_should_roundtrip_through_the_online_serializer()
    {
        var user = new OnlineUser("Ünïcode@example.com", 5, new Dictionary<string, int> { ["192.0.2.1"] = 3, ["2001:db8::1"] = 2 });
        var serializer = Sys.Serialization.FindSerializerFor(user);
        Assert.IsType<OnlineSerializer>(serializer);

        var read = (OnlineUser)Sys.Serialization.Deserialize(serializer.ToBinary(user), serializer.Identifier,
            Akka.Serialization.Serialization.ManifestFor(serializer, user));

        Assert.Equal(user.Email, read.Email);
        Assert.Equal(user.Connections, read.Connections);
        Assert.Equal(user.SourceIps, read.SourceIps);
    }

    [Fact]
    public void A_truncated_online_user_should_be_a_serialization_error()
    {
        var user = new OnlineUser("a@example.com", 1, new Dictionary<string, int> { ["192.0.2.1"] = 1 });
        var serializer = (OnlineSerializer)Sys.Serialization.FindSerializerFor(user);
        var bytes = serializer.ToBinary(user);

        Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes[..^3], serializer.Manifest(user)));
    }

    [Fact]
    public void The_open_times_a_limited_user_is_weighed_by_should_roundtrip()
    {
        var user = new OnlineUser("a@example.com", 3, new Dictionary<string, int> { ["192.0.2.1"] = 2, ["2001:db8::1"] = 1 })
        {
            OldestOpenedAt = [638_000_000_000_000_000, 638_000_000_000_000_001],
            FirstOpenedAtByIp = new Dictionary<string, long> { ["192.0.2.1"] = 638_000_000_000_000_000 },
        };
        var serializer = (OnlineSerializer)Sys.Serialization.FindSerializerFor(user);

        var read = (OnlineUser)serializer.FromBinary(serializer.ToBinary(user), serializer.Manifest(user));

        Assert.Equal(user.OldestOpenedAt, read.OldestOpenedAt);
        Assert.Equal(user.FirstOpenedAtByIp, read.FirstOpenedAtByIp);
    }

    [Fact]
    public void More_open_times_than_connections_should_be_a_serialization_error()
    {
        var user = new OnlineUser("a@example.com", 1, new Dictionary<string, int> { ["192.0.2.1"] = 1 }) { OldestOpenedAt = [1, 2] };
        var serializer = (OnlineSerializer)Sys.Serialization.FindSerializerFor(user);

        Assert.Throws<SerializationException>(() => serializer.FromBinary(serializer.ToBinary(user), serializer.Manifest(user)));
    }
}
