using System.Security.Cryptography;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Tests.Crypto;

public sealed class Cfb128Tests
{
    private const int Seed = 128;

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(1024)]
    public void Encrypt_should_agree_with_dotnet_Aes_CFB128_on_block_multiples(int length)
    {
        var random = new Random(Seed + length);
        var key = RandomBytes(random, 16);
        var iv = RandomBytes(random, 16);
        var plain = RandomBytes(random, length);
        using var aes = Aes.Create();
        aes.Key = key;
        var expected = aes.EncryptCfb(plain, iv, PaddingMode.None, feedbackSizeInBits: 128);
        var actual = new byte[length];

        Cfb128.Encrypt(key, iv, plain, actual);

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"seed {Seed + length}");
    }

    [Fact]
    public void Decrypt_should_invert_Encrypt_for_lengths_0_to_40()
    {
        var random = new Random(Seed);
        var key = RandomBytes(random, 16);
        var iv = RandomBytes(random, 16);
        for (var length = 0; length <= 40; length++)
        {
            var plain = RandomBytes(random, length);
            var cipher = new byte[length];
            var decrypted = new byte[length];

            Cfb128.Encrypt(key, iv, plain, cipher);
            Cfb128.Decrypt(key, iv, cipher, decrypted);

            Assert.True(plain.AsSpan().SequenceEqual(decrypted), $"length {length}, seed {Seed}");
        }
    }

    [Fact]
    public void Encrypt_should_equal_the_prefix_of_a_longer_encryption()
    {
        var random = new Random(Seed + 1);
        var key = RandomBytes(random, 16);
        var iv = RandomBytes(random, 16);
        var plain = RandomBytes(random, 48);
        var full = new byte[48];
        Cfb128.Encrypt(key, iv, plain, full);
        for (var length = 0; length < 48; length++)
        {
            var partial = new byte[length];

            Cfb128.Encrypt(key, iv, plain.AsSpan(0, length), partial);

            Assert.True(full.AsSpan(0, length).SequenceEqual(partial), $"length {length}, seed {Seed + 1}");
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
