using VMess.Cluster.Host.Operator;
using VMess.Cluster.Host.Tests.Support;
using VMess.Configuration;
using VMess.Protocol.Ids;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary><c>vmess-cluster link EMAIL</c> against a node process: the user's share link for the node's inbound, and its QR code.</summary>
[Collection(OperatorNode.Collection)]
public sealed class LinkCommandTests(OperatorNode node)
{
    private const string Id = "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

    [Fact]
    public async Task Link_should_print_a_link_that_VMessShareLink_reads_back_as_the_user_at_the_inbound()
    {
        await AddAsync("link-user@example.com", "--alter-id", "1");

        var printed = await node.RunAsync("link", "link-user@example.com");

        Assert.True(printed.ExitCode == 0, printed.ToString());
        Assert.True(VMessShareLink.TryParse(printed.Stdout.Split('\n')[0], out var link), printed.ToString());
        Assert.Equal(new VMessShareLink("link-user@example.com", "127.0.0.1", node.VMessPort, VMessUserId.Parse(Id), 1, "auto"), link);
    }

    [Fact]
    public async Task Link_should_print_the_QR_code_of_the_link_below_it()
    {
        await AddAsync("link-qr@example.com");

        var printed = await node.RunAsync("link", "link-qr@example.com");

        var lines = printed.Stdout.Split('\n');
        Assert.Equal("", lines[1]);
        Assert.Equal(TerminalQrCode.Render(lines[0]), string.Join('\n', lines[2..]));
    }

    [Fact]
    public async Task Link_should_point_at_the_address_and_port_given()
    {
        await AddAsync("link-address@example.com");

        var printed = await node.RunAsync("link", "link-address@example.com", "--address", "vmess.example.com", "--port", "443");

        Assert.True(VMessShareLink.TryParse(printed.Stdout.Split('\n')[0], out var link), printed.ToString());
        Assert.Equal(("vmess.example.com", 443), (link.Address, link.Port));
    }

    [Fact]
    public async Task Link_should_exit_1_saying_NOT_FOUND_for_an_unknown_user()
    {
        var printed = await node.RunAsync("link", "nobody@example.com");

        Assert.Equal(1, printed.ExitCode);
        Assert.Contains("NOT_FOUND: User nobody@example.com not found.", printed.Stderr, StringComparison.Ordinal);
    }

    private async Task AddAsync(string email, params string[] options)
    {
        var added = await node.RunAsync(["user", "add", email, "--id", Id, .. options]);
        Assert.True(added.ExitCode == 0, added.ToString());
    }
}
