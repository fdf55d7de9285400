using System.Security.Cryptography;
using System.Text;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Tests.Crypto;

public sealed class KdfTests
{
    private const int Seed = 20240601;

    [Fact]
    public void Derive_should_match_the_v2ray_v5_vector()
    {
        var output = new byte[Kdf.OutputSize];

        Kdf.Derive("Demo Key for KDF Value Test"u8, output,
            "Demo Path for KDF Value Test"u8, "Demo Path for KDF Value Test2"u8, "Demo Path for KDF Value Test3"u8);

        Assert.Equal("53e9d7e1bd7bd25022b71ead07d8a596efc8a845c7888652fd684b4903dc8892", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Reference_should_match_the_v2ray_v5_vector()
    {
        var output = ReferenceKdf(Bytes("Demo Key for KDF Value Test"),
            Bytes("Demo Path for KDF Value Test"), Bytes("Demo Path for KDF Value Test2"), Bytes("Demo Path for KDF Value Test3"));

        Assert.Equal("53e9d7e1bd7bd25022b71ead07d8a596efc8a845c7888652fd684b4903dc8892", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Reference_hmac_should_equal_HMACSHA256_for_short_and_long_keys()
    {
        var random = new Random(Seed);
        foreach (var keyLength in new[] { 0, 1, 63, 64, 65, 200 })
        {
            var key = RandomBytes(random, keyLength);
            var message = RandomBytes(random, 100);

            Assert.Equal(HMACSHA256.HashData(key, message), Hmac(SHA256.HashData, key)(message));
        }
    }

    [Theory]
    [InlineData(65, 1, 1)]
    [InlineData(1, 100, 1)]
    [InlineData(3, 5, 64)]
    [InlineData(64, 65, 130)]
    [InlineData(200, 300, 400)]
    public void Derive_should_agree_with_reference_when_path_elements_exceed_the_block_size(int length1, int length2, int length3)
    {
        var random = new Random(Seed + length1 + length2 + length3);
        var key = RandomBytes(random, 16);
        var p1 = RandomBytes(random, length1);
        var p2 = RandomBytes(random, length2);
        var p3 = RandomBytes(random, length3);
        var output = new byte[Kdf.OutputSize];

        Kdf.Derive(key, output, p1, p2, p3);

        Assert.True(ReferenceKdf(key, p1, p2, p3).AsSpan().SequenceEqual(output), $"seed {Seed + length1 + length2 + length3}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(1000)]
    public void Derive_should_agree_with_reference_for_one_and_two_path_elements(int length)
    {
        var random = new Random(Seed + length);
        var key = RandomBytes(random, 600);
        var p1 = RandomBytes(random, length);
        var p2 = RandomBytes(random, 70);
        var one = new byte[Kdf.OutputSize];
        var two = new byte[Kdf.OutputSize];

        Kdf.Derive(key, one, p1);
        Kdf.Derive(key, two, p1, p2);

        Assert.True(ReferenceKdf(key, p1).AsSpan().SequenceEqual(one), $"one element, seed {Seed + length}");
        Assert.True(ReferenceKdf(key, p1, p2).AsSpan().SequenceEqual(two), $"two elements, seed {Seed + length}");
    }

    [Fact]
    public void Derive16_should_be_the_first_16_bytes_of_Derive()
    {
        var full = new byte[Kdf.OutputSize];
        var short1 = new byte[16];
        var short3 = new byte[16];

        Kdf.Derive("key"u8, full, "a"u8);
        Kdf.Derive16("key"u8, short1, "a"u8);
        Kdf.Derive16("key"u8, short3, "a"u8, "b"u8, "c"u8);

        Assert.Equal(full[..16], short1);
        Assert.Equal(ReferenceKdf(Bytes("key"), Bytes("a"), Bytes("b"), Bytes("c"))[..16], short3);
    }

    [Fact]
    public void Derive_should_throw_when_destination_is_shorter_than_32_bytes()
    {
        Assert.Throws<ArgumentException>(() => Kdf.Derive("key"u8, new byte[31], "a"u8));
    }

    // The reference: HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)), K' = K (or H(K) when longer than the
    // 64-byte block) zero-padded to 64 bytes. The KDF nests it: level 0 is HMAC-SHA256 keyed with
    // "VMess AEAD KDF", level i is HMAC keyed with path[i-1] whose hash is level i-1.
    private static byte[] ReferenceKdf(byte[] key, params byte[][] path)
    {
        Func<byte[], byte[]> hash = Hmac(SHA256.HashData, Bytes("VMess AEAD KDF"));
        foreach (var element in path)
        {
            hash = Hmac(hash, element);
        }
        return hash(key);
    }

    private static Func<byte[], byte[]> Hmac(Func<byte[], byte[]> hash, byte[] key)
    {
        const int blockSize = 64;
        var shortKey = key.Length > blockSize ? hash(key) : key;
        var padded = new byte[blockSize];
        shortKey.CopyTo(padded, 0);
        var innerPad = padded.Select(b => (byte)(b ^ 0x36)).ToArray();
        var outerPad = padded.Select(b => (byte)(b ^ 0x5c)).ToArray();
        return message => hash([.. outerPad, .. hash([.. innerPad, .. message])]);
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
