using System.Buffers;
using System.Net;
using Akka.Streams.Dsl;
using VMess.Configuration.Options;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Auth;
using VMess.Protocol.Sessions;
using VMess.ProxyProtocols;
using VMess.ProxyProtocols.Http;
using VMess.ProxyProtocols.Socks;
using VMess.Relay.Policy;
using VMess.Streams;
using VMess.Streams.Buffers;
using VMess.Streams.Stages;

namespace VMess.Relay.Inbound;

/// <summary>
/// What differs between inbound protocols, resolved once per inbound: the protocol stage a TCP connection passes
/// (or, for dokodemo-door, the request every connection makes), the VMess users, the policy level and idle timeout of
/// a local proxy, and how its UDP datagrams are read and answered.
/// </summary>
internal sealed record InboundSetup(
    BidiFlow<ByteChunk, ByteChunk, ByteChunk, ByteChunk, Task<HandshakeOutcome>>? Stage,
    Task<HandshakeOutcome>? FixedOutcome,
    UserKeyIndex? Users,
    byte UserLevel,
    TimeSpan? IdleTimeout,
    UdpDatagramParser? ParseDatagram,
    Func<DestinationAddress, byte[]>? ReplyPrefix)
{
    /// <summary>Which sockets an inbound listens on: TCP, UDP, or both on one port.</summary>
    public static (bool Tcp, bool Udp) Networks(InboundOptions inbound) => inbound.Protocol switch
    {
        InboundProtocol.Socks => (true, inbound.Socks!.Udp),
        InboundProtocol.DokodemoDoor => (inbound.Dokodemo!.Network.HasFlag(DokodemoNetwork.Tcp), inbound.Dokodemo.Network.HasFlag(DokodemoNetwork.Udp)),
        _ => (true, false),
    };

    /// <param name="users">A VMess inbound's users, made beforehand by <see cref="CreateUsers"/> when another inbound's
    /// detour adds to them; made here otherwise.</param>
    /// <param name="detour">What a VMess inbound with <c>detour</c> answers each accepted client.</param>
    /// <param name="replay">A VMess inbound's replay state when it shares one with other inbounds; its own otherwise.</param>
    /// <param name="timings">Where a VMess inbound's handshakes report their decoding time; nowhere when null.</param>
    public static InboundSetup For(InboundOptions inbound, IPEndPoint local, TimeProvider clock, IRandomSource random,
        ArrayPool<byte> pool, RelayLimits limits, UserKeyIndex? users = null, DetourSwitch? detour = null, ServerReplayGuard? replay = null,
        HandshakeTimings? timings = null) =>
        inbound.Protocol switch
    {
        InboundProtocol.Socks => Socks(inbound.Socks!, local, pool),
        InboundProtocol.Http => Http(inbound.Http!, pool),
        InboundProtocol.DokodemoDoor => Dokodemo(inbound.Dokodemo!),
        _ => VMess(inbound.VMess!, clock, random, pool, limits, users ?? CreateUsers(inbound.VMess!, clock), detour, replay ?? new ServerReplayGuard(),
            timings),
    };

    /// <summary>The user index of a VMess inbound, holding its configured clients.</summary>
    public static UserKeyIndex CreateUsers(VMessInboundSettings settings, TimeProvider clock)
    {
        var users = new UserKeyIndex();
        users.Replace(settings.Clients, clock.GetUtcNow().ToUnixTimeSeconds());
        return users;
    }

    private static InboundSetup VMess(VMessInboundSettings settings, TimeProvider clock, IRandomSource random, ArrayPool<byte> pool, RelayLimits limits,
        UserKeyIndex users, DetourSwitch? detour, ServerReplayGuard replay, HandshakeTimings? timings)
    {
        var probe = ProbeResistance.For(settings.Clients.Select(c => c.Id));
        var session = new ServerSessionSettings(users, replay, clock, random, pool, limits.ResponseChunkSize,
            probe.BaseDrainBytes, probe.DrainSpread, detour is null ? null : detour.CommandFor, timings is null ? null : timings.Record);
        return new InboundSetup(VMessFlows.ServerSession(session), null, users, 0, null, null, null);
    }

    private static InboundSetup Dokodemo(DokodemoSettings settings)
    {
        var destination = DestinationAddress.Parse(settings.Address, (ushort)settings.Port);
        var outcome = Task.FromResult<HandshakeOutcome>(new ProxyRequestAccepted(new ProxyRequest(destination, ProxyCommand.Connect, null)));
        UdpDatagramParser parse = (ReadOnlySpan<byte> _, out DestinationAddress to, out int headerLength) =>
        {
            to = destination;
            headerLength = 0;
            return true;
        };
        var timeout = settings.Timeout > TimeSpan.Zero ? settings.Timeout : (TimeSpan?)null;
        return new InboundSetup(null, outcome, null, settings.UserLevel, timeout, parse, _ => []);
    }

    private static InboundSetup Socks(SocksInboundSettings settings, IPEndPoint local, ArrayPool<byte> pool)
    {
        var auth = settings.Auth == SocksAuth.Password ? SocksAuthMode.Password : SocksAuthMode.NoAuth;
        // The UDP ASSOCIATE reply names the configured ip, else the address the inbound listens on (its TCP port is
        // also its UDP port).
        var udpRelay = settings.Ip is { } ip ? new IPEndPoint(ip, local.Port) : null;
        var options = new SocksServerOptions(auth, Accounts(settings.Accounts), settings.Udp, local, udpRelay);
        UdpDatagramParser parse = (ReadOnlySpan<byte> datagram, out DestinationAddress destination, out int headerLength) =>
        {
            var status = SocksUdpHeader.Decode(datagram, out var to, out headerLength, out _);
            destination = to!;
            return status == OperationStatus.Done;
        };
        return new InboundSetup(VMessFlows.SocksServer(new SocksServerSettings(options, pool)), null, null, settings.UserLevel, null,
            parse, SocksReplyPrefix);
    }

    private static InboundSetup Http(HttpInboundSettings settings, ArrayPool<byte> pool)
    {
        var options = new HttpProxyOptions(Accounts(settings.Accounts), settings.AllowTransparent);
        var timeout = settings.Timeout > TimeSpan.Zero ? settings.Timeout : (TimeSpan?)null;
        return new InboundSetup(VMessFlows.HttpProxy(new HttpProxySettings(options, pool)), null, null, settings.UserLevel, timeout, null, null);
    }

    private static ProxyAccounts Accounts(IEnumerable<ProxyAccount> accounts) => new(accounts.Select(a => (a.User, a.Pass)));

    /// <summary>A reply to a SOCKS5 UDP client carries the header of the destination it answers for.</summary>
    private static byte[] SocksReplyPrefix(DestinationAddress source)
    {
        var prefix = new byte[SocksUdpHeader.GetLength(source)];
        SocksUdpHeader.Encode(source, prefix);
        return prefix;
    }
}
