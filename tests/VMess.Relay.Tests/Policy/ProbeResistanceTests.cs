using VMess.Protocol.Ids;
using VMess.Relay.Policy;

namespace VMess.Relay.Tests.Policy;

public sealed class ProbeResistanceTests
{
    private static readonly VMessUserId[] Users =
        [new(Guid.Parse("b831381d-6324-4d53-ad4f-8cda48b30811")), new(Guid.Parse("27848739-7e62-4138-9fd3-098a63964b6b"))];

    [Fact]
    public void For_should_give_the_same_drain_to_every_node_with_the_same_users_in_any_order()
    {
        Assert.Equal(ProbeResistance.For(Users), ProbeResistance.For(Users.Reverse()));
    }

    [Fact]
    public void For_should_keep_every_drain_within_V2Rays_54_to_3382_bytes()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var users = Enumerable.Range(0, 3).Select(i => new VMessUserId(new Guid(Hash(seed, i)))).ToArray();
            var probe = ProbeResistance.For(users);

            Assert.InRange(probe.BaseDrainBytes, ProbeResistance.MinDrainBytes, ProbeResistance.MinDrainBytes + 3265);
            Assert.InRange(probe.DrainSpread, 1, 64);
            Assert.True(probe.BaseDrainBytes + probe.DrainSpread - 1 <= ProbeResistance.MaxDrainBytes, $"seed {seed}");
        }
    }

    [Fact]
    public void For_should_differ_between_servers_with_different_users()
    {
        Assert.NotEqual(ProbeResistance.For(Users), ProbeResistance.For(Users[..1]));
    }

    private static byte[] Hash(int seed, int index) =>
        System.Security.Cryptography.MD5.HashData(BitConverter.GetBytes(seed * 31 + index));
}
