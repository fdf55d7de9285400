using VMess.Api.Cluster;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// <c>vmess-cluster user limit|enable|disable</c>: a user's limits and its enabled flag, changed through the node's
/// UserService. Each prints what it did and the user's state as the registry has it afterwards.
/// </summary>
internal static class UserChangeCommands
{
    public static readonly string[] Synopsis =
    [
        "user limit EMAIL [--max-connections N] [--max-ips N] [--quota SIZE] [--expires WHEN]",
        "user enable EMAIL",
        "user disable EMAIL [--reset-counters]",
    ];

    private const string Who = "the user's EMAIL (or the id of a user without one)";

    public static async Task<int> LimitAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        const string command = "user limit";
        var parsed = OperatorArguments.Parse(args, command, 1, [.. ApiConnectionOptions.OptionNames, .. UserLimitChange.OptionNames]);
        var email = parsed.Required(0, command, Who);
        var change = UserLimitChange.From(parsed, DateTimeOffset.UtcNow);
        if (change.IsEmpty) throw new UsageException($"{command} needs at least one of {string.Join(", ", UserLimitChange.OptionNames)}");
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        // SetUserLimits sets all four: the ones not given are kept as the registry has them.
        var request = change.ApplyTo(await GetAsync(session, email), email);
        var response = await session.CallAsync("UserService.SetUserLimits", options => session.Users.SetUserLimitsAsync(request, options));
        output.WriteLine(response.Applied
            ? $"set the limits of {email}: every node applies them within about a second"
            : $"{email} already had these limits: nothing changed");
        foreach (var (name, value) in UserInfoText.Limits(request.MaxConnections, request.MaxSourceIps, request.QuotaBytes, request.ExpiresAtUnixMs))
        {
            UserInfoText.WriteField(output, name, value);
        }
        UserInfoText.WriteField(output, "state", UserInfoText.State(await GetAsync(session, email)));
        return 0;
    }

    public static async Task<int> EnableAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        var parsed = OperatorArguments.Parse(args, "user enable", 1, ApiConnectionOptions.OptionNames);
        var email = parsed.Required(0, "user enable", Who);
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        var response = await session.CallAsync("UserService.EnableUser",
            options => session.Users.EnableUserAsync(new EnableUserRequest { Email = email }, options));
        output.WriteLine(response.Applied ? $"enabled {email}: every node serves it within about a second" : $"{email} was enabled already");
        // Enabling lifts a disable only: a suspended user stays refused, which the state says.
        UserInfoText.WriteField(output, "state", UserInfoText.State(await GetAsync(session, email)));
        return 0;
    }

    public static async Task<int> DisableAsync(string[] args, TextWriter output, Func<string, string?> environment)
    {
        var parsed = OperatorArguments.Parse(args, "user disable", 1, ApiConnectionOptions.OptionNames, [UserCommands.ResetCountersOption]);
        var email = parsed.Required(0, "user disable", Who);
        using var session = new ApiSession(ApiConnectionOptions.From(parsed, environment));
        var response = await session.CallAsync("UserService.DisableUser",
            options => session.Users.DisableUserAsync(new DisableUserRequest { Email = email }, options));
        output.WriteLine(response.Applied
            ? $"disabled {email}: every node refuses it and closes its connections within about a second"
            : $"{email} was disabled already");
        var user = await GetAsync(session, email);
        UserInfoText.WriteField(output, "state", UserInfoText.State(user));
        if (parsed.Has(UserCommands.ResetCountersOption)) await UserCommands.ResetCountersAsync(session, user.Email is { Length: > 0 } name ? name : email, output);
        return 0;
    }

    private static async Task<UserInfo> GetAsync(ApiSession session, string email) =>
        (await session.CallAsync("UserService.GetUser", options => session.Users.GetUserAsync(new GetUserRequest { Email = email }, options))).User;
}
