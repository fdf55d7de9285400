using VMess.Api.Cluster;
using VMess.Configuration;
using VMess.Protocol.Ids;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// <c>vmess-cluster link EMAIL</c>: the user's vmess:// share link (v2rayN's format, <see cref="VMessShareLink"/>) for
/// one of the node's VMess inbounds, and its QR code drawn in the terminal for a phone to scan.
/// </summary>
internal static class LinkCommand
{
    public static readonly string[] Synopsis = ["link EMAIL [--address HOST] [--port N] [--tag INBOUND_TAG] [--invert]"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        const string command = "link";
        var parsed = OperatorArguments.Parse(args, command, 1, [.. ApiConnectionOptions.OptionNames, "--address", "--port", "--tag"], ["--invert"]);
        var email = parsed.Required(0, command, "the user's EMAIL (or the id of a user without one)");
        var port = parsed.Integer("--port", 1, 65535);
        var connection = ApiConnectionOptions.From(parsed, environment);
        using var session = new ApiSession(connection);
        var user = (await session.CallAsync("UserService.GetUser",
            options => session.Users.GetUserAsync(new GetUserRequest { Email = email }, options))).User;
        var inbounds = await UserInboundChoice.ListAsync(session);
        var tag = parsed.Value("--tag") ?? connection.ConfigUserInboundTag;
        var inbound = UserInboundChoice.Find(inbounds, tag)
            ?? throw new OperatorException(tag is null
                ? $"the node at {session.Server} has no VMess inbound that serves the cluster's users"
                : $"the node at {session.Server} has no VMess inbound '{tag}' that serves the cluster's users");
        var target = ShareLinkTarget.For(inbound, parsed.Value("--address"), port, connection.Host, errors);
        if (!user.Enabled) errors.WriteLine($"note: {email} is disabled: the cluster refuses its connections until it is enabled ('user enable')");
        else if (user.Suspension.Length > 0) errors.WriteLine($"note: {email} is {UserInfoText.State(user)}: the cluster refuses its connections");
        if (!VMessUserId.TryParse(user.Id, out var id) || user.AlterId > ushort.MaxValue)
        {
            throw new OperatorException($"the node at {session.Server} answered an id '{user.Id}' and alterId {user.AlterId} that make no VMess account");
        }
        var name = user.Email.Length == 0 ? "vmess-cluster" : user.Email;
        var link = VMessShareLink.Format(name, target.Address, target.Port, id, (int)user.AlterId, "auto");
        output.WriteLine(link);
        output.WriteLine();
        output.Write(TerminalQrCode.Render(link, invert: parsed.Has("--invert")));
        return 0;
    }
}
