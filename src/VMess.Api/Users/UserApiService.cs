using Grpc.Core;
using VMess.Api.Cluster;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Registry.Online;

namespace VMess.Api.Users;

/// <summary>
/// This node's <c>vmess.cluster.api.UserService</c>: the registry's users (<see cref="ApiBackends.Users"/>) with their
/// traffic totals and live connections, and the inbounds AlterInbound takes. Read-only; users change through HandlerService.
/// </summary>
internal sealed class UserApiService(ApiBackends backends) : UserService.UserServiceBase
{
    private IRegistryUsers Users => backends.Users ?? throw ApiStatus.Unimplemented("this node does not serve the registry's users");

    public override async Task<ListUsersResponse> ListUsers(ListUsersRequest request, ServerCallContext context)
    {
        var cancellation = context.CancellationToken;
        var users = await ReadAsync(() => Users.ListAsync(cancellation));
        var traffic = UserTraffic.ByEmail(await backends.Traffic.QueryAsync(UserTraffic.QueryPattern, reset: false, cancellation));
        var online = (await backends.Online.ListAsync(cancellation)).ToDictionary(u => u.Email, StringComparer.OrdinalIgnoreCase);
        var response = new ListUsersResponse();
        response.Users.AddRange(users
            .OrderBy(u => u.Email ?? "", StringComparer.OrdinalIgnoreCase)
            .ThenBy(u => u.Id.ToString(), StringComparer.Ordinal)
            .Select(u => ToInfo(u, NameOf(u) is { } name ? traffic.GetValueOrDefault(name) : default, Online(online, u))));
        return response;
    }

    public override async Task<GetUserResponse> GetUser(GetUserRequest request, ServerCallContext context)
    {
        var cancellation = context.CancellationToken;
        if (request.Email.Length == 0) throw ApiStatus.InvalidArgument("GetUser needs the user's email (or the id of a user without one)");
        // A user without an email is known by its id.
        var key = VMessUserId.TryParse(request.Email, out var id) ? UserKey.For(id, null) : UserKey.ForEmail(request.Email);
        var user = await ReadAsync(() => Users.GetAsync(key, cancellation)) ?? throw ApiStatus.NotFound($"User {request.Email} not found.");
        var traffic = default(UserTraffic);
        OnlineUser? online = null;
        if (NameOf(user) is { } name)
        {
            traffic = new UserTraffic(
                (await backends.Traffic.GetAsync(UserTraffic.UplinkName(name), reset: false, cancellation))?.Value ?? 0,
                (await backends.Traffic.GetAsync(UserTraffic.DownlinkName(name), reset: false, cancellation))?.Value ?? 0);
            online = await backends.Online.GetAsync(name, cancellation);
        }
        return new GetUserResponse { User = ToInfo(user, traffic, online) };
    }

    public override Task<ListInboundsResponse> ListInbounds(ListInboundsRequest request, ServerCallContext context)
    {
        var response = new ListInboundsResponse();
        response.Inbounds.AddRange(backends.UserInboundAddresses.Select(i => new Inbound
        {
            Tag = i.Tag ?? "",
            Listen = i.EndPoint.Address.ToString(),
            Port = (uint)i.EndPoint.Port,
        }));
        return Task.FromResult(response);
    }

    /// <summary>The name counters and the online view know the user by: its email (V2Ray counts no user without one).</summary>
    private static string? NameOf(UserRecord user) => string.IsNullOrEmpty(user.Email) ? null : user.Email;

    private static OnlineUser? Online(Dictionary<string, OnlineUser> online, UserRecord user) =>
        NameOf(user) is { } name ? online.GetValueOrDefault(name) : null;

    private static UserInfo ToInfo(UserRecord user, UserTraffic traffic, OnlineUser? online)
    {
        var info = new UserInfo
        {
            Email = user.Email ?? "",
            Id = user.Id.ToString(),
            AlterId = user.AlterId,
            Level = user.Level,
            Enabled = user.Enabled,
            Uplink = traffic.Uplink,
            Downlink = traffic.Downlink,
            OnlineConnections = online?.Connections ?? 0,
        };
        if (online is not null)
        {
            foreach (var (ip, connections) in online.SourceIps) info.OnlineIps[ip] = connections;
        }
        return info;
    }

    private static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (RegistryUnavailableException e)
        {
            throw ApiStatus.Unavailable($"the cluster registry cannot be read: {e.Message}");
        }
    }
}
