using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using VMess.Api.Hosting;
using VMess.Api.Security;

namespace VMess.Api.Metrics;

/// <summary>
/// The node's Prometheus scrape endpoint, <c>GET /metrics</c>: the OpenTelemetry SDK reading <see cref="NodeMeters"/>
/// (meter <see cref="NodeMeters.MeterName"/>), on a Kestrel of its own beside the API. Its own because the API speaks
/// HTTP/2 only (gRPC with prior knowledge) and Prometheus scrapes over HTTP/1.1. Off loopback, a scrape without
/// <c>Authorization: Bearer TOKEN</c> is refused (401) and logged.
/// </summary>
public sealed class MetricsHost : KestrelService
{
    public const string Path = "/metrics";

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private MetricsHost(WebApplication app, IPEndPoint endPoint) : base(app, endPoint, "stop-metrics")
    {
    }

    /// <summary>Starts serving; throws <see cref="InvalidOperationException"/> when the settings are invalid or the address cannot be bound.</summary>
    /// <param name="api">The API's settings, whose token a scrape needs off loopback (not checked on loopback).</param>
    public static async Task<MetricsHost> StartAsync(MetricsSettings settings, ApiHostSettings api, ILoggerFactory loggers,
        CancellationToken cancellationToken = default)
    {
        var errors = settings.Enabled ? settings.Validate(api) : ["the metrics endpoint has no port (VMess:Metrics:Port)"];
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(settings.EndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggers));
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddSingleton<IHostLifetime, NodeOwnedLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(NodeMeters.MeterName)
            // Every scrape reads the counters afresh: the observable instruments cost nothing until then.
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        var app = builder.Build();
        if (!settings.IsLoopbackOnly)
        {
            var token = new ApiToken(api.Token!);
            var log = loggers.CreateLogger("VMess.Api");
            app.Use(async (context, next) =>
            {
                if (IsAuthorized(context, token)) await next(context);
                else
                {
                    ApiLog.Refused(log, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "?",
                        "no valid bearer token on a non-loopback metrics endpoint");
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }
            });
        }
        app.UseRouting();
        app.MapPrometheusScrapingEndpoint(Path);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"the metrics endpoint cannot listen on {settings.EndPoint}: {e.Message}", e);
        }
        var endPoint = BoundEndPoint(app, settings.EndPoint);
        ApiLog.MetricsListening(loggers.CreateLogger("VMess.Api"), $"http://{endPoint}{Path}",
            settings.IsLoopbackOnly ? string.Empty : "; every scrape needs the token");
        return new MetricsHost(app, endPoint);
    }

    private static bool IsAuthorized(HttpContext context, ApiToken token)
    {
        const string scheme = "Bearer ";
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) && token.Matches(header.AsSpan(scheme.Length).Trim());
    }
}
