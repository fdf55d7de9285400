using Microsoft.Extensions.Logging;
using NodeLogLevel = VMess.Configuration.Options.LogLevel;

namespace VMess.Cluster.Host.Hosting;

/// <summary>V2Ray's <c>log.loglevel</c> in the two logging systems the node bridges (Akka's goes into Microsoft's).</summary>
public static class LogLevels
{
    public static LogLevel ToExtensions(NodeLogLevel level) => level switch
    {
        NodeLogLevel.Debug => LogLevel.Debug,
        NodeLogLevel.Info => LogLevel.Information,
        NodeLogLevel.Warning => LogLevel.Warning,
        NodeLogLevel.Error => LogLevel.Error,
        _ => LogLevel.None,
    };

    public static Akka.Event.LogLevel ToAkka(NodeLogLevel level) => level switch
    {
        NodeLogLevel.Debug => Akka.Event.LogLevel.DebugLevel,
        NodeLogLevel.Info => Akka.Event.LogLevel.InfoLevel,
        NodeLogLevel.Warning => Akka.Event.LogLevel.WarningLevel,
        _ => Akka.Event.LogLevel.ErrorLevel,
    };
}
