using Akka;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.DistributedData;
using Akka.Event;
using Akka.Cluster.Hosting.SBR;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VMess.Cluster.Host.Hosting;
using VMess.Api;
using VMess.Api.Metrics;
using VMess.Configuration;
using VMess.Configuration.Options;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Registry;
using VMess.Registry.Online;
using VMess.Registry.ReadModel;
using VMess.Registry.Replay;
using VMess.Registry.Serialization;
using VMess.Registry.Traffic;
using VMess.Relay;

namespace VMess.Cluster.Host;

/// <summary><c>vmess-cluster run</c>: load and validate the config, start the node, print how to connect, run until stopped.</summary>
public static class NodeRunner
{
    public const string DefaultConfigPath = "vmess.local.json";
    public const int DefaultPort = 10086;

    /// <summary>Overrides <see cref="DefaultPort"/> in a freshly written config (0: any free port, printed at startup).</summary>
    public const string DefaultPortVariable = "VMESS_CLUSTER_DEFAULT_PORT";

    /// <summary>Names the cluster file when <c>--cluster</c> is not given (for containers).</summary>
    public const string ClusterFileVariable = "VMESS_CLUSTER_FILE";

    public static async Task<int> RunAsync(string? configPath, TextWriter output, TextWriter errors) =>
        await RunAsync(configPath, clusterPath: null, output, errors);

