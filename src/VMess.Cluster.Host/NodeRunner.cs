using Akka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VMess.Cluster.Host.Hosting;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Protocol.Ids;
using VMess.Relay;

namespace VMess.Cluster.Host;

/// <summary><c>vmess-cluster run</c>: load and validate the config, start the node, print how to connect, run until stopped.</summary>
public static class NodeRunner
{
    public const string DefaultConfigPath = "vmess.local.json";
    public const int DefaultPort = 10086;

    /// <summary>Overrides <see cref="DefaultPort"/> in a freshly written config (0: any free port, printed at startup).</summary>
    public const string DefaultPortVariable = "VMESS_CLUSTER_DEFAULT_PORT";

    public static async Task<int> RunAsync(string? configPath, TextWriter output, TextWriter errors)
    {
        var embedded = configPath is null;
        configPath ??= DefaultConfigPath;
        if (embedded && !File.Exists(configPath))
        {
            var port = DefaultPort;
            var portOverride = Environment.GetEnvironmentVariable(DefaultPortVariable);
            if (!string.IsNullOrEmpty(portOverride) && (!int.TryParse(portOverride, out port) || port is < 0 or > 65535))
            {
                errors.WriteLine($"vmess-cluster: {DefaultPortVariable}='{portOverride}' is not a port number (0..65535)");
                return 1;
            }
            await File.WriteAllTextAsync(configPath, DefaultNodeConfig.CreateJson(new VMessUserId(Guid.NewGuid()), port));
            output.WriteLine($"wrote a new config with a fresh id to {Path.GetFullPath(configPath)}");
        }
        var loaded = ConfigLoader.LoadFile(configPath);
        ConfigCheck.Report(loaded, errors);
        if (!loaded.IsValid) return 1;
        var options = loaded.Options!;
        if (options.Log.ErrorLogPath is not null)
        {
            errors.WriteLine($"warning: log.error: writing the error log to a file is not supported yet; it goes to the console ({options.Log.ErrorLogPath} is not written)");
        }

        // Defaults (environment variables, console lifetime), but no watching of the working directory for
        // appsettings changes: that FileSystemWatcher showed up in connection-rate profiles.
        var hostSettings = new HostApplicationBuilderSettings { Configuration = new ConfigurationManager() };
        hostSettings.Configuration["hostBuilder:reloadConfigOnChange"] = "false";
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(hostSettings);
        builder.Logging.ClearProviders();
        if (options.Log.Level != Configuration.Options.LogLevel.None)
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy/MM/dd HH:mm:ss ";
            });
        }
        builder.Logging.SetMinimumLevel(LogLevels.ToExtensions(options.Log.Level));
        // The node's own limits come from the host configuration (e.g. VMess__Limits__ReadBufferSize=65536).
        var limits = builder.Configuration.GetSection("VMess:Limits").Get<RelayLimits>() ?? RelayLimits.Default;
        var relay = new TaskCompletionSource<RelayNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        builder.Services.AddAkka("vmess-cluster", akka => akka
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = LogLevels.ToAkka(options.Log.Level);
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            })
            .WithActors((system, _) =>
            {
                try
                {
                    relay.SetResult(RelayNode.Start(system, options, limits, AccessLogFactory.Create(options.Log),
                        TimeProvider.System, VMess.Protocol.CryptoRandomSource.Instance));
                }
                catch (Exception e)
                {
                    relay.SetException(e);
                }
            }));
        using var host = builder.Build();
        await host.StartAsync();
        RelayNode node;
        try
        {
            node = await relay.Task;
        }
        catch (InvalidOperationException e)
        {
            errors.WriteLine($"vmess-cluster: {e.Message}");
            await host.StopAsync();
            return 1;
        }
        ConnectionInfo.Print(node, Path.GetFullPath(configPath), output);
        await host.WaitForShutdownAsync();
        return 0;
    }
}
