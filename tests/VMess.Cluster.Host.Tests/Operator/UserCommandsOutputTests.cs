using VMess.Cluster.Host.Tests.Support;
using VMess.Protocol.Ids;
using VMess.Registry.Messages;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>
/// <c>user show</c> and <c>user list</c> against the API in this process over fixed registry records: every state a
/// user can be in (suspended ones too) and its limits, as printed.
/// </summary>
public sealed class UserCommandsOutputTests : IAsyncLifetime
{
    private static readonly VMessUserId AliceId = VMessUserId.Parse("6c1d0a52-8f3b-4d2e-9a71-5b0c2e4f8a13");

    private static readonly UserRecord[] Users =
    [
        new(AliceId, 0, 1, "alice@example.com", Enabled: true, Version: 1)
        {
            Limits = new UserLimits(MaxConnections: 3, MaxSourceIps: 0, QuotaBytes: 10_737_418_240, ExpiresAt: 1_798_761_600_000),
            Suspension = UserSuspension.QuotaUsedUp,
        },
        new(VMessUserId.Parse("0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f"), 0, 0, "bob@example.com", Enabled: false, Version: 1),
        new(VMessUserId.Parse("1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d"), 0, 0, "carol@example.com", Enabled: true, Version: 1)
        {
            Limits = new UserLimits(ExpiresAt: 1_000),
            Suspension = UserSuspension.Expired,
        },
        new(VMessUserId.Parse("2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e"), 0, 0, "dave@example.com", Enabled: true, Version: 1),
    ];

    private StubApi _api = null!;

    public async Task InitializeAsync()
    {
        _api = await StubApi.StartAsync(users: Users);
        _api.Traffic.Add("user>>>alice@example.com>>>traffic>>>uplink", 10_000_000_000);
        _api.Traffic.Add("user>>>alice@example.com>>>traffic>>>downlink", 737_418_240);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task User_show_should_print_the_state_and_limits_readably()
    {
        var shown = await RunAsync("user", "show", "alice@example.com");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Equal($"""
            email:            alice@example.com
            id:               {AliceId}
            alterId:          0
            level:            1
            state:            suspended: quota used up
            max connections:  3
            max source IPs:   no limit
            quota:            10 GiB (10737418240 bytes)
            expires:          2027-01-01T00:00:00Z
            uplink:           10 GB (10000000000 bytes)
            downlink:         703.26 MiB (737418240 bytes)
            online:           no connections

            """.ReplaceLineEndings("\n"), shown.Stdout);
    }

    [Theory]
    [InlineData("bob@example.com", "disabled")]
    [InlineData("carol@example.com", "suspended: expired")]
    [InlineData("dave@example.com", "enabled")]
    public async Task User_show_should_print_the_users_state(string email, string state)
    {
        var shown = await RunAsync("user", "show", email);

        Assert.Contains($"state:            {state}\n", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_list_should_have_a_state_column()
    {
        var listed = await RunAsync("user", "list");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        var states = listed.Stdout.Split('\n')
            .Where(l => l.Contains("@example.com", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(cells => (cells[0], cells[4]));
        Assert.Equal([("alice@example.com", "quota-used-up"), ("bob@example.com", "disabled"), ("carol@example.com", "expired"), ("dave@example.com", "enabled")],
            states);
        Assert.Equal(["EMAIL", "ID", "ALTERID", "LEVEL", "STATE", "UPLINK", "DOWNLINK", "ONLINE"], listed.Stdout.Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    private Task<CliResult> RunAsync(params string[] args) => OperatorCli.RunAsync([.. args, "--server", _api.Server]);
}
