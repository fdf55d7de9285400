using System.Buffers.Binary;
using System.Security.Cryptography;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Tests.Legacy;

public sealed class LegacyAuthTests
{
    private static readonly VMessUserId Id = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811");

    [Fact]
    public void ComputeHash_should_be_HMAC_MD5_of_the_big_endian_timestamp_keyed_by_the_id()
    {
        var message = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(message, 1_700_000_000);
        var hash = new byte[16];

        LegacyAuth.ComputeHash(Id, 1_700_000_000, hash);

        Assert.Equal(HMACMD5.HashData(Id.ToBytes(), message), hash);
    }

    [Fact]
    public void HeaderIv_should_be_MD5_of_the_timestamp_four_times()
    {
        var message = new byte[32];
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteInt64BigEndian(message.AsSpan(i * 8), 1_700_000_000);
        var iv = new byte[16];

        LegacyAuth.HeaderIv(1_700_000_000, iv);

        Assert.Equal(MD5.HashData(message), iv);
    }
}
