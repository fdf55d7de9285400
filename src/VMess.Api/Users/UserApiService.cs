using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using VMess.Api.Cluster;
using VMess.Protocol.Ids;
using VMess.Registry;
using VMess.Registry.Messages;
using VMess.Registry.Online;

namespace VMess.Api.Users;

/// <summary>
/// This node's <c>vmess.cluster.api.UserService</c>: the registry's users (<see cref="ApiBackends.Users"/>) with their
/// limits, traffic totals and live connections, and the inbounds AlterInbound takes; a user's limits and its enabled
/// flag are changed here (logged as AlterInbound's changes are), users are added and removed through HandlerService.
/// </summary>
internal sealed class UserApiService(ApiBackends backends, RegistryCommands registry, ILogger<UserApiService> logger) : UserService.UserServiceBase
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
        var key = KeyOf(request.Email, "GetUser");
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

    public override async Task<SetUserLimitsResponse> SetUserLimits(SetUserLimitsRequest request, ServerCallContext context)
    {
        var key = KeyOf(request.Email, "SetUserLimits");
        var limits = new UserLimits(request.MaxConnections, request.MaxSourceIps, request.QuotaBytes, request.ExpiresAtUnixMs);
        if (limits.Validate() is [_, ..] errors) throw ApiStatus.InvalidArgument(string.Join(" ", errors));
        var outcome = await ChangeAsync("SetUserLimits", "limits change", new SetUserLimits(key, limits), request.Email, key, Describe(limits),
            context.CancellationToken);
        return new SetUserLimitsResponse { Applied = outcome == UserCommandOutcome.Applied };
    }

    public override async Task<EnableUserResponse> EnableUser(EnableUserRequest request, ServerCallContext context)
    {
        var key = KeyOf(request.Email, "EnableUser");
        var outcome = await ChangeAsync("EnableUser", "enable", new EnableUser(key), request.Email, key, "", context.CancellationToken);
        return new EnableUserResponse { Applied = outcome == UserCommandOutcome.Applied };
    }

    public override async Task<DisableUserResponse> DisableUser(DisableUserRequest request, ServerCallContext context)
    {
        var key = KeyOf(request.Email, "DisableUser");
        var outcome = await ChangeAsync("DisableUser", "disable", new DisableUser(key), request.Email, key, "", context.CancellationToken);
        return new DisableUserResponse { Applied = outcome == UserCommandOutcome.Applied };
    }

    /// <summary>Sends the change to the user's entity and logs it; NOT_FOUND, in GetUser's words, when there is no such user.</summary>
    private async Task<UserCommandOutcome> ChangeAsync(string method, string operation, IUserRegistryCommand command, string name, string key,
        string detail, CancellationToken cancellation)
    {
        var outcome = await registry.SendAsync(operation, command, key, cancellation);
        ApiLog.UserServiceChanged(logger, method, key, detail, outcome);
        return outcome == UserCommandOutcome.NotFound ? throw ApiStatus.NotFound($"User {name} not found.") : outcome;
    }

    /// <summary>The registry key of the user a request names by its email (any case), or by its id when it has no email.</summary>
    private static string KeyOf(string emailOrId, string method)
    {
        if (emailOrId.Length == 0) throw ApiStatus.InvalidArgument($"{method} needs the user's email (or the id of a user without one)");
        return VMessUserId.TryParse(emailOrId, out var id) ? UserKey.For(id, null) : UserKey.ForEmail(emailOrId);
    }

    /// <summary>The limits for the log: " to max connections 3, max source IPs none, quota none, expiry 2027-01-01T00:00:00Z".</summary>
    private static string Describe(UserLimits limits)
    {
        static string OrNone(long value) => value == 0 ? "none" : value.ToString(CultureInfo.InvariantCulture);
        var expiry = limits.ExpiresAt == 0 ? "none"
            : limits.ExpiresAt <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
                ? DateTimeOffset.FromUnixTimeMilliseconds(limits.ExpiresAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF'Z'", CultureInfo.InvariantCulture)
                : $"unix ms {OrNone(limits.ExpiresAt)}";
        return $" to max connections {OrNone(limits.MaxConnections)}, max source IPs {OrNone(limits.MaxSourceIps)}, " +
            $"quota {(limits.QuotaBytes == 0 ? "none" : OrNone(limits.QuotaBytes) + " bytes")}, expiry {expiry}";
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
            MaxConnections = user.Limits.MaxConnections,
            MaxSourceIps = user.Limits.MaxSourceIps,
            QuotaBytes = user.Limits.QuotaBytes,
            ExpiresAtUnixMs = user.Limits.ExpiresAt,
            Suspension = SuspensionName(user.Suspension),
        };
        if (online is not null)
        {
            foreach (var (ip, connections) in online.SourceIps) info.OnlineIps[ip] = connections;
        }
        return info;
    }

    /// <summary>The proto's spelling of why a user is suspended; empty when it is not.</summary>
    private static string SuspensionName(UserSuspension suspension) => suspension switch
    {
        UserSuspension.None => "",
        UserSuspension.QuotaUsedUp => "quota-used-up",
        UserSuspension.Expired => "expired",
        _ => suspension.ToString().ToLowerInvariant(),
    };

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
