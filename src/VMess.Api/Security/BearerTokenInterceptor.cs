using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace VMess.Api.Security;

/// <summary>
/// Refuses (UNAUTHENTICATED, logged) every call that does not carry <c>authorization: Bearer TOKEN</c> with the
/// node's token. Installed only when the API listens on a non-loopback address; the token is compared in constant time.
/// </summary>
internal sealed class BearerTokenInterceptor(ApiToken token, ILogger<BearerTokenInterceptor> logger) : Interceptor
{
    private const string Scheme = "Bearer ";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authenticate(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Authenticate(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        string? reason = null;
        if (header is null)
        {
            reason = "no authorization metadata";
        }
        else if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            reason = "authorization is not a bearer token";
        }
        else if (!token.Matches(header.AsSpan(Scheme.Length).Trim()))
        {
            reason = "wrong token";
        }
        if (reason is null) return;
        ApiLog.Refused(logger, context.Method, context.Peer, reason);
        throw ApiStatus.Unauthenticated(
            "this API listens on a non-loopback address: send the node's token (VMess:Api:Token) as 'authorization: Bearer TOKEN' metadata");
    }
}
