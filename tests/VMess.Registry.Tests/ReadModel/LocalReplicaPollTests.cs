using Akka.Cluster;
using Akka.DistributedData;
using VMess.Registry.ReadModel;

namespace VMess.Registry.Tests.ReadModel;

public sealed class LocalReplicaPollTests
{
    private static readonly GCounterKey First = new("first");
    private static readonly GCounterKey Second = new("second");
    private static readonly UniqueAddress Node = new(new Akka.Actor.Address("akka.tcp", "test", "127.0.0.1", 2552), 1);

    private readonly LocalReplicaPoll<GCounter> _poll = new([First, Second]);

    [Fact]
    public void A_keys_first_value_should_be_a_change_with_its_index()
    {
        var value = GCounter.Empty.Increment(Node);

        Assert.True(_poll.TryTakeChange(new GetSuccess(Second, null, value), out var index, out var taken));
        Assert.Equal((1, value), (index, taken));
    }

    [Fact]
    public void The_same_value_read_again_should_not_be_a_change()
    {
        var value = GCounter.Empty.Increment(Node);
        _poll.TryTakeChange(new GetSuccess(First, null, value), out _, out _);

        Assert.False(_poll.TryTakeChange(new GetSuccess(First, null, value), out _, out _));
    }

    [Fact]
    public void A_new_value_of_a_key_should_be_a_change()
    {
        var value = GCounter.Empty.Increment(Node);
        _poll.TryTakeChange(new GetSuccess(First, null, value), out _, out _);
        var next = value.Increment(Node);

        Assert.True(_poll.TryTakeChange(new GetSuccess(First, null, next), out _, out var taken));
        Assert.Same(next, taken);
    }

    [Fact]
    public void A_key_not_found_or_not_polled_should_not_be_a_change()
    {
        Assert.False(_poll.TryTakeChange(new NotFound(First, null), out _, out _));
        Assert.False(_poll.TryTakeChange(new GetSuccess(new GCounterKey("other"), null, GCounter.Empty.Increment(Node)), out _, out _));
    }
}