    public static async Task<int> RunAsync(string? configPath, string? clusterPath, TextWriter output, TextWriter errors)
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
        // The cluster file comes first, so the environment variables the builder adds after it override its fields.
        clusterPath ??= NonEmpty(Environment.GetEnvironmentVariable(ClusterFileVariable));
        if (clusterPath is not null)
        {
            if (!File.Exists(clusterPath))
            {
                errors.WriteLine($"vmess-cluster: cluster file {Path.GetFullPath(clusterPath)} does not exist");
                return 1;
            }
            hostSettings.Configuration.AddJsonFile(Path.GetFullPath(clusterPath), optional: false, reloadOnChange: false);
        }
        HostApplicationBuilder builder;
        ClusterMembershipSettings cluster;
        RegistryHostSettings registry;
        ApiHostSettings apiSettings;
        MetricsSettings metricsSettings;
        try
        {
            builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(hostSettings);
            cluster = ClusterMembershipSettings.From(builder.Configuration);
            registry = RegistryHostSettings.From(builder.Configuration);
            apiSettings = ApiHostSettings.From(builder.Configuration);
            metricsSettings = MetricsSettings.From(builder.Configuration);
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException or FormatException)
        {
            errors.WriteLine($"vmess-cluster: cluster settings: {e.Message}{(e.InnerException is { } inner ? $" ({inner.Message})" : string.Empty)}");
            return 1;
        }
        var clusterErrors = cluster.Validate().Concat(registry.Validate()).Concat(apiSettings.ValidateFor(options.Api))
            .Concat(metricsSettings.Validate(apiSettings)).ToList();
        if (clusterErrors.Count == 0) clusterErrors.AddRange(registry.ValidateFor(cluster));
        foreach (var error in clusterErrors) errors.WriteLine($"vmess-cluster: {error}");
        if (clusterErrors.Count > 0) return 1;
        // A relative SQLite path lives next to the node's config file.
        var fullConfigPath = Path.GetFullPath(configPath);
        var configDirectory = Path.GetDirectoryName(fullConfigPath)!;
        Akka.Configuration.Config journal;
        try
        {
            journal = registry.Persistence.ToConfig(configDirectory);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            errors.WriteLine($"vmess-cluster: the registry's journal ({registry.Persistence.Describe(configDirectory)}) cannot be opened: {e.Message}");
            return 1;
        }
        var readModelPath = registry.Persistence.ResolveReadModelPath(configDirectory, cluster.Port);
        if (readModelPath is not null)
        {
            // Opened here once: DData's replicator would otherwise stop, unseen, when its store cannot open the file.
            try
            {
                using var readModel = SqliteDurableStore.Open(readModelPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                errors.WriteLine($"vmess-cluster: the registry's read-model file {readModelPath} cannot be opened: {e.Message} " +
                                 "(VMess:Registry:Persistence:ReadModelPath; DurableReadModel=false keeps it in memory)");
                return 1;
            }
            journal = journal.WithFallback(DurableUserBuckets.Config(readModelPath));
        }
        // The host waits for coordinated shutdown (leave, then the drain) rather than giving up half way.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = cluster.ShutdownDrainDeadline + TimeSpan.FromSeconds(60));
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
        ConfigUserSync? userSync = null;
        IActorRef? userRegistry = null;
        // Who is connected, over every node (the operator API's online queries); filled once the node runs.
        var onlineUsers = new ClusterOnlineUsers();
        builder.Services.AddSingleton<IOnlineUsers>(onlineUsers);
        // Counters the metrics read: kept by the registry's projector and the auth id exchange.
        var projection = new RegistryProjectionStats();
        var authIdCounters = new AuthIdExchangeCounters();
        // The operator API takes the node's counters from DI; they exist once the registry has started (below).
        var trafficStats = new DeferredTrafficStats();
        builder.Services.AddSingleton<ITrafficStats>(trafficStats);
        using var stopping = new CancellationTokenSource();
        builder.Services.AddAkka(ClusterMembershipSettings.ActorSystemName, akka => akka
            .AddHocon(GracefulShutdown.PhaseTimeouts(cluster), HoconAddMode.Prepend)
            .AddHocon(registry.DistributedDataHocon(), HoconAddMode.Prepend)
            .AddHocon(journal, HoconAddMode.Prepend)
            // The registry's messages (entity commands, DData records) in our stable binary format.
            .AddSetup(RegistrySerialization.Setup())
            // Loaded at start, before the first gossip from another node can arrive: a node without DData's
            // serializers drops that gossip.
            .WithExtensions(typeof(DistributedDataProvider), typeof(Akka.Cluster.Sharding.ClusterShardingExtensionProvider))
            .WithRemoting(new RemoteOptions
            {
                HostName = cluster.Hostname, Port = cluster.Port, PublicHostName = cluster.PublicHostname,
                // DData's full state for a joining node travels in one frame (about 4 MB per 100,000 users).
                MaxFrameSize = registry.MaximumFrameSize, SendBufferSize = registry.MaximumFrameSize, ReceiveBufferSize = registry.MaximumFrameSize,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. cluster.SeedAddresses()],
                Roles = cluster.Roles,
                SplitBrainResolver = new KeepMajorityOption(),
                FailureDetector = new PhiAccrualFailureDetectorOptions
                {
                    HeartbeatInterval = cluster.HeartbeatInterval,
                    AcceptableHeartbeatPause = cluster.AcceptableHeartbeatPause,
                },
                // ClusterEventLogger says it once, in our words.
                LogInfo = false,
            })
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
                    system.ActorOf(ClusterEventLogger.Props(), "cluster-events");
                    Logging.GetLogger(system, "registry").Info("registry: journal {0}, read model {1}", registry.Persistence.Describe(configDirectory),
                        readModelPath is null ? "in memory" : "kept in " + readModelPath);
                    // The registry inbounds share one replay guard, and every auth id it accepts goes to the other nodes.
                    var acceptedAuthIds = new AuthIdOutbox(registry.AuthIdExchange);
                    var registryReplay = new ServerReplayGuard(acceptedAuthIds);
                    var started = RelayNode.Start(system, options, limits, AccessLogFactory.Create(options.Log),
                        TimeProvider.System, VMess.Protocol.CryptoRandomSource.Instance, registryReplay);
                    // The inbounds serve their own clients from the start (the overlay); the projector swaps in the
                    // registry's users as they arrive. Started before joining (DData) and before seeding.
                    var configUsers = ConfigUserSync.ClientsOf(options);
                    var sink = new RegistryUserSink(started.RegistryUserIndices, configUsers, TimeProvider.System, started.LiveConnections);
                    system.StartRegistryProjector(registry.Registry, sink, projection);
                    system.StartOnlineUsers(registry.Online, started.LiveConnections, onlineUsers);
                    started.LiveConnections.WatchCluster(onlineUsers);
                    system.StartAuthIdExchange(registry.AuthIdExchange, acceptedAuthIds, registryReplay.AuthIds, counters: authIdCounters);
                    var region = system.StartUserRegistry(registry.Registry);
                    Volatile.Write(ref userRegistry, region);
                    system.StartShardDistributionLogger(region);
                    trafficStats.Bind(NodeTraffic.Start(system, started, region, registry).Stats);
                    var sync = new ConfigUserSync(region, registry, Logging.GetLogger(system, "registry"),
                        ConfigUserSync.SeededKeysPathFor(fullConfigPath), reloaded: sink.RetainOverlay);
                    Volatile.Write(ref userSync, sync);
                    // In the background: the listeners already accept, and a cluster still forming answers late.
                    var seeding = Task.Run(() => sync.SeedAtStartAsync(configUsers, stopping.Token));
                    GracefulShutdown.Register(system, started, cluster.ShutdownDrainDeadline);
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-registry-writes",
                        async () =>
                        {
                            await sync.StopAsync(RegistryWritesShutdownBound);
                            return Done.Instance;
                        });
                    // No seeds: a cluster of one, formed by joining itself.
                    var self = Akka.Cluster.Cluster.Get(system);
                    if (cluster.Seeds.Length == 0) self.Join(self.SelfAddress);
                    relay.SetResult(started);
                }
                catch (Exception e)
                {
                    relay.SetException(e);
                }
            }));
        // SIGHUP re-reads the config's clients into the registry (its default action would end the process).
        using var reload = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            if (Volatile.Read(ref userSync) is { } sync) _ = Task.Run(() => sync.ReloadAsync(fullConfigPath, stopping.Token));
        });
        using var host = builder.Build();
        await host.StartAsync();
        RelayNode node;
        ApiHost? api;
        MetricsHost? metrics = null;
        NodeMeters? meters = null;
        try
        {
            node = await relay.Task;
            api = await ApiStartup.StartAsync(host.Services, options, apiSettings, Volatile.Read(ref userRegistry)!, node, registry.Registry);
            if (metricsSettings.Enabled)
            {
                var system = host.Services.GetRequiredService<ActorSystem>();
                var self = Akka.Cluster.Cluster.Get(system);
                meters = new NodeMeters(new NodeMetricSources(self.SelfAddress.ToString(), node)
                {
                    Registry = projection,
                    AuthIdExchange = authIdCounters,
                    MembersUp = () => self.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up),
                    // Tagged inbounds' bytes (V2Ray's inbound counters; a StatsService reset shows as a counter reset).
                    InboundTraffic = () => node.Traffic.Inbounds.Select(i => new InboundBytes(i.Tag, i.Uplink, i.Downlink)),
                });
                metrics = await MetricsHost.StartAsync(metricsSettings, apiSettings, host.Services.GetRequiredService<ILoggerFactory>());
                metrics.StopOnShutdown(system);
            }
        }
        catch (InvalidOperationException e)
        {
            errors.WriteLine($"vmess-cluster: {e.Message}");
            meters?.Dispose();
            await host.StopAsync();
            return 1;
        }
        await using var apiLifetime = api;
        await using var metricsLifetime = metrics;
        using var metersLifetime = meters;
        ConnectionInfo.Print(node, fullConfigPath, output, api?.EndPoint, metrics?.EndPoint);
        await host.WaitForShutdownAsync();
        await stopping.CancelAsync();
        return 0;
    }

    /// <summary>How long shutdown lets a seeding or reload in progress finish (within the phase's default 5 s).</summary>
    private static readonly TimeSpan RegistryWritesShutdownBound = TimeSpan.FromSeconds(4);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
