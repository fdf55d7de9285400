using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using VMess.Registry.Dispatch;

namespace VMess.Registry.Tests.Dispatch;

public sealed class CompactDequeMessageQueueTests
{
    [Fact]
    public void Queue_should_be_empty_when_new()
    {
        var queue = new CompactDequeMessageQueue();
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Dequeue_should_return_messages_in_the_order_they_were_enqueued()
    {
        var queue = new CompactDequeMessageQueue();
        for (var i = 0; i < 100; i++) queue.Enqueue(ActorRefs.Nobody, Message(i));
        Assert.Equal(Enumerable.Range(0, 100), Drain(queue));
    }

    [Fact]
    public void EnqueueFirst_should_put_a_message_before_the_waiting_ones()
    {
        var queue = new CompactDequeMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, Message(3));
        queue.Enqueue(ActorRefs.Nobody, Message(4));
        // A stash prepends its messages last to first, so they come out in their original order.
        queue.EnqueueFirst(Message(2));
        queue.EnqueueFirst(Message(1));
        Assert.Equal([1, 2, 3, 4], Drain(queue));
    }

    [Fact]
    public void Queue_should_keep_order_across_growth_when_the_ring_has_wrapped()
    {
        var queue = new CompactDequeMessageQueue();
        var expected = new List<int>();
        var next = 0;
        // Interleave dequeues, prepends and appends so the head walks around the ring before each growth.
        for (var round = 0; round < 20; round++)
        {
            for (var i = 0; i < 3; i++) queue.Enqueue(ActorRefs.Nobody, Message(next++));
            Assert.True(queue.TryDequeue(out var first));
            queue.EnqueueFirst(first);
        }
        expected.AddRange(Enumerable.Range(0, next));
        Assert.Equal(expected, Drain(queue));
    }

    [Fact]
    public void Count_and_HasMessages_should_follow_enqueues_and_dequeues()
    {
        var queue = new CompactDequeMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, Message(1));
        queue.EnqueueFirst(Message(0));
        Assert.True(queue.HasMessages);
        Assert.Equal(2, queue.Count);
        queue.TryDequeue(out _);
        Assert.Equal(1, queue.Count);
        queue.TryDequeue(out _);
        Assert.False(queue.HasMessages);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Queue_should_work_again_after_draining()
    {
        var queue = new CompactDequeMessageQueue();
        queue.Enqueue(ActorRefs.Nobody, Message(1));
        Drain(queue);
        queue.Enqueue(ActorRefs.Nobody, Message(2));
        queue.EnqueueFirst(Message(1));
        Assert.Equal([1, 2], Drain(queue));
    }

    [Fact]
    public void Dequeue_should_keep_each_senders_order_under_concurrent_senders()
    {
        const int Senders = 4, PerSender = 10_000;
        var queue = new CompactDequeMessageQueue();
        var received = new List<(int Sender, int Index)>();
        var threads = Enumerable.Range(0, Senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < PerSender; i++) queue.Enqueue(ActorRefs.Nobody, new Envelope((s, i), ActorRefs.NoSender));
        })).ToList();
        threads.ForEach(t => t.Start());
        // The single consumer drains while the senders run, as a mailbox does.
        while (received.Count < Senders * PerSender)
        {
            if (queue.TryDequeue(out var envelope)) received.Add(((int, int))envelope.Message);
            else Thread.Yield();
        }
        threads.ForEach(t => t.Join());
        Assert.False(queue.HasMessages);
        foreach (var group in received.GroupBy(r => r.Sender))
            Assert.Equal(Enumerable.Range(0, PerSender), group.Select(r => r.Index));
    }

    [Fact]
    public void CleanUp_should_send_every_remaining_message_to_dead_letters_in_order()
    {
        var queue = new CompactDequeMessageQueue();
        var owner = new NamedRef("owner");
        queue.Enqueue(owner, Message(2));
        queue.EnqueueFirst(Message(1));
        queue.Enqueue(owner, Message(3));
        var deadLetters = new RecordingQueue();
        queue.CleanUp(owner, deadLetters);
        Assert.Equal([(owner, 1), (owner, 2), (owner, 3)], deadLetters.Received);
        Assert.False(queue.HasMessages);
    }

    private static Envelope Message(int value) => new(value, ActorRefs.NoSender);

    private static List<int> Drain(CompactDequeMessageQueue queue)
    {
        var values = new List<int>();
        while (queue.TryDequeue(out var envelope)) values.Add((int)envelope.Message);
        return values;
    }

    private sealed class RecordingQueue : IMessageQueue
    {
        public List<(IActorRef Receiver, int Value)> Received { get; } = [];

        public bool HasMessages => Received.Count > 0;

        public int Count => Received.Count;

        public void Enqueue(IActorRef receiver, Envelope envelope) => Received.Add((receiver, (int)envelope.Message));

        public bool TryDequeue(out Envelope envelope) => throw new NotSupportedException();

        public void CleanUp(IActorRef owner, IMessageQueue deadletters) { }
    }

    private sealed class NamedRef(string name) : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("akka", "test")) / name;

        public override IActorRefProvider Provider => throw new NotSupportedException();
    }
}
