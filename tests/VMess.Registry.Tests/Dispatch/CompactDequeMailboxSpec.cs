using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit.Xunit2;
using VMess.Registry.Dispatch;
using VMess.Registry.Persistence;
using Xunit.Abstractions;

namespace VMess.Registry.Tests.Dispatch;

/// <summary>The compact mailbox under a persistent actor, whose stashes put messages back in front of the queue.</summary>
public sealed class CompactDequeMailboxSpec(ITestOutputHelper output) : TestKit(RegistryPersistence.InMemory, output: output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Persistent_actor_should_get_the_compact_queue_once_the_mailbox_is_configured()
    {
        CompactDequeMailbox.EnsureConfigured(Sys);
        var actor = Sys.ActorOf(Recorder.Props().WithMailbox(CompactDequeMailbox.ConfigPath));
        Assert.Equal(typeof(CompactDequeMessageQueue), await actor.Ask<Type>(Recorder.GetQueueType.Instance, Bound));
    }

    [Fact]
    public void Commands_should_be_handled_in_arrival_order_around_persists_and_stashes()
    {
        CompactDequeMailbox.EnsureConfigured(Sys);
        var actor = Sys.ActorOf(Recorder.Props().WithMailbox(CompactDequeMailbox.ConfigPath));
        // Every command persists (the commands behind it wait in the internal stash); those sent while held wait in
        // the user stash until the release. Both go back in front of the queue, and nothing may overtake.
        for (var i = 0; i < 50; i++) actor.Tell(i);
        actor.Tell(Recorder.Hold.Instance);
        for (var i = 50; i < 100; i++) actor.Tell(i);
        actor.Tell(Recorder.Release.Instance);
        for (var i = 100; i < 150; i++) actor.Tell(i);
        for (var i = 0; i < 150; i++) ExpectMsg(i, Bound);
    }

    private sealed class Recorder : UntypedPersistentActor
    {
        private bool _holding;

        public override string PersistenceId => "recorder-" + Self.Path.Name;

        public static Props Props() => Akka.Actor.Props.Create(() => new Recorder());

        protected override void OnRecover(object message) { }

        protected override void OnCommand(object message)
        {
            switch (message)
            {
                case GetQueueType:
                    Sender.Tell(((ActorCell)Context).Mailbox!.MessageQueue.GetType());
                    break;
                case Hold:
                    _holding = true;
                    break;
                case Release:
                    _holding = false;
                    Stash.UnstashAll();
                    break;
                case int when _holding:
                    Stash.Stash();
                    break;
                case int value:
                    var replyTo = Sender;
                    Persist(value, persisted => replyTo.Tell(persisted));
                    break;
            }
        }

        public sealed class GetQueueType
        {
            public static GetQueueType Instance { get; } = new();
        }

        public sealed class Hold
        {
            public static Hold Instance { get; } = new();
        }

        public sealed class Release
        {
            public static Release Instance { get; } = new();
        }
    }
}
