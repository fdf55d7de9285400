using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using AkkaLogLevel = Akka.Event.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace VMess.Cluster.Host.Hosting;

/// <summary>
/// Akka's log events into Microsoft.Extensions.Logging, one category per actor path, message text only. Akka.Hosting's
/// own bridge writes Akka's "[INFO][time][thread][path]" prefix into every line, which then carries two timestamps.
/// </summary>
public sealed class AkkaLogBridge : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public AkkaLogBridge()
    {
        _factory = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Write);
    }

    private void Write(LogEvent e)
    {
        if (!_loggers.TryGetValue(e.LogSource, out var logger))
        {
            logger = _factory.CreateLogger(e.LogSource);
            _loggers[e.LogSource] = logger;
        }
        var level = e.LogLevel() switch
        {
            AkkaLogLevel.DebugLevel => LogLevel.Debug,
            AkkaLogLevel.InfoLevel => LogLevel.Information,
            AkkaLogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return;
        // The cause goes in as text: a rejected connection is one line, never a stack trace.
        var text = e.Cause is null ? e.Message.ToString() : $"{e.Message}: {e.Cause.Message}";
        logger.Log(level, "{Message}", text);
    }
}
