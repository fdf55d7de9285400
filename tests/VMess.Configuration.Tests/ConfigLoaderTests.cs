using System.Collections.Immutable;
using System.Net;
using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests;

public sealed class ConfigLoaderTests
{
    private static readonly VMessUserId Alice = VMessUserId.Parse(Samples.AliceId);
    private static readonly VMessUserId Bob = VMessUserId.Parse(Samples.BobId);

    [Fact]
    public void Load_should_read_the_typical_server_sample()
    {
        var expected = new NodeOptions(
            new LogOptions(LogLevel.Warning, AccessLogPath: null, AccessLogEnabled: false, ErrorLogPath: null),
            [
                new InboundOptions("vmess-in", IPAddress.Any, 10086, InboundProtocol.VMess, new VMessInboundSettings(
                    [
                        new VMessAccount(Alice, AlterId: 0, Level: 0, "alice@example.com"),
                        new VMessAccount(Bob, AlterId: 64, Level: 1, "bob@example.com"),
                    ],
                    VMessDefaultUser.Default,
                    DetourTo: null,
                    DisableInsecureEncryption: true)),
            ],
            [
                new OutboundOptions(null, OutboundProtocol.Freedom, FreedomSettings.Default, null),
                new OutboundOptions("blocked", OutboundProtocol.Blackhole, null, BlackholeSettings.Default),
            ],
            PolicyOptions.Default);

        Assert.Equal(expected, Samples.Valid(Samples.LoadSample("typical-server.json")));
    }

