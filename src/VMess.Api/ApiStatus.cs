using Grpc.Core;

namespace VMess.Api;

/// <summary>The gRPC errors the API answers with: a status code a client can act on and a message a person can read.</summary>
internal static class ApiStatus
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));

    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException Unavailable(string message) => new(new Status(StatusCode.Unavailable, message));

    public static RpcException Unimplemented(string message) => new(new Status(StatusCode.Unimplemented, message));

    public static RpcException Unauthenticated(string message) => new(new Status(StatusCode.Unauthenticated, message));
}
