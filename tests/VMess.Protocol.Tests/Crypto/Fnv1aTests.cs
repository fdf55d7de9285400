using System.Text;
using VMess.Protocol.Crypto;

namespace VMess.Protocol.Tests.Crypto;

public sealed class Fnv1aTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Hash_should_match_known_FNV1a_32_vectors(string input, uint expected)
    {
        Assert.Equal(expected, Fnv1a.Hash(Encoding.ASCII.GetBytes(input)));
    }
}
