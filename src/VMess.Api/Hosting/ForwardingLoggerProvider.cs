using Microsoft.Extensions.Logging;

namespace VMess.Api.Hosting;

/// <summary>Hands the API's loggers to the node's logging, so the API logs where and as the node does.</summary>
internal sealed class ForwardingLoggerProvider(ILoggerFactory node) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => node.CreateLogger(categoryName);

    public void Dispose()
    {
        // The node owns its logging.
    }
}
