using VMess.Configuration.Options;
using VMess.Relay.Logging;

namespace VMess.Cluster.Host.Hosting;

/// <summary>The access log <c>log.access</c> asks for: none, the console, or a file.</summary>
public static class AccessLogFactory
{
    public static IAccessLog Create(LogOptions log)
    {
        if (!log.AccessLogEnabled || log.Level == LogLevel.None) return AccessLogs.None;
        return log.AccessLogPath is null ? AccessLogs.To(Console.Out) : AccessLogs.ToFile(log.AccessLogPath);
    }
}
