using Akka.Actor;
using Akka.DistributedData;
using Akka.Event;
using Akka.Persistence;
using VMess.Registry.Messages;
using VMess.Registry.Traffic;

namespace VMess.Registry;

/// <summary>
/// The user's traffic counters: reports from the nodes' <see cref="TrafficReporter"/>s (each applied once, answered once
/// persisted), resets, and the read model in DData buckets <c>traffic-N</c>, written locally after each change (at most
/// once per report) and after recovery; gossip takes it to the other nodes. Every
/// <see cref="RegistrySettings.SnapshotEvery"/> events a snapshot is saved and what precedes it deleted.
/// </summary>
public sealed partial class UserEntity
{
    private bool TryHandleTrafficCommand(object message)
    {
        switch (message)
        {
            case AddTraffic add:
                OnAddTraffic(add);
                return true;
            case ResetTraffic reset:
                OnResetTraffic(reset);
                return true;
            case GetTraffic get:
                if (!IsForThisUser(get.UserKey)) return true;
                var traffic = _state.Traffic;
                Sender.Tell(new GetTrafficResult(_userKey, traffic.Uplink, traffic.Downlink, traffic.HasCounters));
                PassivateIfEmpty();
                return true;
            default:
                return false;
        }
    }

    private void OnAddTraffic(AddTraffic add)
    {
        if (!IsForThisUser(add.UserKey)) return;
        PersistThenAnswer(_state.Decide(add), new AddTrafficResult(_userKey, add.Sequence));
    }

    private void OnResetTraffic(ResetTraffic reset)
    {
        if (!IsForThisUser(reset.UserKey)) return;
        // The counters as they were before the reset, as V2Ray's reset answers.
        PersistThenAnswer(_state.Decide(reset), new ResetTrafficResult(_userKey, _state.Traffic.Uplink, _state.Traffic.Downlink));
    }

    // A traffic event may change the quota's verdict, so it is judged again once the event is applied; no event
    // (a resend, nothing to reset) is answered at once.
    private void PersistThenAnswer(IUserRegistryEvent? evt, object result)
    {
        var replyTo = Sender;
        if (evt is null)
        {
            replyTo.Tell(result);
            PassivateIfEmpty();
            return;
        }
        Persist(evt, persisted =>
        {
            Applied(persisted);
            WriteIfSuspensionChanged();
            replyTo.Tell(result);
            PassivateIfEmpty();
        });
    }

    private bool TryHandleSnapshotOutcome(object message)
    {
        switch (message)
        {
            case SaveSnapshotSuccess saved:
                _savingSnapshot = false;
                // Everything before the snapshot is in it: the journal keeps about SnapshotEvery rows per user.
                DeleteUpTo(saved.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                // A slow store (SQLite under load) may have let a whole interval of events in meanwhile.
                SnapshotIfDue();
                return true;
            case SaveSnapshotFailure failed:
                _savingSnapshot = false;
                Log.Warning("Snapshot of {0} at {1} failed; recovery replays the events instead: {2}", _userKey, failed.Metadata.SequenceNr, failed.Cause.Message);
                return true;
            case DeleteMessagesSuccess deleted:
                _deleteAttempts = 0;
                DeleteFinished(deleted.ToSequenceNr);
                return true;
            case DeleteSnapshotsSuccess:
                return true;
            case DeleteMessagesFailure failed:
            {
                // Retried at once a few times (a conflict with the writes going on), then left to the next snapshot.
                var retry = ++_deleteAttempts < MaxDeleteAttempts;
                Log.Warning("Deleting {0}'s events up to {1} failed ({2}): {3}", _userKey, failed.ToSequenceNr,
                    retry ? "retrying" : "the next snapshot tries again", failed.Cause.Message);
                if (retry) _deleteNextTo = Math.Max(_deleteNextTo, failed.ToSequenceNr);
                else _deleteAttempts = 0;
                DeleteFinished(0);
                return true;
            }
            case DeleteSnapshotsFailure failed:
                Log.Warning("Deleting {0}'s older snapshots failed: {1}", _userKey, failed.Cause.Message);
                return true;
            default:
                return false;
        }
    }

    private const int MaxDeleteAttempts = 3;

    // One deletion at a time: two overlapping ones (a slow store, snapshots close together) were seen to leave the
    // later one's events in place. A snapshot saved meanwhile deletes up to its own sequence number once this one is done.
    private void DeleteUpTo(long sequenceNr)
    {
        if (_deletingTo > 0)
        {
            _deleteNextTo = Math.Max(_deleteNextTo, sequenceNr);
            return;
        }
        _deletingTo = sequenceNr;
        DeleteMessages(sequenceNr);
    }

    private void DeleteFinished(long deletedTo)
    {
        var next = _deleteNextTo > deletedTo ? _deleteNextTo : 0;
        (_deletingTo, _deleteNextTo) = (0, 0);
        if (next > 0) DeleteUpTo(next);
    }

    /// <summary>Folds a persisted event; writes the traffic read model if the counters (or the name they carry) changed; snapshots when due.</summary>
    private void Applied(IUserRegistryEvent evt)
    {
        var traffic = _state.Traffic;
        _state = _state.Apply(evt, LastSequenceNr);
        if (!ReferenceEquals(traffic, _state.Traffic) || (evt is UserUpserted && _state.Traffic.HasCounters)) WriteTrafficReadModel();
        _eventsSinceSnapshot++;
        SnapshotIfDue();
    }

    // One save at a time; the events that arrive during a save count towards the next.
    private void SnapshotIfDue()
    {
        if (_eventsSinceSnapshot < _settings.SnapshotEvery || _savingSnapshot) return;
        _eventsSinceSnapshot = 0;
        _savingSnapshot = true;
        SaveSnapshot(UserSnapshot.Of(_state));
    }

    /// <summary>
    /// WriteLocal: other nodes get it by delta gossip within a gossip interval or so. Counters are read by operators,
    /// not by the handshake, and a majority write per report (one a second per active user) would cost far more.
    /// </summary>
    private void WriteTrafficReadModel()
    {
        var key = _userKey;
        var self = _self;
        var traffic = _state.Traffic;
        var record = traffic.HasCounters
            ? new UserTrafficRecord(_state.User?.Email ?? key, traffic.Uplink, traffic.Downlink, LastSequenceNr)
            : null;
        _replicator.Tell(Dsl.Update(
            TrafficBuckets.KeyFor(key, _settings.BucketCount),
            LWWDictionary<string, UserTrafficRecord>.Empty,
            WriteLocal.Instance,
            bucket => record is null ? bucket.Remove(self, key) : bucket.SetItem(self, key, record, TrafficVersionClock)));
    }

    private bool IsForThisUser(string userKey)
    {
        if (userKey == _userKey) return true;
        Log.Warning("Command for {0} reached entity {1}; ignored", userKey, _userKey);
        return false;
    }

    private static long TrafficVersionClock(long currentTimestamp, UserTrafficRecord record) => Math.Max(record.Version, currentTimestamp + 1);
}
