using Akka.DistributedData;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Traffic;

/// <summary>
/// Which DData key holds a user's traffic: <c>traffic-{bucket}</c>, the bucket being the user's users bucket
/// (<see cref="UserBuckets.BucketOf"/>), so both read models spread alike over <see cref="RegistrySettings.BucketCount"/> keys.
/// Separate keys: a traffic report (one a second per active user) never makes a node re-read its users.
/// </summary>
public static class TrafficBuckets
{
    public const string KeyPrefix = "traffic-";

    public static LWWDictionaryKey<string, UserTrafficRecord> Key(int bucket) => new(KeyPrefix + bucket);

    public static LWWDictionaryKey<string, UserTrafficRecord> KeyFor(string userKey, int bucketCount) =>
        Key(UserBuckets.BucketOf(userKey, bucketCount));
}
