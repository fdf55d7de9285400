using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using VMess.Api.Cluster;
using VMess.Api.V2Ray.App.Proxyman.Command;
using VMess.Api.V2Ray.App.Stats.Command;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// One command's calls to a node's operator API: gRPC over HTTP/2 in the clear (as v2ctl talks to V2Ray), the token as
/// <c>authorization: Bearer TOKEN</c>, and one deadline for the whole command. A failed call becomes an
/// <see cref="ApiCallException"/> whose message names the status and what to do about it; never a stack trace.
/// </summary>
internal sealed partial class ApiSession : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly ApiConnectionOptions _options;
    private readonly Metadata _headers = [];
    private readonly DateTime _deadline;

    public ApiSession(ApiConnectionOptions options)
    {
        _options = options;
        _deadline = DateTime.UtcNow + options.Timeout;
        if (options.Token is { } token) _headers.Add("authorization", $"Bearer {token}");
        _channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { ConnectTimeout = options.Timeout, EnableMultipleHttp2Connections = false },
            // A registry of 100,000 users lists in about 10 MB.
            MaxReceiveMessageSize = null,
        });
        Handler = new HandlerService.HandlerServiceClient(_channel);
        Stats = new StatsService.StatsServiceClient(_channel);
        Users = new UserService.UserServiceClient(_channel);
    }

    public HandlerService.HandlerServiceClient Handler { get; }

    public StatsService.StatsServiceClient Stats { get; }

    public UserService.UserServiceClient Users { get; }

    public string Server => _options.Server;

    /// <summary>Makes the call named <paramref name="method"/> (e.g. "HandlerService.AlterInbound", for messages).</summary>
    public async Task<T> CallAsync<T>(string method, Func<CallOptions, AsyncUnaryCall<T>> call)
    {
        try
        {
            using var pending = call(new CallOptions(_headers, _deadline));
            return await pending.ResponseAsync;
        }
        catch (RpcException e)
        {
            throw new ApiCallException(e.StatusCode, Describe(method, e));
        }
    }

    public void Dispose() => _channel.Dispose();

    private string Describe(string method, RpcException e) => e.StatusCode switch
    {
        StatusCode.Unavailable when e.Status.DebugException is { } cause =>
            $"cannot reach the operator API at {Server}: {Reason(cause)} (UNAVAILABLE)",
        StatusCode.DeadlineExceeded =>
            $"the operator API at {Server} did not answer {method} within {_options.Timeout.TotalSeconds:0.###} s (DEADLINE_EXCEEDED); --timeout SECONDS waits longer",
        StatusCode.Unauthenticated => $"the operator API at {Server} refused {method}: UNAUTHENTICATED: {e.Status.Detail} " +
            (_options.Token is null
                ? $"(give the node's token with --token TOKEN or {ApiConnectionOptions.TokenVariable})"
                : "(the token given is not the node's)"),
        StatusCode.Unimplemented when method.StartsWith("UserService.", StringComparison.Ordinal) =>
            $"{method} at {Server}: UNIMPLEMENTED: {e.Status.Detail} (a vmess-cluster node serves UserService where its api.services has HandlerService)",
        StatusCode.Unimplemented => $"{method} at {Server}: UNIMPLEMENTED: {e.Status.Detail} (is it in the node's api.services?)",
        _ => $"{method} at {Server}: {CodeName(e.StatusCode)}: {e.Status.Detail}",
    };

    /// <summary>What went wrong on the way: the HTTP layer's words name the address ("Connection refused (127.0.0.1:1)").</summary>
    private static string Reason(Exception cause)
    {
        for (var e = cause; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException) return e.Message;
        }
        var innermost = cause;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost.Message;
    }

    /// <summary>gRPC's name for a status code: NotFound → NOT_FOUND.</summary>
    public static string CodeName(StatusCode code) => WordStart().Replace(code.ToString(), "_$1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordStart();
}
