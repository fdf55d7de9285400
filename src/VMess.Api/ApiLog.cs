using Microsoft.Extensions.Logging;
using VMess.Registry.Messages;

namespace VMess.Api;

/// <summary>What the API logs (category <c>VMess.Api</c>); never a token or a user id.</summary>
internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "api: listening on {EndPoint} (inbound '{InboundTag}'; services: {Services}){Access}")]
    public static partial void Listening(ILogger logger, string endPoint, string inboundTag, string services, string access);

    [LoggerMessage(Level = LogLevel.Information, Message = "metrics: Prometheus scrape endpoint on {Url}{Access}")]
    public static partial void MetricsListening(ILogger logger, string url, string access);

    [LoggerMessage(Level = LogLevel.Information, Message = "api: AlterInbound '{Tag}': {Operation} '{UserKey}': {Outcome}")]
    public static partial void UserChanged(ILogger logger, string tag, string operation, string userKey, UserCommandOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "api: UserService.{Method} '{UserKey}'{Detail}: {Outcome}")]
    public static partial void UserServiceChanged(ILogger logger, string method, string userKey, string detail, UserCommandOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "api: the cluster registry did not answer {Operation} '{UserKey}' within {Timeout}")]
    public static partial void RegistryTimedOut(ILogger logger, string operation, string userKey, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "api: refused {Method} from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string method, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "api: RestartLogger: the logs go to the console, so there is nothing to reopen")]
    public static partial void RestartLogger(ILogger logger);
}
