using VMess.Configuration.Options;

namespace VMess.Configuration.Tests;

/// <summary>The sample configs under Samples/, and small configs built around one section.</summary>
internal static class Samples
{
    public const string AliceId = "b831381d-6324-4d53-ad4f-8cda48b30811";
    public const string BobId = "27848739-7e62-4138-9fd3-098a63964b6b";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    public static ConfigLoadResult LoadSample(string name) => ConfigLoader.LoadFile(PathOf(name));

    /// <summary>A config from cluster-config/examples, copied beside the tests.</summary>
    public static string ExamplePathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Examples", name);

    /// <summary>A config with one valid vmess inbound (tag "in") and the given outbounds.</summary>
    public static ConfigLoadResult LoadOutbounds(string outboundsJson) => LoadWith($"\"outbounds\": [ {outboundsJson} ]");

    /// <summary>A config with one vmess inbound whose settings are <paramref name="settingsJson"/>.</summary>
    public static ConfigLoadResult LoadVMessSettings(string settingsJson) =>
        ConfigLoader.Load($$"""{ "inbounds": [ { "port": 1234, "protocol": "vmess", "settings": {{settingsJson}} } ] }""");

    /// <summary>A config with one valid vmess inbound and the given extra top-level sections.</summary>
    public static ConfigLoadResult LoadWith(string topLevelJson) =>
        ConfigLoader.Load($$"""
            {
              "inbounds": [ { "port": 1234, "protocol": "vmess", "tag": "in", "settings": { "clients": [ { "id": "{{AliceId}}" } ] } } ],
              {{topLevelJson}}
            }
            """);

    /// <summary>A config whose only inbound is <paramref name="inboundJson"/>.</summary>
    public static ConfigLoadResult LoadInbound(string inboundJson) =>
        ConfigLoader.Load($$"""{ "inbounds": [ {{inboundJson}} ] }""");

    public static NodeOptions Valid(ConfigLoadResult result)
    {
        Assert.True(result.IsValid, string.Join('\n', result.Errors));
        return result.Options;
    }

    /// <summary>The one error reported, which must be at <paramref name="path"/>.</summary>
    public static ConfigIssue SingleError(ConfigLoadResult result, string path)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.Null(result.Options);
        return error;
    }
}
