using Akka.Actor;
using Akka.DistributedData;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Traffic;

/// <summary>
/// One per node: reads every traffic bucket from the local DData replica each projection interval (a subscription
/// would cost a digest of the whole bucket for every report: see <see cref="LocalReplicaPoll{T}"/>) and publishes each
/// changed one into the node's <see cref="ClusterTrafficView"/>. Nothing is rebuilt; a bucket's new value replaces its old one.
/// </summary>
public sealed class TrafficProjector : ReceiveActor, IWithTimers
{
    public const string Name = "traffic-projector";

    private readonly ClusterTrafficView _view;
    private readonly IActorRef _replicator;
    private readonly TimeSpan _interval;
    private readonly LocalReplicaPoll<LWWDictionary<string, UserTrafficRecord>> _poll;

    public TrafficProjector(ClusterTrafficView view, IActorRef replicator, TimeSpan interval)
    {
        _view = view;
        _replicator = replicator;
        _interval = interval;
        _poll = new LocalReplicaPoll<LWWDictionary<string, UserTrafficRecord>>(
            Enumerable.Range(0, view.BucketCount).Select(TrafficBuckets.Key).ToArray());
        Receive<LocalReplicaPollTick>(_ => _poll.Poll(_replicator, Self));
        Receive<IGetResponse>(response =>
        {
            if (_poll.TryTakeChange(response, out var bucket, out var data)) _view.Publish(bucket, data);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ClusterTrafficView view, IActorRef replicator, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new TrafficProjector(view, replicator, interval));

    protected override void PreStart()
    {
        _poll.Start(Timers, _replicator, Self, _interval);
    }
}
