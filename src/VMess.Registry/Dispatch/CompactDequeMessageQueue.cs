using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace VMess.Registry.Dispatch;

/// <summary>
/// An unbounded deque-based message queue (what a persistent actor's stash needs: <see cref="EnqueueFirst"/> puts
/// unstashed messages back in front) that holds no buffer while it is empty. Akka's own (a <c>ConcurrentQueue</c>
/// plus a prepend stack) keeps a 32-slot segment per actor, about 1 KB, for each of a node's mostly idle user entities.
/// Senders enqueue from any thread, under a lock; only the actor's mailbox run dequeues and prepends.
/// </summary>
public sealed class CompactDequeMessageQueue : IMessageQueue, IUnboundedDequeBasedMessageQueueSemantics
{
    private const int FirstCapacity = 4;

    // A ring of a power-of-two length; empty (the shared empty array) while no message waits.
    private Envelope[] _ring = [];
    private int _head;
    private volatile int _count;

    public bool HasMessages => _count > 0;

    public int Count => _count;

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        // The queue is its own lock: nothing outside its mailbox sees it, and a lock object would cost every entity.
        lock (this)
        {
            if (_count == _ring.Length) Grow();
            _ring[(_head + _count) & (_ring.Length - 1)] = envelope;
            _count++;
        }
    }

    public void EnqueueFirst(Envelope envelope)
    {
        lock (this)
        {
            if (_count == _ring.Length) Grow();
            _head = (_head - 1) & (_ring.Length - 1);
            _ring[_head] = envelope;
            _count++;
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        // Only the consumer takes messages out, so an empty count stays empty until a sender adds one; the mailbox
        // looks at HasMessages again after its run, as it does with Akka's lock-free queues.
        if (_count == 0)
        {
            envelope = default;
            return false;
        }
        lock (this)
        {
            envelope = _ring[_head];
            if (--_count == 0)
            {
                // Drained: let the buffer go (an idle entity holds none); the next message allocates a small one.
                _ring = [];
                _head = 0;
            }
            else
            {
                _ring[_head] = default;
                _head = (_head + 1) & (_ring.Length - 1);
            }
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope)) deadletters.Enqueue(owner, envelope);
    }

    private void Grow()
    {
        var grown = new Envelope[_ring.Length == 0 ? FirstCapacity : _ring.Length * 2];
        for (var i = 0; i < _count; i++) grown[i] = _ring[(_head + i) & (_ring.Length - 1)];
        _ring = grown;
        _head = 0;
    }
}
