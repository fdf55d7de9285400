using Akka.Actor;
using Akka.DistributedData;

namespace VMess.Registry.Traffic;

/// <summary>
/// One per node: subscribes to every traffic bucket and publishes each change into the node's
/// <see cref="ClusterTrafficView"/>. Nothing is rebuilt; a bucket's new value replaces its old one.
/// </summary>
public sealed class TrafficProjector : ReceiveActor
{
    public const string Name = "traffic-projector";

    private readonly ClusterTrafficView _view;
    private readonly IActorRef _replicator;
    private readonly Dictionary<string, int> _bucketByKeyId = new(StringComparer.Ordinal);

    public TrafficProjector(ClusterTrafficView view, IActorRef replicator)
    {
        _view = view;
        _replicator = replicator;
        Receive<Changed>(changed =>
        {
            if (_bucketByKeyId.TryGetValue(changed.Key.Id, out var bucket)) _view.Publish(bucket, changed.Get(TrafficBuckets.Key(bucket)));
        });
    }

    public static Props Props(ClusterTrafficView view, IActorRef replicator) =>
        Akka.Actor.Props.Create(() => new TrafficProjector(view, replicator));

    protected override void PreStart()
    {
        for (var bucket = 0; bucket < _view.BucketCount; bucket++)
        {
            var key = TrafficBuckets.Key(bucket);
            _bucketByKeyId[key.Id] = bucket;
            _replicator.Tell(Dsl.Subscribe(key, Self));
        }
    }
}
