using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.DistributedData;
using Akka.Event;
using Akka.Persistence;
using VMess.Registry.Dispatch;
using VMess.Registry.Messages;
using VMess.Registry.ReadModel;

namespace VMess.Registry;

/// <summary>
/// The single writer for one user (sharded by <see cref="UserKey"/>). It persists each change, then writes the user's
/// record into its DData bucket with WriteMajority (a revocation must not be lost with one node, and a change must
/// reach the other nodes faster than gossip alone). The command's reply is sent once the bucket write has answered.
/// After recovery the record is written again, so a read model that lost its state is refilled by the entities.
/// An entity without a user (removed, or only asked about) and without traffic counters passivates once it has
/// answered, so sharding's remembered entities hold exactly the existing users (and removed users' counters not yet
/// reset). The traffic counters are in <c>UserEntity.Traffic.cs</c>.
/// </summary>
public sealed partial class UserEntity : UntypedPersistentActor
{
    // One for every entity: WithMailbox or WithDeploy would copy a Deploy into each entity's props (72 B a user).
    private static readonly Deploy CompactMailboxDeploy = Akka.Actor.Props.Empty.Deploy.WithMailbox(CompactDequeMailbox.ConfigPath);

    private readonly string _userKey;
    private readonly RegistrySettings _settings;
    private readonly IActorRef _replicator;
    private readonly UniqueAddress _self;
    private UserState _state = UserState.Empty;
    private int _pendingReplies;
    private bool _passivating;
    private bool _stopRequested;
    private int _eventsSinceSnapshot;
    private bool _savingSnapshot;
    private long _deletingTo;
    private long _deleteNextTo;
    private int _deleteAttempts;
    private UserSuspension _writtenSuspension;

    // The scheduler, not IWithTimers: a timer scheduler and its dictionary per entity cost 136 B a user, while only
    // users with an expiry ever wait for one. A check that was already sent when cancelled does no harm.
    private ICancelable? _expiryCheck;

    public UserEntity(string userKey, RegistrySettings settings, IActorRef replicator, UniqueAddress self)
    {
        _userKey = userKey;
        _settings = settings;
        _replicator = replicator;
        _self = self;
    }

    public override string PersistenceId => "user-" + _userKey;

