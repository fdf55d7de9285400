using System.IO.Hashing;
using System.Text;
using Akka.DistributedData;
using VMess.Registry.Messages;

namespace VMess.Registry.ReadModel;

/// <summary>
/// Which DData key holds a user: <c>users-{XxHash32(utf8(key)) % N}</c>. The hash is fixed by its specification, so
/// every node and every version of this code agrees (string.GetHashCode is randomised per process).
/// </summary>
public static class UserBuckets
{
    public const string KeyPrefix = "users-";

    public static int BucketOf(string userKey, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        var byteCount = Encoding.UTF8.GetByteCount(userKey);
        Span<byte> utf8 = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(userKey, utf8);
        return (int)(XxHash32.HashToUInt32(utf8) % (uint)bucketCount);
    }

    public static LWWDictionaryKey<string, UserRecord> Key(int bucket) => new(KeyPrefix + bucket);

    public static LWWDictionaryKey<string, UserRecord> KeyFor(string userKey, int bucketCount) => Key(BucketOf(userKey, bucketCount));
}
