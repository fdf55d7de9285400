using VMess.Registry.Messages;
using VMess.Registry.Online;

namespace VMess.Registry.Tests.Online;

/// <summary>Which of a node's connections go when a user's cluster-wide connection or source-IP limit is exceeded.</summary>
public sealed class ConnectionLimitPolicyTests
{
    private const string NodeA = "online-10.0.0.1:4053#1";
    private const string NodeB = "online-10.0.0.2:4053#2";
    private static readonly UserLimits OneConnection = new(MaxConnections: 1);
    private static readonly UserLimits OneSourceIp = new(MaxSourceIps: 1);

    private static LocalConnectionStamp Local(long sequence, long openedAt, string ip = "192.0.2.1") => new(sequence, openedAt, ip);

    private static MemberConnections Other(string member, long[] oldest, Dictionary<string, long>? firstByIp = null) =>
        new(member, new OnlineUser("alice@example.com", oldest.Length, new Dictionary<string, int>())
        {
            OldestOpenedAt = oldest,
            FirstOpenedAtByIp = firstByIp ?? new Dictionary<string, long>(),
        });

    [Fact]
    public void Connections_within_the_limit_should_all_stay()
    {
        var close = ConnectionLimitPolicy.ToClose(new UserLimits(MaxConnections: 2), NodeA, [Local(1, 100), Local(2, 200)], []);
        Assert.Empty(close);
    }

    [Fact]
    public void The_newest_local_connections_over_the_limit_should_close()
    {
        var close = ConnectionLimitPolicy.ToClose(new UserLimits(MaxConnections: 2), NodeA, [Local(3, 300), Local(1, 100), Local(2, 200)], []);
        Assert.Equal(new Dictionary<long, ConnectionLimitBreach> { [3] = ConnectionLimitBreach.Connections }, close);
    }

    [Fact]
    public void A_local_connection_newer_than_another_nodes_should_close_at_a_limit_of_one()
    {
        var close = ConnectionLimitPolicy.ToClose(OneConnection, NodeB, [Local(1, 200)], [Other(NodeA, [100])]);
        Assert.Equal([1L], close.Keys);
    }

    [Fact]
    public void A_local_connection_older_than_another_nodes_should_stay_at_a_limit_of_one()
    {
        var close = ConnectionLimitPolicy.ToClose(OneConnection, NodeA, [Local(1, 100)], [Other(NodeB, [200])]);
        Assert.Empty(close);
    }

    [Fact]
    public void Two_nodes_weighing_the_same_facts_should_keep_exactly_one_connection_even_when_opened_in_the_same_tick()
    {
        var atA = ConnectionLimitPolicy.ToClose(OneConnection, NodeA, [Local(7, 100)], [Other(NodeB, [100])]);
        var atB = ConnectionLimitPolicy.ToClose(OneConnection, NodeB, [Local(3, 100)], [Other(NodeA, [100])]);

        Assert.Equal(1, atA.Count + atB.Count);
    }

    [Fact]
    public void Connections_from_a_second_source_ip_should_close_and_the_first_ips_stay()
    {
        var close = ConnectionLimitPolicy.ToClose(OneSourceIp, NodeA,
            [Local(1, 100, "192.0.2.1"), Local(2, 200, "198.51.100.7"), Local(3, 300, "192.0.2.1")], []);
        Assert.Equal(new Dictionary<long, ConnectionLimitBreach> { [2] = ConnectionLimitBreach.SourceIps }, close);
    }

    [Fact]
    public void A_source_ip_first_seen_on_another_node_should_win_over_a_newer_local_one()
    {
        var close = ConnectionLimitPolicy.ToClose(OneSourceIp, NodeB, [Local(1, 200, "198.51.100.7")],
            [Other(NodeA, [], new() { ["192.0.2.1"] = 100 })]);
        Assert.Equal([1L], close.Keys);
    }

    [Fact]
    public void The_same_source_ip_on_two_nodes_should_count_once()
    {
        var close = ConnectionLimitPolicy.ToClose(OneSourceIp, NodeB, [Local(1, 200, "192.0.2.1")],
            [Other(NodeA, [], new() { ["192.0.2.1"] = 100 })]);
        Assert.Empty(close);
    }

    [Fact]
    public void A_connection_over_both_limits_should_be_named_for_the_connection_limit()
    {
        var close = ConnectionLimitPolicy.ToClose(new UserLimits(MaxConnections: 1, MaxSourceIps: 1), NodeA,
            [Local(1, 100, "192.0.2.1"), Local(2, 200, "198.51.100.7")], []);
        Assert.Equal(new Dictionary<long, ConnectionLimitBreach> { [2] = ConnectionLimitBreach.Connections }, close);
    }

    [Fact]
    public void A_node_should_publish_only_as_many_open_times_and_ips_as_the_limits_need()
    {
        var (oldest, byIp) = ConnectionLimitPolicy.Published(new UserLimits(MaxConnections: 2, MaxSourceIps: 1),
            [Local(1, 300, "198.51.100.7"), Local(2, 100, "192.0.2.1"), Local(3, 200, "198.51.100.7")]);

        Assert.Equal([100L, 200L], oldest);
        Assert.Equal(new Dictionary<string, long> { ["192.0.2.1"] = 100 }, byIp);
    }

    [Fact]
    public void A_user_without_connection_limits_should_never_lose_a_connection()
    {
        var close = ConnectionLimitPolicy.ToClose(new UserLimits(QuotaBytes: 5), NodeA, [Local(1, 100), Local(2, 200)], [Other(NodeB, [50])]);
        Assert.Empty(close);
    }
}
