using System.Security.Cryptography;
using VMess.Protocol.Body;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class AesCfb128Tests
{
    [Fact]
    public void Encrypt_should_match_dotnet_cfb128_when_fed_in_odd_pieces()
    {
        const int seed = 5;
        var random = new Random(seed);
        var plain = RandomBytes(random, 16 * 40);
        using var aes = Aes.Create();
        aes.Key = RequestKey;
        var expected = aes.EncryptCfb(plain, RequestIv, PaddingMode.None, feedbackSizeInBits: 128);
        var cfb = new AesCfb128(RequestKey, RequestIv);
        var actual = new byte[plain.Length];

        for (var offset = 0; offset < plain.Length;)
        {
            var n = Math.Min(plain.Length - offset, random.Next(1, 37));
            cfb.Encrypt(plain.AsSpan(offset, n), actual.AsSpan(offset, n));
            offset += n;
        }

        Assert.True(expected.AsSpan().SequenceEqual(actual), $"seed {seed}");
    }

    [Fact]
    public void Decrypt_should_work_in_place_and_resume_after_restore()
    {
        var plain = RandomBytes(new Random(6), 96);
        using var aes = Aes.Create();
        aes.Key = RequestKey;
        var buffer = aes.EncryptCfb(plain, RequestIv, PaddingMode.None, feedbackSizeInBits: 128);
        var cfb = new AesCfb128(RequestKey, RequestIv);
        cfb.Decrypt(buffer.AsSpan(0, 7), buffer.AsSpan(0, 7));

        cfb.Save();
        cfb.Decrypt(buffer.AsSpan(7, 20), new byte[20]);
        cfb.Restore();
        cfb.Decrypt(buffer.AsSpan(7), buffer.AsSpan(7));

        Assert.Equal(plain, buffer);
    }
}
