using System.Security.Cryptography;
using System.Text;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Ids;

public sealed class AlterIdChainTests
{
    private static readonly VMessUserId Primary = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    [Fact]
    public void Derive_should_be_deterministic()
    {
        Assert.Equal(AlterIdChain.Derive(Primary, 8), AlterIdChain.Derive(Primary, 8));
    }

    [Fact]
    public void Derive_should_make_the_first_alter_id_the_MD5_of_primary_and_salt()
    {
        var expected = MD5.HashData([.. Primary.ToBytes(), .. Encoding.ASCII.GetBytes("16167dc8-16b6-4e6d-b8bb-65dd68113a81")]);

        Assert.Equal(expected, AlterIdChain.Derive(Primary, 1)[0].ToBytes());
    }

    [Fact]
    public void Derive_should_chain_each_alter_id_from_the_previous_one()
    {
        var ids = AlterIdChain.Derive(Primary, 4);
        var salt = Encoding.ASCII.GetBytes("16167dc8-16b6-4e6d-b8bb-65dd68113a81");

        for (var i = 1; i < ids.Length; i++)
        {
            Assert.Equal(MD5.HashData([.. ids[i - 1].ToBytes(), .. salt]), ids[i].ToBytes());
        }
    }

    [Fact]
    public void Derive_should_extend_a_shorter_chain()
    {
        Assert.Equal(AlterIdChain.Derive(Primary, 3), AlterIdChain.Derive(Primary, 10)[..3]);
    }

    [Fact]
    public void Derive_should_return_nothing_for_count_zero()
    {
        Assert.Empty(AlterIdChain.Derive(Primary, 0));
    }

    [Fact]
    public void Derive_should_throw_for_a_negative_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlterIdChain.Derive(Primary, -1));
    }
}
