using Akka.DistributedData;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Traffic;

/// <summary>
/// This node's copy of every user's cluster-wide counters: the traffic buckets as DData last told the
/// <see cref="TrafficProjector"/> of them. Read from any thread without asking anyone; each bucket is swapped whole.
/// </summary>
public sealed class ClusterTrafficView
{
    private readonly LWWDictionary<string, UserTrafficRecord>?[] _buckets;

    public ClusterTrafficView(int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        _buckets = new LWWDictionary<string, UserTrafficRecord>?[bucketCount];
    }

    public int BucketCount => _buckets.Length;

    /// <summary>The user's counters, or null while it has none (no report yet) or they have not reached this node.</summary>
    public UserTrafficRecord? Find(string userKey) =>
        Volatile.Read(ref _buckets[UserBuckets.BucketOf(userKey, _buckets.Length)]) is { } bucket && bucket.TryGetValue(userKey, out var record)
            ? record
            : null;

    /// <summary>Every user's counters, keyed by user key, bucket by bucket.</summary>
    public IEnumerable<KeyValuePair<string, UserTrafficRecord>> All()
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            if (Volatile.Read(ref _buckets[i]) is not { } bucket) continue;
            foreach (var entry in bucket) yield return entry;
        }
    }

    internal void Publish(int bucket, LWWDictionary<string, UserTrafficRecord> data) => Volatile.Write(ref _buckets[bucket], data);
}
