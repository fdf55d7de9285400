using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VMess.Api.Handler;
using VMess.Api.Hosting;
using VMess.Api.Logger;
using VMess.Api.Security;
using VMess.Api.Stats;
using VMess.Api.Users;
using VMess.Configuration.Options;

namespace VMess.Api;

/// <summary>
/// The operator API of one node: V2Ray 4.x's gRPC services (those named in <c>api.services</c>) on Kestrel, HTTP/2
/// without TLS as V2Ray serves them (h2c), on the API inbound's address. Off loopback, every call needs the token.
/// </summary>
public sealed class ApiHost : KestrelService
{
    private ApiHost(WebApplication app, IPEndPoint endPoint) : base(app, endPoint, "stop-api")
    {
    }

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Starts serving; throws <see cref="InvalidOperationException"/> when <paramref name="settings"/> do not allow
    /// serving <paramref name="api"/> (a non-loopback address without a token) or the address cannot be bound.
    /// </summary>
    /// <param name="loggers">The node's logging, so the API logs where the node does.</param>
    public static async Task<ApiHost> StartAsync(ApiOptions api, ApiHostSettings settings, ApiBackends backends, ILoggerFactory loggers,
        CancellationToken cancellationToken = default)
    {
        var errors = settings.ValidateFor(api);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // gRPC clients such as v2ctl speak HTTP/2 in the clear with prior knowledge.
            kestrel.Listen(api.EndPoint, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        // Kestrel's and the hosting's start-up chatter repeats what the API's own line says.
        builder.Logging.AddFilter("Microsoft", Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NodeOwnedLifetime>();
        // Within coordinated shutdown's phase (5 s): calls still waiting on the registry are cut after this.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(backends);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new UserInbounds(backends.Node));
        builder.Services.AddSingleton<RegistryCommands>();
        var tokenRequired = !api.IsLoopbackOnly;
        if (tokenRequired) builder.Services.AddSingleton(new ApiToken(settings.Token!));
        builder.Services.AddGrpc(grpc =>
        {
            if (tokenRequired) grpc.Interceptors.Add<BearerTokenInterceptor>();
        });
        var app = builder.Build();
        if (api.Services.HasFlag(ApiServices.Handler)) app.MapGrpcService<HandlerApiService>();
        // Our own UserService lists what HandlerService changes, so it is served with it (V2Ray has no such service to name).
        if (api.Services.HasFlag(ApiServices.Handler) && backends.Users is not null) app.MapGrpcService<UserApiService>();
        if (api.Services.HasFlag(ApiServices.Stats)) app.MapGrpcService<StatsApiService>();
        if (api.Services.HasFlag(ApiServices.Logger)) app.MapGrpcService<LoggerApiService>();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"the API cannot listen on {api.EndPoint} (inbound '{api.InboundTag}'): {e.Message}", e);
        }
        var endPoint = BoundEndPoint(app, api.EndPoint);
        ApiLog.Listening(loggers.CreateLogger("VMess.Api"), endPoint.ToString(), api.InboundTag, api.Services.ToString(),
            tokenRequired ? "; every call needs the token" : string.Empty);
        return new ApiHost(app, endPoint);
    }
}
