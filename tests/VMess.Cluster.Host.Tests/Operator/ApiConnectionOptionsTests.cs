using VMess.Cluster.Host.Operator;
using VMess.Cluster.Host.Tests.Support;

namespace VMess.Cluster.Host.Tests.Operator;

/// <summary>Which API an operator command talks to: --server, else the api inbound of -c FILE, else 127.0.0.1:10085.</summary>
public sealed class ApiConnectionOptionsTests
{
    [Theory]
    [InlineData("127.0.0.1:10085", "127.0.0.1", 10085)]
    [InlineData("node1.example.com:443", "node1.example.com", 443)]
    [InlineData("[::1]:10085", "::1", 10085)]
    public void ParseServer_should_read_host_and_port(string server, string host, int port)
    {
        Assert.Equal((host, port), ApiConnectionOptions.ParseServer(server));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("::1:10085")]
    [InlineData(":10085")]
    public void ParseServer_should_refuse_anything_but_HOST_PORT(string server)
    {
        Assert.Throws<UsageException>(() => ApiConnectionOptions.ParseServer(server));
    }

    [Fact]
    public void The_server_should_default_to_127_0_0_1_port_10085()
    {
        var options = From([]);

        Assert.Equal("127.0.0.1:10085", options.Server);
    }

    [Fact]
    public void The_server_should_default_to_the_configs_api_inbound_reached_through_loopback()
    {
        using var directory = new TempDirectory();
        var config = directory.Write("node.json", OperatorNode.ConfigJson.Replace("\"port\": 0, \"protocol\": \"dokodemo-door\"",
            "\"port\": 10999, \"protocol\": \"dokodemo-door\"", StringComparison.Ordinal));

        var options = From(["-c", config]);

        Assert.Equal(("127.0.0.1:10999", "vmess-in"), (options.Server, options.ConfigUserInboundTag));
    }

    [Fact]
    public void A_config_without_an_api_should_be_an_error_that_asks_for_the_server()
    {
        using var directory = new TempDirectory();
        var config = directory.Write("node.json", """{ "inbounds": [ { "port": 10086, "protocol": "vmess", "settings": { "clients": [] } } ] }""");

        var error = Assert.Throws<OperatorException>(() => From(["-c", config]));

        Assert.EndsWith("has no operator API (an api section and a routing rule to its inbound); give --server HOST:PORT", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_timeout_should_default_to_15_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), From([]).Timeout);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("soon")]
    public void A_timeout_that_is_not_a_positive_number_should_be_refused(string timeout)
    {
        Assert.Throws<UsageException>(() => From(["--timeout", timeout]));
    }

    [Fact]
    public void The_token_given_should_win_over_VMESS_API_TOKEN()
    {
        var options = From(["--token", "given"], name => name == "VMESS_API_TOKEN" ? "from-environment" : null);

        Assert.Equal("given", options.Token);
    }

    private static ApiConnectionOptions From(string[] args, Func<string, string?>? environment = null) =>
        ApiConnectionOptions.From(OperatorArguments.Parse(args, "test", 0, ApiConnectionOptions.OptionNames), environment ?? (_ => null));
}
