using VMess.Cluster.Host.Tests.Support;
using VMess.Configuration;
using VMess.Protocol.Ids;

namespace VMess.Cluster.Host.Tests;

/// <summary><c>vmess-cluster test -c FILE</c> (and V2Ray's <c>-test -config</c>) on real files, run as a process.</summary>
public sealed class ConfigCheckTests : IDisposable
{
    private const string SeveralErrors = """
        {
          "inbounds": [
            {
              "port": 99999,
              "protocol": "vmess",
              "settings": {
                "clients": [
                  { "id": "not-a-uuid" },
                  { "id": "b831381d-6324-4d53-ad4f-8cda48b30811", "security": "aes-256" }
                ]
              }
            }
          ],
          "outbounds": [ { "protocol": "freedom", "settings": { "domainStrategy": "UseDNS" } } ]
        }
        """;

    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task Test_should_exit_0_and_say_configuration_OK_for_a_valid_config()
    {
        var path = _directory.Write("node.json", DefaultNodeConfig.CreateJson(VMessUserId.NewRandom(), 10086));

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["test", "-c", path], _directory);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal($"{path}: configuration OK", stdout.Trim());
    }

    [Fact]
    public async Task Test_should_exit_1_listing_every_error_with_its_json_path()
    {
        var path = _directory.Write("broken.json", SeveralErrors);

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["test", "-c", path], _directory);

        Assert.Equal(1, exitCode);
        Assert.DoesNotContain("configuration OK", stdout, StringComparison.Ordinal);
        string[] expected =
        [
            "error: inbounds[0].port: 99999 is not a port number",
            "error: inbounds[0].settings.clients[0].id: 'not-a-uuid' is not a UUID",
            "error: inbounds[0].settings.clients[1].security: unknown security 'aes-256'",
            "error: outbounds[0].settings.domainStrategy: unknown domainStrategy 'UseDNS'",
        ];
        var missing = expected.Where(e => !stderr.Contains(e, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"missing: {string.Join("; ", missing)}\nstderr:\n{stderr}");
        Assert.Contains($"{path}: 4 error(s)", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-test", "-config", "{0}")]
    [InlineData("-config={0}", "-test", null)]
    public async Task Test_should_accept_V2Rays_spellings(string first, string second, string? third)
    {
        var path = _directory.Write("node.json", DefaultNodeConfig.CreateJson(VMessUserId.NewRandom(), 10086));
        string[] args = [.. new[] { first, second, third }.OfType<string>().Select(a => string.Format(null, a, path))];

        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(args, _directory);

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("configuration OK", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_should_exit_1_when_the_file_does_not_exist()
    {
        var (exitCode, stdout, stderr) = await HostProcess.RunAsync(["test", "-c", "missing.json"], _directory);

        Assert.Equal(1, exitCode);
        Assert.Contains("missing.json", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("configuration OK", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
