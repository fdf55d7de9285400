using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Crypto;

public sealed class AeadHeaderCipherTests
{
    private const int Seed = 7;
    private static readonly byte[] CmdKey = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811").CmdKey();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(330)]
    public void Seal_then_open_should_return_the_length_and_header(int headerLength)
    {
        var (sealedBytes, header) = SealSample(Seed + headerLength, headerLength);

        Assert.True(AeadHeaderCipher.TryOpenLength(CmdKey, sealedBytes, out var openedLength));
        Assert.Equal(headerLength, openedLength);
        var opened = new byte[headerLength];
        Assert.True(AeadHeaderCipher.TryOpenHeader(CmdKey, sealedBytes, sealedBytes.AsSpan(AeadHeaderCipher.PreambleSize), opened));
        Assert.True(header.AsSpan().SequenceEqual(opened), $"seed {Seed + headerLength}");
    }

    [Fact]
    public void Seal_should_lay_out_auth_id_sealed_length_nonce_and_sealed_header()
    {
        var (sealedBytes, _) = SealSample(Seed, 42, out var authId, out var nonce);

        Assert.Equal(AeadHeaderCipher.GetSealedSize(42), sealedBytes.Length);
        Assert.Equal(16 + 18 + 8 + 42 + 16, sealedBytes.Length);
        Assert.Equal(authId, sealedBytes[..16]);
        Assert.Equal(nonce, sealedBytes[34..42]);
    }

    [Fact]
    public void TryOpenLength_should_fail_when_any_byte_of_auth_id_sealed_length_or_nonce_is_flipped()
    {
        var (sealedBytes, _) = SealSample(Seed, 42);
        for (var i = 0; i < AeadHeaderCipher.PreambleSize; i++)
        {
            var flipped = (byte[])sealedBytes.Clone();
            flipped[i] ^= 0x01;

            Assert.False(AeadHeaderCipher.TryOpenLength(CmdKey, flipped, out _), $"byte {i}, seed {Seed}");
        }
    }

    [Fact]
    public void TryOpenHeader_should_fail_when_any_byte_is_flipped()
    {
        const int headerLength = 42;
        var (sealedBytes, _) = SealSample(Seed, headerLength);
        var opened = new byte[headerLength];
        for (var i = 0; i < sealedBytes.Length; i++)
        {
            if (i is >= AuthIdSize and < AuthIdSize + AeadHeaderCipher.SealedLengthSize) continue; // the sealed length is not part of the header seal
            var flipped = (byte[])sealedBytes.Clone();
            flipped[i] ^= 0x80;

            Assert.False(AeadHeaderCipher.TryOpenHeader(CmdKey, flipped, flipped.AsSpan(AeadHeaderCipher.PreambleSize), opened),
                $"byte {i}, seed {Seed}");
        }
    }

    [Fact]
    public void TryOpenLength_should_fail_with_a_wrong_cmdKey()
    {
        var (sealedBytes, _) = SealSample(Seed, 42);
        var wrongKey = VMessUserId.Parse("00000000-0000-0000-0000-000000000001").CmdKey();

        Assert.False(AeadHeaderCipher.TryOpenLength(wrongKey, sealedBytes, out _));
    }

    [Fact]
    public void TryOpenHeader_should_fail_with_a_wrong_cmdKey()
    {
        var (sealedBytes, _) = SealSample(Seed, 42);
        var wrongKey = VMessUserId.Parse("00000000-0000-0000-0000-000000000001").CmdKey();

        Assert.False(AeadHeaderCipher.TryOpenHeader(wrongKey, sealedBytes, sealedBytes.AsSpan(AeadHeaderCipher.PreambleSize), new byte[42]));
    }

    private const int AuthIdSize = AuthId.Size;

    private static (byte[] Sealed, byte[] Header) SealSample(int seed, int headerLength) => SealSample(seed, headerLength, out _, out _);

    private static (byte[] Sealed, byte[] Header) SealSample(int seed, int headerLength, out byte[] authId, out byte[] nonce)
    {
        var random = new Random(seed);
        authId = new byte[AuthId.Size];
        AuthId.Create(new AuthIdCipher(CmdKey), 1_700_000_000, [1, 2, 3, 4], authId);
        nonce = new byte[AeadHeaderCipher.ConnectionNonceSize];
        random.NextBytes(nonce);
        var header = new byte[headerLength];
        random.NextBytes(header);
        var sealedBytes = new byte[AeadHeaderCipher.GetSealedSize(headerLength)];
        var written = AeadHeaderCipher.Seal(CmdKey, authId, nonce, header, sealedBytes);
        Assert.Equal(sealedBytes.Length, written);
        return (sealedBytes, header);
    }
}
