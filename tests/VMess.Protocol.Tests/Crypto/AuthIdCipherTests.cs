using System.Security.Cryptography;
using VMess.Protocol.Crypto;
using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Crypto;

public sealed class AuthIdCipherTests
{
    private const int Seed = 42;
    private static readonly byte[] CmdKey = VMessUserId.Parse("b831381d-6324-4d53-ad4f-8cda48b30811").CmdKey();

    [Fact]
    public void Encrypt_should_equal_dotnet_AES_ECB_under_the_auth_id_key()
    {
        var key = new byte[16];
        AuthId.DeriveKey(CmdKey, key);
        using var aes = Aes.Create();
        aes.Key = key;
        var cipher = new AuthIdCipher(CmdKey);
        var random = new Random(Seed);
        for (var i = 0; i < 32; i++)
        {
            var block = new byte[16];
            random.NextBytes(block);
            var actual = new byte[16];

            cipher.Encrypt(block, actual);

            Assert.True(aes.EncryptEcb(block, PaddingMode.None).AsSpan().SequenceEqual(actual), $"block {i}, seed {Seed}");
        }
    }

    [Fact]
    public void Decrypt_should_invert_Encrypt()
    {
        var cipher = new AuthIdCipher(CmdKey);
        var random = new Random(Seed + 1);
        var block = new byte[16];
        random.NextBytes(block);
        var encrypted = new byte[16];
        var decrypted = new byte[16];

        cipher.Encrypt(block, encrypted);
        cipher.Decrypt(encrypted, decrypted);

        Assert.True(block.AsSpan().SequenceEqual(decrypted), $"seed {Seed + 1}");
    }
}