    [Fact]
    public void Load_should_warn_about_each_ignored_V2Ray_feature_of_the_typical_server_sample()
    {
        var warnings = Samples.LoadSample("typical-server.json").Warnings;

        Assert.Equal(["inbounds[0].sniffing", "outbounds[1]", "routing.rules[0]"], warnings.Select(w => w.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_should_merge_each_policy_level_of_the_sample_over_V2Ray_defaults()
    {
        var defaults = LevelPolicy.Default;
        var expected = new PolicyOptions(
            ImmutableDictionary<int, LevelPolicy>.Empty
                .Add(0, defaults with { ConnectionIdle = TimeSpan.FromSeconds(120), StatsUserUplink = true, StatsUserDownlink = true })
                .Add(1, new LevelPolicy(
                    TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5),
                    64 * 1024, StatsUserUplink: false, StatsUserDownlink: false))
                .Add(2, defaults with { BufferSizeBytes = LevelPolicy.UnlimitedBuffer })
                .Add(3, defaults with { BufferSizeBytes = 0 }),
            new SystemPolicy(StatsInboundUplink: true, StatsInboundDownlink: false, StatsOutboundUplink: false, StatsOutboundDownlink: true));

        Assert.Equal(expected, Samples.Valid(Samples.LoadSample("policy-levels.json")).Policy);
    }

    [Fact]
    public void Load_should_read_the_policy_levels_sample_inbound_with_a_string_port()
    {
        var expected = new InboundOptions(null, IPAddress.Any, 443, InboundProtocol.VMess, new VMessInboundSettings(
            [new VMessAccount(Alice, AlterId: 0, Level: 1)], VMessDefaultUser.Default, null, false));

        Assert.Equal(expected, Assert.Single(Samples.Valid(Samples.LoadSample("policy-levels.json")).Inbounds));
    }

    [Fact]
    public void Load_should_read_the_detour_sample()
    {
        var expected = new NodeOptions(
            LogOptions.Default,
            [
                new InboundOptions("main", IPAddress.IPv6Any, 8443, InboundProtocol.VMess, new VMessInboundSettings(
                    [new VMessAccount(Alice, AlterId: 16)], VMessDefaultUser.Default, DetourTo: "dynamic", false)),
                new InboundOptions("dynamic", IPAddress.Loopback, 8444, InboundProtocol.VMess, new VMessInboundSettings(
                    [], new VMessDefaultUser(Level: 1, AlterId: 32), DetourTo: null, false)),
            ],
            [
                new OutboundOptions("direct", OutboundProtocol.Freedom,
                    new FreedomSettings(FreedomDomainStrategy.UseIPv4, new FreedomRedirect("127.0.0.1", 3366), UserLevel: 1), null),
            ],
            PolicyOptions.Default);

        var result = Samples.LoadSample("detour.json");

        Assert.Equal(expected, Samples.Valid(result));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_should_read_the_dynamic_ports_sample()
    {
        InboundOptions[] expected =
        [
            new InboundOptions("main", IPAddress.Any, 8443, InboundProtocol.VMess, new VMessInboundSettings(
                [new VMessAccount(Alice)], VMessDefaultUser.Default, DetourTo: "dynamic", false)),
            new InboundOptions("dynamic", IPAddress.Loopback, 10000, InboundProtocol.VMess, new VMessInboundSettings(
                [], new VMessDefaultUser(Level: 1, AlterId: 0), DetourTo: null, false))
            {
                PortTo = 10010,
                Allocate = new PortAllocation(PortAllocationStrategy.Random, TimeSpan.FromMinutes(3), Concurrency: 2),
            },
            new InboundOptions("socks-range", IPAddress.Loopback, 1080, InboundProtocol.Socks, null,
                Socks: new SocksInboundSettings(SocksAuth.NoAuth, [], Udp: false, Ip: null, UserLevel: 0))
            {
                PortTo = 1081,
            },
        ];

        var result = Samples.LoadSample("dynamic-ports.json");

        Assert.Equal<InboundOptions>(expected, Samples.Valid(result).Inbounds);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_should_report_every_error_of_the_every_error_sample_with_its_path()
    {
        (string Path, string Message)[] expected =
        [
            ("log.acess", "unknown property 'acess'; did you mean 'access'?"),
            ("log.loglevel", "unknown log level 'verbose'"),
            ("inbound", "'inbound' section is not supported; use 'inbounds'"),
            ("inbounds[0].listen", "'localhost' is not an IP address"),
            ("inbounds[0].port", "'2000-1000' is not a port range: 2000 is above 1000"),
            ("inbounds[0].streamSettings.network", "network 'ws' is not supported yet"),
            ("inbounds[0].streamSettings.security", "security 'tls' is not supported yet"),
            ("inbounds[0].settings.clients[0].alterID", "unknown property 'alterID'; did you mean 'alterId'?"),
            ("inbounds[0].settings.clients[0].id", "'not-a-uuid' is not a UUID"),
            ("inbounds[0].settings.clients[0].level", "256 is out of range 0..255"),
            ("inbounds[0].settings.clients[1].alterId", "70000 is out of range 0..65535"),
            ("inbounds[0].settings.clients[1].security", "unknown security 'aes-256'"),
            ("inbounds[0].settings.clients[2].id", "duplicate id: inbounds[0].settings.clients[1] has it too"),
            ("inbounds[0].settings.clients[2].email", "duplicate email: inbounds[0].settings.clients[1] has it too"),
            ("inbounds[0].settings.clients[3].level", "expected an integer, got the string \"1\""),
            ("inbounds[0].settings.clients[3].id", "required"),
            ("inbounds[0].settings.default.alterId", "-1 is out of range 0..65535"),
            ("inbounds[0].settings.detour.to", "no inbound has the tag 'nowhere'"),
            ("inbounds[1].tag", "duplicate tag 'in': inbounds[0] has it too"),
            ("inbounds[1].port", "'env:' ports are not supported"),
            ("inbounds[1].protocol", "protocol 'shadowsocks' is not supported yet"),
            ("inbounds[2].port", "99999 is not a port number"),
            ("inbounds[2].protocol", "unknown protocol 'vmesss'; did you mean 'vmess'?"),
            ("inbounds[3].port", "required"),
            ("inbounds[3].settings", "expected an object, got an array"),
            ("outbounds[0].settings.domainStrategy", "unknown domainStrategy 'UseDNS'"),
            ("outbounds[0].settings.redirect", "'nohost' is not 'host:port'"),
            ("outbounds[1].settings.response.type", "unknown response type 'teapot'"),
            ("outbounds[2].settings.vnext", "required: at least one server"),
            ("outbounds[3].protocol", "protocol 'socks' is not supported yet"),
            ("policy.levels[\"x\"]", "'x' is not a level"),
            ("policy.levels[\"1\"].handshake", "expected an integer, got the string \"4\""),
            ("policy.levels[\"1\"].uplinkonly", "unknown property 'uplinkonly'; did you mean 'uplinkOnly'?"),
            ("policy.levels[\"1\"].connIdle", "-5 is out of range"),
            ("policy.levels[\"1\"].bufferSize", "4194304 is out of range"),
            ("routing.rules[0].inboundTag[0]", "no inbound has the tag 'nowhere'"),
            ("routing.rules[0].outboundTag", "no outbound has the tag 'missing'"),
        ];

        var result = Samples.LoadSample("every-error.json");

        Assert.Null(result.Options);
        var unexpected = result.Errors.Where(e => !expected.Any(x => x.Path == e.Path && e.Message.Contains(x.Message, StringComparison.Ordinal)));
        var missing = expected.Where(x => !result.Errors.Any(e => x.Path == e.Path && e.Message.Contains(x.Message, StringComparison.Ordinal)));
        Assert.Empty(unexpected);
        Assert.Empty(missing);
    }

    [Fact]
    public void Load_should_read_the_client_example_with_no_error_or_warning()
    {
        var result = ConfigLoader.LoadFile(Samples.ExamplePathOf("client-socks-to-vmess.json"));

        Assert.Empty(result.Errors);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_should_read_the_client_example_into_socks_and_http_inbounds_routed_to_a_vmess_outbound()
    {
        var expected = new NodeOptions(
            new LogOptions(LogLevel.Warning, AccessLogPath: null, AccessLogEnabled: true, ErrorLogPath: null),
            [
                new InboundOptions("socks-in", IPAddress.Loopback, 1080, InboundProtocol.Socks, VMess: null,
                    Socks: new SocksInboundSettings(SocksAuth.NoAuth, [], Udp: true, Ip: null, UserLevel: 0)),
                new InboundOptions("http-in", IPAddress.Loopback, 1081, InboundProtocol.Http, VMess: null,
                    Http: new HttpInboundSettings([], AllowTransparent: false, TimeSpan.Zero, UserLevel: 0)),
            ],
            [
                new OutboundOptions("proxy", OutboundProtocol.VMess, Freedom: null, Blackhole: null, new VMessOutboundSettings(
                    [new VMessServer("vmess.example.com", 10086, [new VMessOutboundUser(Alice, 0, SecurityType.Auto, 0, null)])])),
            ],
            PolicyOptions.Default,
            new RoutingOptions([new RoutingRule(["socks-in", "http-in"], "proxy")]));

        Assert.Equal(expected, Samples.Valid(ConfigLoader.LoadFile(Samples.ExamplePathOf("client-socks-to-vmess.json"))));
    }

    [Fact]
    public void Load_should_give_defaults_for_an_empty_object()
    {
        var options = Samples.Valid(ConfigLoader.Load("{}"));

        Assert.Equal(new NodeOptions(LogOptions.Default, [], [OutboundOptions.DefaultFreedom], PolicyOptions.Default), options);
    }

    [Fact]
    public void Load_should_warn_when_there_is_no_inbound()
    {
        var warning = Assert.Single(ConfigLoader.Load("{}").Warnings);

        Assert.Equal("inbounds", warning.Path);
    }

    [Fact]
    public void Load_should_report_a_syntax_error_with_its_line_and_position()
    {
        var error = Samples.SingleError(ConfigLoader.Load("{\n  \"log\": {\n    \"loglevel\": \"info\" \"x\"\n  }\n}"), ConfigIssue.RootPath);

        Assert.StartsWith("invalid JSON at line 3, position 24:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_should_accept_comments_and_trailing_commas_as_V2Ray_does()
    {
        const string json = """
            # hash comment, as V2Ray's reader allows
            {
              // line comment
              "log": { /* block comment */ "loglevel": "debug", }, # trailing hash comment with a "quote
              "inbounds": [],
            }
            """;

        Assert.Equal(LogLevel.Debug, Samples.Valid(ConfigLoader.Load(json)).Log.Level);
    }

    [Fact]
    public void Load_should_report_an_error_when_the_document_is_not_an_object()
    {
        var error = Samples.SingleError(ConfigLoader.Load("[]"), ConfigIssue.RootPath);

        Assert.Equal("expected an object, got an array", error.Message);
    }

    [Fact]
    public void LoadFile_should_report_a_missing_file_at_its_path()
    {
        var path = Samples.PathOf("does-not-exist.json");

        var error = Samples.SingleError(ConfigLoader.LoadFile(path), path);

        Assert.Equal("file not found", error.Message);
    }

    [Fact]
    public void Load_should_report_a_3x_top_level_port_as_an_error()
    {
        var error = Samples.SingleError(Samples.LoadWith("\"port\": 1080"), "port");

        Assert.Contains("3.x", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dns")]
    [InlineData("transport")]
    [InlineData("reverse")]
    public void Load_should_warn_and_still_load_when_an_unimplemented_section_is_present(string section)
    {
        var result = Samples.LoadWith($"\"{section}\": {{}}");

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal(section, warning.Path);
        Assert.StartsWith("ignored: not supported by this node", warning.Message, StringComparison.Ordinal);
    }
}
