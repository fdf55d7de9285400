using Grpc.Core;
using Microsoft.Extensions.Logging;
using VMess.Api.V2Ray.App.Log.Command;

namespace VMess.Api.Logger;

/// <summary>
/// V2Ray's <c>LoggerService</c>. RestartLogger reopens V2Ray's log files (after a rotation); this node logs to the
/// console only, so it succeeds having nothing to reopen.
/// </summary>
internal sealed class LoggerApiService(ILogger<LoggerApiService> logger) : LoggerService.LoggerServiceBase
{
    public override Task<RestartLoggerResponse> RestartLogger(RestartLoggerRequest request, ServerCallContext context)
    {
        ApiLog.RestartLogger(logger);
        return Task.FromResult(new RestartLoggerResponse());
    }
}
