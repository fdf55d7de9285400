using System.Security.Cryptography;
using System.Text;

namespace VMess.Api.Security;

/// <summary>The node's API token, kept as its SHA-256 hash for a constant-time comparison.</summary>
internal sealed class ApiToken(string token)
{
    private readonly byte[] _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Compares hashes, so neither the length nor any prefix of the token leaks through timing.</summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate.ToArray()), hash);
        return CryptographicOperations.FixedTimeEquals(hash, _hash);
    }
}
