using Grpc.Core;

namespace VMess.Cluster.Host.Operator;

/// <summary>A call the API answered with an error status, or that never reached it; the message says which, for a person.</summary>
internal sealed class ApiCallException(StatusCode status, string message) : OperatorException(message)
{
    public StatusCode Status { get; } = status;
}
