using Akka.Actor;
using Akka.DistributedData;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;

namespace VMess.Api.Users;

/// <summary>
/// Reads the registry's users from its DData buckets (<see cref="UserBuckets"/>), where every user is kept with its
/// enabled flag; the node's <see cref="UserDirectory"/> holds only the enabled ones, as the handshake needs. A listing
/// reads every bucket from this node's replica (local asks, no cluster round trip); one user is read with
/// ReadMajority, which overlaps the entity's WriteMajority: a user added through any node is found at once on any other.
/// Reading DData starts no entity, so asking for a user that does not exist leaves nothing behind.
/// </summary>
public sealed class ReplicatedRegistryUsers(IActorRef replicator, RegistrySettings settings, TimeSpan timeout) : IRegistryUsers
{
    private readonly RegistrySettings _settings = settings;

    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var reads = Enumerable.Range(0, _settings.BucketCount)
            .Select(bucket => ReadAsync(UserBuckets.Key(bucket), ReadLocal.Instance, cancellationToken));
        var buckets = await Task.WhenAll(reads);
        return [.. buckets.SelectMany(bucket => bucket?.Values ?? [])];
    }

    public async Task<UserRecord?> GetAsync(string userKey, CancellationToken cancellationToken)
    {
        var bucket = await ReadAsync(UserBuckets.KeyFor(userKey, _settings.BucketCount), new ReadMajority(timeout), cancellationToken);
        return bucket is not null && bucket.TryGetValue(userKey, out var user) ? user : null;
    }

    /// <summary>The bucket's users; null when it holds none. Throws <see cref="RegistryUnavailableException"/> when the read fails.</summary>
    private async Task<LWWDictionary<string, UserRecord>?> ReadAsync(LWWDictionaryKey<string, UserRecord> key, IReadConsistency consistency,
        CancellationToken cancellationToken)
    {
        IGetResponse response;
        try
        {
            // The replicator answers ReadMajority's own timeout with GetFailure; the ask's is a margin over it.
            response = await replicator.Ask<IGetResponse>(Dsl.Get(key, consistency), timeout + TimeSpan.FromSeconds(1), cancellationToken);
        }
        catch (AskTimeoutException)
        {
            throw new RegistryUnavailableException($"this node's registry replica did not answer within {timeout.TotalSeconds:0.#} s");
        }
        return response switch
        {
            GetSuccess success => success.Get(key),
            NotFound => null,
            GetFailure => throw new RegistryUnavailableException(
                $"a majority of the cluster's nodes did not answer within {timeout.TotalSeconds:0.#} s (is the cluster up?)"),
            _ => throw new RegistryUnavailableException($"the registry's replica answered {response.GetType().Name}"),
        };
    }
}
