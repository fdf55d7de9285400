using Grpc.Core;
using VMess.Api.V2Ray.App.Stats.Command;

namespace VMess.Api.Stats;

/// <summary>
/// V2Ray's <c>StatsService</c> over <see cref="ApiBackends.Traffic"/>, plus Xray's online queries over
/// <see cref="ApiBackends.Online"/>. As in V2Ray 4.34 and Xray, asking for a counter or online entry that does not
/// exist is an error: NOT_FOUND, "NAME not found." (V2Ray's words; Xray's code).
/// </summary>
internal sealed class StatsApiService(ApiBackends backends) : StatsService.StatsServiceBase
{
    public override async Task<GetStatsResponse> GetStats(GetStatsRequest request, ServerCallContext context)
    {
        var counter = await backends.Traffic.GetAsync(request.Name, request.Reset, context.CancellationToken)
            ?? throw NotFound(request.Name);
        return new GetStatsResponse { Stat = new Stat { Name = counter.Name, Value = counter.Value } };
    }

    public override async Task<QueryStatsResponse> QueryStats(QueryStatsRequest request, ServerCallContext context)
    {
        var counters = await backends.Traffic.QueryAsync(request.Pattern, request.Reset, context.CancellationToken);
        var response = new QueryStatsResponse();
        // In name order, so that a person reading v2ctl's output finds a user's counters together.
        response.Stat.AddRange(counters.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new Stat { Name = c.Name, Value = c.Value }));
        return response;
    }

    public override Task<SysStatsResponse> GetSysStats(SysStatsRequest request, ServerCallContext context) =>
        Task.FromResult(SystemStats.Read(backends.Clock));

    /// <summary>Xray's: the user's live connections over every node, for <c>user&gt;&gt;&gt;EMAIL&gt;&gt;&gt;online</c>.</summary>
    public override async Task<GetStatsResponse> GetStatsOnline(GetStatsRequest request, ServerCallContext context)
    {
        var user = await OnlineAsync(request.Name, context.CancellationToken);
        return new GetStatsResponse { Stat = new Stat { Name = request.Name, Value = user.Connections } };
    }

    /// <summary>Xray's shape; each source IP maps to the user's live connections from it (Xray: the time it was last seen).</summary>
    public override async Task<GetStatsOnlineIpListResponse> GetStatsOnlineIpList(GetStatsRequest request, ServerCallContext context)
    {
        var user = await OnlineAsync(request.Name, context.CancellationToken);
        var response = new GetStatsOnlineIpListResponse { Name = request.Name };
        foreach (var (ip, connections) in user.SourceIps) response.Ips[ip] = connections;
        return response;
    }

    /// <summary>The user the online entry names; NOT_FOUND when the name is no such entry or the user has no live connection.</summary>
    private async Task<Registry.Online.OnlineUser> OnlineAsync(string name, CancellationToken cancellation) =>
        OnlineStatName.TryParseEmail(name, out var email)
            ? await backends.Online.GetAsync(email, cancellation) ?? throw NotFound(name)
            : throw NotFound(name);

    private static RpcException NotFound(string name) => ApiStatus.NotFound($"{name} not found.");
}
