using VMess.Api.V2Ray.App.Stats.Command;
using VMess.Api.Cluster;
using VMess.Configuration;
using VMess.Protocol.Ids;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// <c>vmess-cluster user add|remove|list|show</c>: users changed through V2Ray's HandlerService.AlterInbound (so they join
/// the cluster registry) and read through the node's UserService; <c>limit</c>, <c>enable</c> and <c>disable</c> are
/// <see cref="UserChangeCommands"/>.
/// </summary>
internal static class UserCommands
{
    public static readonly string[] Synopsis =
    [
        "user add EMAIL [--id UUID] [--alter-id N] [--level N] [--tag INBOUND_TAG]", "user remove EMAIL [--tag INBOUND_TAG] [--reset-counters]", "user list", "user show EMAIL",
        .. UserChangeCommands.Synopsis,
    ];

    private const string Commands = "add, remove, list, show, limit, enable or disable";

    public static Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        var rest = args.Skip(1).ToArray();
        return (args.Count > 0 ? args[0] : null) switch
        {
            "add" => AddAsync(rest, output, errors, environment),
            "remove" or "rm" => RemoveAsync(rest, output, environment),
            "list" or "ls" => ListAsync(rest, output, environment),
            "show" => ShowAsync(rest, output, environment),
            "limit" => UserChangeCommands.LimitAsync(rest, output, environment),
            "enable" => UserChangeCommands.EnableAsync(rest, output, environment),
            "disable" => UserChangeCommands.DisableAsync(rest, output, environment),
            null => throw new UsageException($"user needs a command: {Commands}"),
            var other => throw new UsageException($"user: unknown command '{other}' ({Commands})"),
        };
    }

    private static async Task<int> AddAsync(string[] args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        const string command = "user add";
        var parsed = OperatorArguments.Parse(args, command, 1, [.. ApiConnectionOptions.OptionNames, "--id", "--alter-id", "--level", "--tag"]);
        var email = parsed.Required(0, command, "the user's EMAIL");
        if (email.Trim().Length == 0) throw new UsageException($"{command} needs the user's EMAIL, not an empty one");
        var id = VMessUserId.NewRandom();
        if (parsed.Value("--id") is { } text && !VMessUserId.TryParse(text, out id))
        {
            throw new UsageException($"--id must be a UUID (e.g. 66ad4540-b58c-4ad2-9926-ea63445a9b57), was '{text}'");
        }
        var alterId = parsed.Integer("--alter-id", 0, ushort.MaxValue) ?? 0;
        var level = parsed.Integer("--level", 0, byte.MaxValue) ?? 0;
        var connection = ApiConnectionOptions.From(parsed, environment);
        using var session = new ApiSession(connection);
        var inbounds = await UserInboundChoice.ListAsync(session);
        var tag = UserInboundChoice.Tag(parsed.Value("--tag"), connection, inbounds, command);
        var existing = await FindAsync(session, email);
        await session.CallAsync("HandlerService.AlterInbound",
            options => session.Handler.AlterInboundAsync(AlterInboundRequests.AddUser(tag, email, id, alterId, level), options));
        // AlterInbound's AddUserOperation replaces a user with the same email: say so, with the id its clients had.
        output.WriteLine(existing is null
            ? $"added {email} through inbound '{tag}': every node serves it within about a second"
            : $"updated {email} through inbound '{tag}' (its id was {existing.Id}, alterId {existing.AlterId}, level {existing.Level}): every node serves it within about a second");
        WriteField(output, "email", email);
        WriteField(output, "id", id.ToString());
        WriteField(output, "alterId", Number(alterId));
        WriteField(output, "level", Number(level));
        if (UserInboundChoice.Find(inbounds, tag) is { } inbound)
        {
            var target = ShareLinkTarget.For(inbound, address: null, port: null, connection.Host, errors);
            WriteField(output, "link", VMessShareLink.Format(email, target.Address, target.Port, id, alterId, "auto"));
        }
        return 0;
    }

    private static async Task<int> RemoveAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        const string command = "user remove";
        var parsed = OperatorArguments.Parse(args, command, 1, [.. ApiConnectionOptions.OptionNames, "--tag"], [ResetCountersOption]);
        var email = parsed.Required(0, command, "the user's EMAIL");
        var connection = ApiConnectionOptions.From(parsed, environment);
        using var session = new ApiSession(connection);
        var tag = parsed.Value("--tag") ?? connection.ConfigUserInboundTag
            ?? UserInboundChoice.Tag(null, connection, await UserInboundChoice.ListAsync(session), command);
        // The counters are named by the email as the registry spells it, which only the user's record says.
        var spelled = (await FindAsync(session, email))?.Email is { Length: > 0 } name ? name : email;
        await session.CallAsync("HandlerService.AlterInbound",
            options => session.Handler.AlterInboundAsync(AlterInboundRequests.RemoveUser(tag, email), options));
        output.WriteLine($"removed {email}: every node refuses it within about a second");
        if (parsed.Has(ResetCountersOption)) await ResetCountersAsync(session, spelled, output);
        return 0;
    }

    /// <summary>The switch of <c>user remove</c> and <c>user disable</c>: without it the user's counters are kept (as V2Ray keeps them).</summary>
    public const string ResetCountersOption = "--reset-counters";

    /// <summary>Resets the user's two traffic counters (StatsService.QueryStats with reset) and prints what they held.</summary>
    public static async Task ResetCountersAsync(ApiSession session, string email, TextWriter output)
    {
        var prefix = $"user>>>{email}>>>traffic>>>";
        var counters = (await session.CallAsync("StatsService.QueryStats",
            options => session.Stats.QueryStatsAsync(new QueryStatsRequest { Pattern = prefix, Reset = true }, options))).Stat;
        long Before(string direction) => counters.FirstOrDefault(c => c.Name == prefix + direction)?.Value ?? 0;
        output.WriteLine(counters.Count == 0
            ? $"{email} has no traffic counters to reset"
            : $"reset {email}'s counters (they held uplink {Number(Before("uplink"))}, downlink {Number(Before("downlink"))} bytes)");
    }

    private static async Task<int> ListAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        var parsed = OperatorArguments.Parse(args, "user list", 0, ApiConnectionOptions.OptionNames);
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        var users = (await session.CallAsync("UserService.ListUsers", options => session.Users.ListUsersAsync(new ListUsersRequest(), options))).Users;
        if (users.Count == 0)
        {
            output.WriteLine("no users");
            return 0;
        }
        TextTable.Write(output,
            ["EMAIL", "ID", "ALTERID", "LEVEL", "STATE", "UPLINK", "DOWNLINK", "ONLINE"],
            [false, false, true, true, false, true, true, true],
            users.Select(u => (IReadOnlyList<string>)[
                u.Email.Length == 0 ? "-" : u.Email, u.Id, Number(u.AlterId), Number(u.Level), UserInfoText.StateWord(u),
                Number(u.Uplink), Number(u.Downlink), Number(u.OnlineConnections)]));
        output.WriteLine($"{users.Count} user(s); traffic in bytes, cluster-wide; 'user show EMAIL' for a user's limits");
        return 0;
    }

    private static async Task<int> ShowAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        const string command = "user show";
        var parsed = OperatorArguments.Parse(args, command, 1, ApiConnectionOptions.OptionNames);
        var email = parsed.Required(0, command, "the user's EMAIL (or the id of a user without one)");
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        var user = (await session.CallAsync("UserService.GetUser",
            options => session.Users.GetUserAsync(new GetUserRequest { Email = email }, options))).User;
        WriteField(output, "email", user.Email.Length == 0 ? "-" : user.Email);
        WriteField(output, "id", user.Id);
        WriteField(output, "alterId", Number(user.AlterId));
        WriteField(output, "level", Number(user.Level));
        WriteField(output, "state", UserInfoText.State(user));
        foreach (var (name, value) in UserInfoText.Limits(user)) WriteField(output, name, value);
        WriteField(output, "uplink", ByteSize.Describe(user.Uplink));
        WriteField(output, "downlink", ByteSize.Describe(user.Downlink));
        WriteField(output, "online", user.OnlineConnections == 0
            ? "no connections"
            : $"{Number(user.OnlineConnections)} connection(s) from " +
              string.Join(", ", user.OnlineIps.OrderBy(ip => ip.Key, StringComparer.Ordinal).Select(ip => $"{ip.Key} ({Number(ip.Value)})")));
        return 0;
    }

    /// <summary>The user with this email, or null when there is none (or the node cannot say: no UserService).</summary>
    private static async Task<UserInfo?> FindAsync(ApiSession session, string email)
    {
        try
        {
            return (await session.CallAsync("UserService.GetUser", options => session.Users.GetUserAsync(new GetUserRequest { Email = email }, options))).User;
        }
        catch (ApiCallException e) when (e.Status is Grpc.Core.StatusCode.NotFound or Grpc.Core.StatusCode.Unimplemented)
        {
            return null;
        }
    }

    private static void WriteField(TextWriter output, string name, string value) => UserInfoText.WriteField(output, name, value);

    private static string Number(long value) => UserInfoText.Number(value);
}
