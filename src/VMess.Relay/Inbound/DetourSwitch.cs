using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;

namespace VMess.Relay.Inbound;

/// <summary>
/// What a VMess inbound with <c>detour.to</c> tells each client it accepts (V2Ray's <c>generateCommand</c>): a
/// <see cref="SwitchAccountCommand"/> for a port the detour inbound listens on now, and that inbound's user for the
/// request's email. The user is the detour inbound's client with that email (compared ignoring case) if it has one,
/// else one made on first use with a random id and the detour inbound's <c>default</c> level and alterId, and added
/// to its users; every user without an email shares the one made for the empty email, as in V2Ray.
/// <para>
/// V2Ray keeps such users per listening port (each port runs its own handler); here the detour inbound has one user
/// index for all its ports, so a client's derived user works on every port of the range.
/// </para>
/// </summary>
public sealed class DetourSwitch
{
    /// <summary>The most minutes a command can say (one byte; V2Ray caps at 255).</summary>
    public const int MaxValidMinutes = 255;

    private readonly UserKeyIndex _targetUsers;
    private readonly InboundPorts _targetPorts;
    private readonly VMessDefaultUser _defaults;
    private readonly TimeProvider _clock;
    private readonly IRandomSource _random;
    private readonly Dictionary<string, VMessAccount> _byEmail;
    private readonly Lock _gate = new();

    public DetourSwitch(VMessInboundSettings target, UserKeyIndex targetUsers, InboundPorts targetPorts, TimeProvider clock, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(target);
        _targetUsers = targetUsers;
        _targetPorts = targetPorts;
        _defaults = target.Default;
        _clock = clock;
        _random = random;
        _byEmail = new Dictionary<string, VMessAccount>(StringComparer.Ordinal);
        foreach (var client in target.Clients)
        {
            if (!string.IsNullOrEmpty(client.Email)) _byEmail.TryAdd(client.Email.ToLowerInvariant(), client);
        }
    }

    /// <summary>The command for an accepted handshake; null when the detour inbound listens on no port.</summary>
    public SwitchAccountCommand? CommandFor(ServerHandshake handshake) => CommandFor(handshake.User.Account.Email);

    /// <summary>The command for the user with <paramref name="email"/>; null when the detour inbound listens on no port.</summary>
    public SwitchAccountCommand? CommandFor(string? email)
    {
        if (_targetPorts.PickPort() is not { } picked) return null;
        var (port, validMinutes) = picked;
        var user = UserFor(email);
        return new SwitchAccountCommand(null, (ushort)port, user.Id, user.AlterId, user.Level,
            (byte)Math.Clamp(validMinutes, 0, MaxValidMinutes));
    }

    /// <summary>The detour inbound's user for <paramref name="email"/>, made and added to its users on first use.</summary>
    public VMessAccount UserFor(string? email)
    {
        var key = (email ?? "").ToLowerInvariant();
        lock (_gate)
        {
            if (_byEmail.TryGetValue(key, out var known)) return known;
            Span<byte> id = stackalloc byte[VMessUserId.Size];
            _random.Fill(id);
            // A version-4 UUID, as V2Ray's uuid.New() makes.
            id[6] = (byte)((id[6] & 0x0f) | 0x40);
            id[8] = (byte)((id[8] & 0x3f) | 0x80);
            var user = new VMessAccount(VMessUserId.FromBytes(id), _defaults.AlterId, _defaults.Level, key.Length == 0 ? null : key);
            _targetUsers.Add(user, _clock.GetUtcNow().ToUnixTimeSeconds());
            _byEmail[key] = user;
            return user;
        }
    }
}
