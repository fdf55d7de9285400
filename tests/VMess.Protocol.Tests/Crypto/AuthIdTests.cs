using System.Buffers.Binary;
using System.IO.Hashing;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Crypto;

public sealed class AuthIdTests
{
    private const int Seed = 16;
    private static readonly byte[] CmdKey = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811").CmdKey();

    [Fact]
    public void DeriveKey_should_match_the_known_vector()
    {
        var key = new byte[16];

        AuthId.DeriveKey(CmdKey, key);

        Assert.Equal("1415ba74ca8b3d041a8f583fb4116315", Convert.ToHexStringLower(key));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_700_000_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(-5L)]
    public void TryOpen_should_return_the_timestamp_given_to_Create(long timestamp)
    {
        var cipher = new AuthIdCipher(CmdKey);
        var authId = new byte[AuthId.Size];

        AuthId.Create(cipher, timestamp, [1, 2, 3, 4], authId);

        Assert.True(AuthId.TryOpen(cipher, authId, out var opened));
        Assert.Equal(timestamp, opened);
    }

    [Fact]
    public void Create_should_encrypt_timestamp_random_and_crc_layout()
    {
        var cipher = new AuthIdCipher(CmdKey);
        var authId = new byte[AuthId.Size];
        var plain = new byte[AuthId.Size];
        byte[] random = [0xde, 0xad, 0xbe, 0xef];

        AuthId.Create(cipher, 1_700_000_000, random, authId);
        cipher.Decrypt(authId, plain);

        Assert.Equal(1_700_000_000L, BinaryPrimitives.ReadInt64BigEndian(plain));
        Assert.Equal(random, plain[8..12]);
        Assert.Equal(Crc32.HashToUInt32(plain.AsSpan(0, 12)), BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(12)));
    }

    [Fact]
    public void TryOpen_should_fail_the_crc_when_any_byte_is_flipped()
    {
        var cipher = new AuthIdCipher(CmdKey);
        var authId = new byte[AuthId.Size];
        AuthId.Create(cipher, 1_700_000_000, [9, 8, 7, 6], authId);
        var random = new Random(Seed);
        for (var i = 0; i < AuthId.Size; i++)
        {
            var flipped = (byte[])authId.Clone();
            flipped[i] ^= (byte)random.Next(1, 256);

            Assert.False(AuthId.TryOpen(cipher, flipped, out _), $"byte {i}, seed {Seed}");
        }
    }

    [Fact]
    public void TryOpen_should_fail_with_another_users_cipher()
    {
        var authId = new byte[AuthId.Size];
        AuthId.Create(new AuthIdCipher(CmdKey), 1_700_000_000, [1, 2, 3, 4], authId);
        var other = new AuthIdCipher(VMessUserId.Parse("00000000-0000-0000-0000-000000000001").CmdKey());

        Assert.False(AuthId.TryOpen(other, authId, out _));
    }
}
