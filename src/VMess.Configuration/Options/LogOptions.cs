namespace VMess.Configuration.Options;

/// <summary>
/// Logging, with V2Ray 4.34's meaning (infra/conf/log.go):
/// <list type="bullet">
/// <item><c>log.access</c>: absent or <c>""</c> = console (<see cref="AccessLogPath"/> null), <c>"none"</c> = off,
/// anything else = that file.</item>
/// <item><c>log.error</c>: the same, except that <c>"none"</c> turns the error log off, which this record says as
/// <see cref="Level"/> = <see cref="LogLevel.None"/>.</item>
/// <item><c>log.loglevel</c>: debug, info, warning (absent), error or none; <c>"none"</c> turns both logs off.
/// V2Ray reads an unknown level as warning; this node reports it as an error.</item>
/// <item>No <c>log</c> section at all is V2Ray's <c>DefaultLogConfig()</c>: no access log, errors at warning to the console.</item>
/// </list>
/// </summary>
public sealed record LogOptions(LogLevel Level, string? AccessLogPath, bool AccessLogEnabled, string? ErrorLogPath)
{
    /// <summary>What V2Ray does without a <c>log</c> section (infra/conf/log.go, <c>DefaultLogConfig</c>).</summary>
    public static LogOptions Default { get; } = new(LogLevel.Warning, AccessLogPath: null, AccessLogEnabled: false, ErrorLogPath: null);
}
