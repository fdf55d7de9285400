using Akka.Actor;
using Akka.DistributedData;

namespace VMess.Registry.ReadModel;

/// <summary>
/// Reads a fixed set of DData keys from this node's replica on a timer, instead of subscribing to them. A subscription
/// costs the replicator a digest of the key's whole value (serialized, compressed, hashed) on the first update of every
/// notify interval: for the user and traffic buckets, which are large and (traffic) change every second, that was most
/// of a node's registry CPU. A local read is a reference handed back; a value is new when the reference changed.
/// </summary>
internal sealed class LocalReplicaPoll<T> where T : class, IReplicatedData
{
    private readonly IKey<T>[] _keys;
    private readonly Dictionary<string, int> _indexById;
    private readonly T?[] _seen;

    public LocalReplicaPoll(IReadOnlyList<IKey<T>> keys)
    {
        _keys = [.. keys];
        _indexById = _keys.Select((key, index) => (key.Id, index)).ToDictionary(pair => pair.Id, pair => pair.index, StringComparer.Ordinal);
        _seen = new T?[_keys.Length];
    }

    /// <summary>
    /// Polls now, then every <paramref name="interval"/>: the owning actor passes each <see cref="LocalReplicaPollTick"/>
    /// to <see cref="Poll"/> and each <see cref="IGetResponse"/> to <see cref="TryTakeChange"/>.
    /// </summary>
    public void Start(ITimerScheduler timers, IActorRef replicator, IActorRef self, TimeSpan interval)
    {
        Poll(replicator, self);
        timers.StartPeriodicTimer(LocalReplicaPollTick.Instance, LocalReplicaPollTick.Instance, interval);
    }

    /// <summary>Asks the local replica for every key; the answers come to <paramref name="self"/> as <see cref="IGetResponse"/>.</summary>
    public void Poll(IActorRef replicator, IActorRef self)
    {
        foreach (var key in _keys) replicator.Tell(Dsl.Get(key, ReadLocal.Instance), self);
    }

    /// <summary>True, with the key's index and value, when <paramref name="response"/> brings a value not seen before.</summary>
    public bool TryTakeChange(IGetResponse response, out int index, out T value)
    {
        value = null!;
        if (response is not GetSuccess success || !_indexById.TryGetValue(success.Key.Id, out index))
        {
            index = -1;
            return false;
        }
        value = success.Get(_keys[index]);
        if (ReferenceEquals(value, _seen[index])) return false;
        _seen[index] = value;
        return true;
    }
}

/// <summary>The timer message of a <see cref="LocalReplicaPoll{T}"/>.</summary>
internal sealed class LocalReplicaPollTick
{
    public static readonly LocalReplicaPollTick Instance = new();

    private LocalReplicaPollTick() { }
}
