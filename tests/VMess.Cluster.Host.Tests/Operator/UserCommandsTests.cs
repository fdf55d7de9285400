using System.Text.RegularExpressions;
using VMess.Cluster.Host.Tests.Support;
using VMess.Configuration;
using VMess.Protocol.Ids;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>
/// <c>vmess-cluster user ...</c> against a node process whose API needs a token: a user added on the command line is
/// one a real v2ray client authenticates as, is listed and shown, is refused once removed or disabled, and takes limits.
/// </summary>
[Collection(OperatorNode.Collection)]
public sealed partial class UserCommandsTests(OperatorNode node, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task User_add_should_print_an_id_that_a_real_v2ray_client_then_authenticates_with()
    {
        using var cts = new CancellationTokenSource(Timeout);

        var added = await node.RunAsync("user", "add", "cli-added@example.com");

        Assert.True(added.ExitCode == 0, added.ToString());
        var id = IdLine().Match(added.Stdout).Groups[1].Value;
        await using var v2ray = await V2RayClient.StartAsync(node.VMessPort, id, output, cts.Token);
        await v2ray.WaitUntilEchoesAsync(expected: true, cts.Token);
    }

    [Fact]
    public async Task User_add_should_print_a_share_link_to_the_inbound_with_the_users_account()
    {
        var added = await node.RunAsync("user", "add", "cli-link@example.com", "--id", "0c3f0e53-6c4b-4dcd-9a4e-1a0d1f4b6a10", "--alter-id", "2");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(VMessShareLink.TryParse(LinkLine().Match(added.Stdout).Groups[1].Value, out var link), added.ToString());
        Assert.Equal(("cli-link@example.com", "127.0.0.1", node.VMessPort, VMessUserId.Parse("0c3f0e53-6c4b-4dcd-9a4e-1a0d1f4b6a10"), 2),
            (link.Name, link.Address, link.Port, link.Id, link.AlterId));
    }

    [Fact]
    public async Task User_add_of_an_existing_email_should_say_it_updated_the_user_and_its_old_id()
    {
        const string id = "1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6";
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-twice@example.com", "--id", id)).ExitCode);

        var again = await node.RunAsync("user", "add", "cli-twice@example.com");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith($"updated cli-twice@example.com through inbound 'vmess-in' (its id was {id}, alterId 0, level 0)", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_list_should_show_an_added_user_with_its_account()
    {
        const string id = "5b0d9f0e-3e55-4a8e-9f0a-2b7e0d1c9a01";
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-listed@example.com", "--id", id, "--alter-id", "4", "--level", "1")).ExitCode);

        // The listing reads the node's replica, which has the user a moment after the add returns.
        var listed = await EventuallyAsync(() => node.RunAsync("user", "list"), r => r.Stdout.Contains("cli-listed@example.com", StringComparison.Ordinal));

        var row = listed.Stdout.Split('\n').Single(l => l.StartsWith("cli-listed@example.com", StringComparison.Ordinal));
        Assert.Equal(["cli-listed@example.com", id, "4", "1", "enabled", "0", "0", "0"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("EMAIL ", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_show_should_show_an_added_user()
    {
        const string id = "9d4c3b2a-1f0e-4d8c-8b7a-6f5e4d3c2b1a";
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-shown@example.com", "--id", id, "--level", "3")).ExitCode);

        var shown = await node.RunAsync("user", "show", "CLI-Shown@example.com");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains($"id:               {id}\n", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("level:            3\n", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("state:            enabled\n", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("max connections:  no limit\n", shown.Stdout, StringComparison.Ordinal);
        Assert.Contains("online:           no connections\n", shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_remove_should_make_the_node_refuse_the_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var added = await node.RunAsync("user", "add", "cli-removed@example.com");
        var id = IdLine().Match(added.Stdout).Groups[1].Value;
        await using var v2ray = await V2RayClient.StartAsync(node.VMessPort, id, output, cts.Token);
        await v2ray.WaitUntilEchoesAsync(expected: true, cts.Token);

        var removed = await node.RunAsync("user", "remove", "cli-removed@example.com");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Equal("removed cli-removed@example.com: every node refuses it within about a second\n", removed.Stdout);
        await v2ray.WaitUntilEchoesAsync(expected: false, cts.Token);
    }

    [Fact]
    public async Task User_remove_with_reset_counters_should_say_what_the_counters_held_and_leave_none()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var added = await node.RunAsync("user", "add", "cli-reset@example.com");
        var id = IdLine().Match(added.Stdout).Groups[1].Value;
        await using (var v2ray = await V2RayClient.StartAsync(node.VMessPort, id, output, cts.Token))
        {
            await v2ray.WaitUntilEchoesAsync(expected: true, cts.Token);
        }
        // One echo went through (refused attempts count nothing): its payload each way, once reported.
        const string pattern = "user>>>cli-reset@example.com>>>";
        await EventuallyAsync(() => node.RunAsync("stats", "--pattern", pattern),
            r => r.Stdout.Split('\n').Count(line => line.StartsWith(pattern, StringComparison.Ordinal) && line.EndsWith($" {V2RayClient.PayloadSize}", StringComparison.Ordinal)) == 2);

        var removed = await node.RunAsync("user", "remove", "cli-reset@example.com", "--reset-counters");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.EndsWith($"\nreset cli-reset@example.com's counters (they held uplink {V2RayClient.PayloadSize}, downlink {V2RayClient.PayloadSize} bytes)\n",
            removed.Stdout, StringComparison.Ordinal);
        await EventuallyAsync(() => node.RunAsync("stats", "--pattern", pattern), r => r.Stdout.Contains("no counters match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_show_should_exit_1_saying_NOT_FOUND_for_an_unknown_user()
    {
        var shown = await node.RunAsync("user", "show", "nobody@example.com");

        Assert.Equal(1, shown.ExitCode);
        Assert.Equal($"vmess-cluster: UserService.GetUser at {node.Server}: NOT_FOUND: User nobody@example.com not found.\n", shown.Stderr);
        Assert.Empty(shown.Stdout);
    }

    [Fact]
    public async Task User_add_should_exit_1_saying_why_the_node_refused_the_tag()
    {
        var added = await node.RunAsync("user", "add", "cli-tag@example.com", "--tag", "api");

        Assert.Equal(1, added.ExitCode);
        Assert.StartsWith($"vmess-cluster: HandlerService.AlterInbound at {node.Server}: FAILED_PRECONDITION: inbound 'api' is the API's own inbound",
            added.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_add_should_exit_2_for_an_id_that_is_not_a_UUID()
    {
        var added = await node.RunAsync("user", "add", "cli-bad@example.com", "--id", "not-a-uuid");

        Assert.Equal(2, added.ExitCode);
        Assert.StartsWith("vmess-cluster: --id must be a UUID", added.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: vmess-cluster user add EMAIL", added.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_limit_should_change_only_the_limits_given_and_keep_the_others()
    {
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-limited@example.com")).ExitCode);
        var first = await node.RunAsync("user", "limit", "cli-limited@example.com", "--quota", "10GiB", "--expires", "2100-01-01");
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = await node.RunAsync("user", "limit", "cli-limited@example.com", "--max-connections", "3");

        Assert.True(second.ExitCode == 0, second.ToString());
        var shown = await node.RunAsync("user", "show", "cli-limited@example.com");
        Assert.Contains("""
            state:            enabled
            max connections:  3
            max source IPs:   no limit
            quota:            10 GiB (10737418240 bytes)
            expires:          2100-01-01T00:00:00Z

            """.ReplaceLineEndings("\n"), shown.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_limit_should_print_the_limits_it_set_and_the_users_state()
    {
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-limit-printed@example.com")).ExitCode);

        var limited = await node.RunAsync("user", "limit", "cli-limit-printed@example.com", "--max-ips", "2", "--quota", "500MB");

        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.Equal("""
            set the limits of cli-limit-printed@example.com: every node applies them within about a second
            max connections:  no limit
            max source IPs:   2
            quota:            500 MB (500000000 bytes)
            expires:          never
            state:            enabled

            """.ReplaceLineEndings("\n"), limited.Stdout);
    }

    [Fact]
    public async Task User_limit_should_say_when_the_user_already_had_the_limits()
    {
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-same-limits@example.com")).ExitCode);
        Assert.Equal(0, (await node.RunAsync("user", "limit", "cli-same-limits@example.com", "--max-connections", "2")).ExitCode);

        var again = await node.RunAsync("user", "limit", "cli-same-limits@example.com", "--max-connections", "2");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith("cli-same-limits@example.com already had these limits: nothing changed\n", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_limit_with_an_expiry_that_has_passed_should_show_the_user_suspended()
    {
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-expired@example.com")).ExitCode);

        var limited = await node.RunAsync("user", "limit", "cli-expired@example.com", "--expires", "2020-01-01T00:00:00Z");

        Assert.True(limited.ExitCode == 0, limited.ToString());
        Assert.EndsWith("state:            suspended: expired\n", limited.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_limit_should_exit_1_saying_NOT_FOUND_for_an_unknown_user()
    {
        var limited = await node.RunAsync("user", "limit", "nobody@example.com", "--max-connections", "1");

        Assert.Equal(1, limited.ExitCode);
        Assert.Equal($"vmess-cluster: UserService.GetUser at {node.Server}: NOT_FOUND: User nobody@example.com not found.\n", limited.Stderr);
    }

    [Fact]
    public async Task User_limit_should_exit_2_without_a_limit_to_change()
    {
        var limited = await node.RunAsync("user", "limit", "cli-nothing@example.com");

        Assert.Equal(2, limited.ExitCode);
        Assert.StartsWith("vmess-cluster: user limit needs at least one of --max-connections, --max-ips, --quota, --expires\n", limited.Stderr, StringComparison.Ordinal);
        Assert.Contains("usage: vmess-cluster user limit EMAIL [--max-connections N] [--max-ips N] [--quota SIZE] [--expires WHEN]", limited.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_limit_should_exit_2_for_a_size_saying_which_units_are_decimal_and_which_binary()
    {
        var limited = await node.RunAsync("user", "limit", "cli-bad-size@example.com", "--quota", "10G");

        Assert.Equal(2, limited.ExitCode);
        Assert.Contains("KB, MB, GB, TB, PB are powers of 1000, KiB, MiB, GiB, TiB, PiB powers of 1024), was '10G'", limited.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_disable_should_make_the_node_refuse_the_user()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var added = await node.RunAsync("user", "add", "cli-disabled@example.com");
        var id = IdLine().Match(added.Stdout).Groups[1].Value;
        await using var v2ray = await V2RayClient.StartAsync(node.VMessPort, id, output, cts.Token);
        await v2ray.WaitUntilEchoesAsync(expected: true, cts.Token);

        var disabled = await node.RunAsync("user", "disable", "cli-disabled@example.com");

        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        Assert.Equal("""
            disabled cli-disabled@example.com: every node refuses it and closes its connections within about a second
            state:            disabled

            """.ReplaceLineEndings("\n"), disabled.Stdout);
        await v2ray.WaitUntilEchoesAsync(expected: false, cts.Token);
    }

    [Fact]
    public async Task User_enable_should_make_the_node_serve_a_disabled_user_again()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var added = await node.RunAsync("user", "add", "cli-enabled@example.com");
        var id = IdLine().Match(added.Stdout).Groups[1].Value;
        Assert.Equal(0, (await node.RunAsync("user", "disable", "cli-enabled@example.com")).ExitCode);

        var enabled = await node.RunAsync("user", "enable", "cli-enabled@example.com");

        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.Equal("""
            enabled cli-enabled@example.com: every node serves it within about a second
            state:            enabled

            """.ReplaceLineEndings("\n"), enabled.Stdout);
        await using var v2ray = await V2RayClient.StartAsync(node.VMessPort, id, output, cts.Token);
        await v2ray.WaitUntilEchoesAsync(expected: true, cts.Token);
    }

    [Fact]
    public async Task User_enable_should_say_when_the_user_was_enabled_already()
    {
        Assert.Equal(0, (await node.RunAsync("user", "add", "cli-enabled-twice@example.com")).ExitCode);

        var enabled = await node.RunAsync("user", "enable", "cli-enabled-twice@example.com");

        Assert.True(enabled.ExitCode == 0, enabled.ToString());
        Assert.StartsWith("cli-enabled-twice@example.com was enabled already\n", enabled.Stdout, StringComparison.Ordinal);
    }

    private static async Task<CliResult> EventuallyAsync(Func<Task<CliResult>> run, Func<CliResult, bool> done)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var result = await run();
            if (done(result)) return result;
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {Timeout}; the last run: {result}");
            }
        }
    }

    [GeneratedRegex(@"^id:\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex IdLine();

    [GeneratedRegex(@"^link:\s+(\S+)$", RegexOptions.Multiline)]
    private static partial Regex LinkLine();
}