    /// <summary>
    /// The entity's props, with the <see cref="CompactDequeMailbox"/> (a node holds one mostly idle entity per user):
    /// the system must know it (<see cref="CompactDequeMailbox.EnsureConfigured"/>, as StartUserRegistry does).
    /// </summary>
    public static Props Props(string userKey, RegistrySettings settings, IActorRef replicator, UniqueAddress self) =>
        new(CompactMailboxDeploy, typeof(UserEntity), [userKey, settings, replicator, self]);

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer offer:
                if (offer.Snapshot is UserSnapshot snapshot) _state = snapshot.ToState();
                break;
            case IUserRegistryEvent evt:
                _state = _state.Apply(evt, LastSequenceNr);
                _eventsSinceSnapshot++;
                break;
            case RecoveryCompleted:
                // A removed user's entity (remembered for its counters, or started by a second removal) deletes the
                // record again: a removal whose read-model write was lost with its node must not live on in the files.
                if (_state.User is not null || LastSequenceNr > 0) WriteReadModel(WriteLocal.Instance, request: null);
                if (_state.Traffic.HasCounters) WriteTrafficReadModel();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case IUserRegistryCommand command:
                OnUserCommand(command);
                break;
            case GetUser:
                Sender.Tell(new GetUserResult(_userKey, _state.User));
                PassivateIfEmpty();
                break;
            case CheckSuspension:
                WriteIfSuspensionChanged();
                break;
            case IUpdateResponse response:
                OnUpdateResponse(response);
                break;
            case StopWhenIdle:
                _stopRequested = true;
                StopIfRequestedAndIdle();
                break;
            default:
                if (!TryHandleTrafficCommand(message) && !TryHandleSnapshotOutcome(message)) Unhandled(message);
                break;
        }
    }

    private void OnUserCommand(IUserRegistryCommand command)
    {
        if (!IsForThisUser(command.UserKey)) return;
        var decision = _state.Decide(command);
        var replyTo = Sender;
        if (decision.Event is null)
        {
            replyTo.Tell(new UserCommandResult(_userKey, decision.Outcome));
            PassivateIfEmpty();
            return;
        }
        Persist(decision.Event, evt =>
        {
            Applied(evt);
            _pendingReplies++;
            WriteReadModel(ConsistencyFor(evt), new PendingReply(replyTo, new UserCommandResult(_userKey, decision.Outcome)));
        });
    }

    private void WriteReadModel(IWriteConsistency consistency, PendingReply? request)
    {
        var key = _userKey;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _writtenSuspension = _state.SuspensionAt(now);
        var record = _state.User is { } user ? user with { WrittenAt = now, Suspension = _writtenSuspension } : null;
        ScheduleExpiryCheck(now);
        var self = _self;
        _replicator.Tell(Dsl.Update(
            UserBuckets.KeyFor(key, _settings.BucketCount),
            LWWDictionary<string, UserRecord>.Empty,
            consistency,
            request,
            bucket => record is null ? bucket.Remove(self, key) : bucket.SetItem(self, key, record, VersionClock)));
    }

    /// <summary>
    /// The quota and the expiry are judged here, where the counters and the limits are: when the verdict changes (the
    /// quota reached or the counters reset, the expiry passed) the record is written again to every node, so each stops
    /// (or starts again) serving the user as it would after a disable.
    /// </summary>
    private void WriteIfSuspensionChanged()
    {
        if (_state.User is null) return;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (_state.SuspensionAt(now) != _writtenSuspension) WriteReadModel(ConsistencyFor(evt: null), request: null);
        // An expiry further off than the longest wait: look again then, or it would only be seen after the next change.
        else ScheduleExpiryCheck(now);
    }

    private void ScheduleExpiryCheck(long nowMs)
    {
        _expiryCheck?.Cancel();
        _expiryCheck = null;
        if (_state.User is { Limits.ExpiresAt: > 0 and var expiresAt } && expiresAt > nowMs)
        {
            var wait = TimeSpan.FromMilliseconds(expiresAt - nowMs);
            _expiryCheck = Context.System.Scheduler.ScheduleTellOnceCancelable(
                wait < _settings.LongestExpiryWait ? wait : _settings.LongestExpiryWait, Self, CheckSuspension.Instance, ActorRefs.NoSender);
        }
    }

    /// <summary>
    /// Every change goes to a majority at once: a node that must serve a new user within 1 s cannot wait for gossip
    /// alone (0.9-1.3 s measured with WriteLocal); the rest get it by delta gossip, a node per 200 ms tick. Limits and
    /// suspensions go to every reachable node at once instead (a quota cut seen 1.2 s later on the node a majority
    /// write skipped): they are rare and nobody waits in line behind them, while removals come in batches from a
    /// config reload, one at a time, and with a node unreachable a WriteAll reply waits for its timeout.
    /// </summary>
    private IWriteConsistency ConsistencyFor(IUserRegistryEvent? evt) => evt is null or UserLimitsSet
        ? new WriteAll(_settings.MajorityWriteTimeout)
        : new WriteMajority(_settings.MajorityWriteTimeout);

    private void OnUpdateResponse(IUpdateResponse response)
    {
        if (response is not UpdateSuccess)
            Log.Warning("Read-model write for {0} answered {1}; gossip will still carry the local write", _userKey, response.GetType().Name);
        if (response.Request is PendingReply pending)
        {
            pending.ReplyTo.Tell(pending.Result);
            _pendingReplies--;
            if (_stopRequested) StopIfRequestedAndIdle();
            else PassivateIfEmpty();
        }
    }

    protected override void PostStop()
    {
        _expiryCheck?.Cancel();
        base.PostStop();
    }

    private void PassivateIfEmpty()
    {
        if (!_state.IsEmpty || _pendingReplies > 0 || _passivating) return;
        _passivating = true;
        Context.Parent.Tell(new Passivate(StopWhenIdle.Instance));
    }

    // Sharding's stop message (passivation or handover): stop once every pending command has had its reply.
    private void StopIfRequestedAndIdle()
    {
        if (_pendingReplies > 0) return;
        // An upsert that slipped in after the passivation request: the shard buffers this nudge while we stop, then
        // starts (and remembers) us again, so the user is not forgotten by remember-entities.
        if (_passivating && !_state.IsEmpty) Context.Parent.Tell(new GetUser(_userKey), ActorRefs.NoSender);
        Context.Stop(Self);
    }

    // LWW by journal sequence number, not wall clock: the entity may move to a node whose clock is behind.
    private static long VersionClock(long currentTimestamp, UserRecord record) => Math.Max(record.Version, currentTimestamp + 1);

    private sealed record PendingReply(IActorRef ReplyTo, UserCommandResult Result);

    private sealed class CheckSuspension
    {
        public static CheckSuspension Instance { get; } = new();

        private CheckSuspension() { }
    }

    /// <summary>The entity's stop message for sharding (passivation and handover).</summary>
    internal sealed class StopWhenIdle
    {
        public static StopWhenIdle Instance { get; } = new();

        private StopWhenIdle() { }
    }
}
