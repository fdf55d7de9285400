using Akka.Actor;
using Akka.Event;
using VMess.Registry.Messages;

namespace VMess.Registry.Traffic;

/// <summary>
/// One per node. Every <see cref="TrafficSettings.ReportInterval"/> it collects the node's live connections into the
/// <see cref="TrafficLedger"/>, takes each user's new bytes and sends them to the user's entity as one
/// <see cref="AddTraffic"/>. At most one report per user is unanswered at a time: bytes that arrive meanwhile wait for
/// the next. An unanswered report is sent again, unchanged, after <see cref="TrafficSettings.ResendAfter"/> (the entity
/// counts a (reporter, sequence) once), so an entity lost with its node loses nothing once sharding restarts it. What
/// this node loses if it crashes is what it had not reported yet.
/// </summary>
public sealed class TrafficReporter : ReceiveActor, IWithTimers
{
    public const string Name = "traffic-reporter";

    private readonly TrafficLedger _ledger;
    private readonly IActorRef _registry;
    private readonly long _reporter;
    private readonly TimeSpan _interval;
    private readonly int _resendAfterIntervals;
    private readonly Dictionary<string, UserReports> _users = new(StringComparer.Ordinal);
    private readonly List<UserTrafficDelta> _taken = [];
    private readonly List<IActorRef> _flushWaiters = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _sequence;
    private long _reports;
    private long _resends;

    /// <param name="reporter">This reporter's identity in the entities' dedup marks: different for every start of a
    /// reporter anywhere in the cluster (the host draws it at random), since sequences start again at 1.</param>
    public TrafficReporter(TrafficLedger ledger, IActorRef registry, TrafficSettings settings, long reporter)
    {
        settings.EnsureValid();
        _ledger = ledger;
        _registry = registry;
        _reporter = reporter;
        _interval = settings.ReportInterval;
        _resendAfterIntervals = settings.ResendAfterIntervals;

        Receive<ReportDue>(_ => Report());
        Receive<AddTrafficResult>(OnAnswered);
        Receive<FlushTraffic>(_ =>
        {
            _flushWaiters.Add(Sender);
            Report();
        });
        Receive<GetTrafficReporterStats>(_ => Sender.Tell(new TrafficReporterStats(_reports, _resends, _users.Values.Count(u => u.Unanswered is not null))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TrafficLedger ledger, IActorRef registry, TrafficSettings settings, long reporter) =>
        Akka.Actor.Props.Create(() => new TrafficReporter(ledger, registry, settings, reporter));

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(ReportDue), ReportDue.Instance, _interval);

    protected override void PostStop()
    {
        var unreported = _users.Values.Aggregate(default(TrafficTotals), (sum, u) => sum + u.Pending + u.UnansweredBytes);
        if (!unreported.IsZero)
            _log.Warning("traffic: stopped with {0} uplink and {1} downlink bytes of {2} user(s) not confirmed by their entities",
                unreported.Uplink, unreported.Downlink, _users.Count);
    }

    private void Report()
    {
        _ledger.Collect();
        _taken.Clear();
        _ledger.TakePending(_taken);
        foreach (var delta in _taken)
        {
            var key = UserKey.ForEmail(delta.Email);
            if (!_users.TryGetValue(key, out var user)) _users[key] = user = new UserReports();
            user.Pending += delta.Bytes;
        }
        foreach (var (key, user) in _users)
        {
            if (user.Unanswered is { } unanswered)
            {
                if (++user.IntervalsUnanswered < _resendAfterIntervals) continue;
                user.IntervalsUnanswered = 0;
                _resends++;
                _registry.Tell(unanswered);
            }
            else if (!user.Pending.IsZero) Send(key, user);
        }
        AnswerFlushWaitersIfDone();
    }

    private void Send(string key, UserReports user)
    {
        user.Unanswered = new AddTraffic(key, _reporter, ++_sequence, user.Pending.Uplink, user.Pending.Downlink);
        user.Pending = default;
        user.IntervalsUnanswered = 0;
        _reports++;
        _registry.Tell(user.Unanswered);
    }

    private void OnAnswered(AddTrafficResult answer)
    {
        if (!_users.TryGetValue(answer.UserKey, out var user) || user.Unanswered?.Sequence != answer.Sequence) return;
        user.Unanswered = null;
        if (user.Pending.IsZero) _users.Remove(answer.UserKey);
        else if (_flushWaiters.Count > 0) Send(answer.UserKey, user);
        AnswerFlushWaitersIfDone();
    }

    private void AnswerFlushWaitersIfDone()
    {
        if (_flushWaiters.Count == 0 || _users.Count > 0) return;
        foreach (var waiter in _flushWaiters) waiter.Tell(TrafficFlushed.Instance);
        _flushWaiters.Clear();
    }

    private sealed class UserReports
    {
        public TrafficTotals Pending;
        public AddTraffic? Unanswered;
        public int IntervalsUnanswered;

        public TrafficTotals UnansweredBytes => Unanswered is { } report ? new TrafficTotals(report.Uplink, report.Downlink) : default;
    }

    private sealed class ReportDue
    {
        public static ReportDue Instance { get; } = new();
    }
}
