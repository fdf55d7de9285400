namespace VMess.Configuration.Options;

/// <summary>
/// The error-log severity threshold (V2Ray's <c>log.loglevel</c>); messages at least this severe are written.
/// <see cref="None"/> writes nothing.
/// </summary>
public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,
    None,
}
