using System.Net;
using System.Net.Sockets;
using Akka.TestKit.Xunit2;
using VMess.Configuration;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Relay.Policy;
using VMess.Relay.Tests.Support;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Relay.Tests;

/// <summary>
/// The inbounds that serve the registry's users share one replay guard (the one the host passes, whose listener hears
/// each accepted auth id): a handshake accepted on one of them is refused on another, while a detour target keeps its own.
/// </summary>
public sealed class RelayNodeReplayGuardSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly VMessUserId User = VMessUserId.NewRandom();

    [Fact]
    public async Task A_handshake_accepted_on_one_registry_inbound_should_be_refused_on_another()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var echo = new TcpEchoServer();
        var listener = new CountingListener();
        var node = Start(TwoInbounds(), new ServerReplayGuard(listener));
        var request = Request(echo.Port);

        var original = await SendAndReadUntilClosedAsync(node.Inbounds[0].EndPoint.Port, request, cts.Token);
        var replay = await SendAndReadUntilClosedAsync(node.Inbounds[1].EndPoint.Port, request, cts.Token);

        Assert.NotEmpty(original.Bytes);
        Assert.Empty(replay.Bytes);
        await AwaitAssertAsync(() => Assert.Equal(1, node.Rejections[DecodeError.ReplayedAuthId]), Timeout);
        Assert.Equal(1, listener.Count);
    }

    [Fact]
    public void The_given_guard_should_serve_the_registry_inbounds_and_not_a_detour_target()
    {
        var guard = new ServerReplayGuard();
        var node = Start(TwoInbounds(detour: true), guard);

        Assert.Same(guard, node.RegistryReplayGuard);
        Assert.Equal([true, false], node.Inbounds.Select(i => i.AuthenticatesRegistryUsers));
    }

    private RelayNode Start(string json, ServerReplayGuard guard)
    {
        var loaded = ConfigLoader.Load(json);
        Assert.True(loaded.IsValid, string.Join("; ", loaded.Errors));
        var node = RelayNode.Start(Sys, loaded.Options!, RelayLimits.Default, new CapturingAccessLog(), TimeProvider.System,
            CryptoRandomSource.Instance, guard);
        return node;
    }

    /// <summary>Auth, header (TCP to the echo server), 16 KiB of payload (more than any drain) and the end of stream.</summary>
    private static byte[] Request(int echoPort)
    {
        var random = CryptoRandomSource.Instance;
        var account = new ClientAccount(User, 0, SecurityType.Aes128Gcm);
        var session = new ClientSession(account, RequestHeader.CreateRandom(random, RequestCommand.Tcp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echoPort), account.Security, account.DefaultOptions));
        using var body = SessionBodies.CreateRequestEncoder(session, random);
        var payload = Payloads.Random(16 * 1024, seed: 3);
        var request = new byte[ClientSession.MaxRequestLength + body.GetMaxEncodedLength(payload.Length) + body.MaxEndOfStreamLength];
        var length = session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), random, request);
        length += body.Encode(payload, request.AsSpan(length));
        length += body.EncodeEndOfStream(request.AsSpan(length));
        return request[..length];
    }

    private static async Task<ClosedConnection> SendAndReadUntilClosedAsync(int port, byte[] bytes, CancellationToken ct)
    {
        using var socket = await Support.Tcp.ConnectAsync(port, ct);
        try
        {
            await Support.Tcp.SendAllAsync(socket, bytes, ct);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // a refusing node may close under the sender
        }
        return await Support.Tcp.ReadUntilClosedAsync(socket, ct);
    }

    /// <summary>Two VMess inbounds with the same user; with <paramref name="detour"/> the first points the second out as its detour target.</summary>
    private static string TwoInbounds(bool detour = false) => $$"""
        {
          "log": { "loglevel": "warning" },
          "inbounds": [
            { "tag": "main", "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
              "settings": { "clients": [ { "id": "{{User}}" } ]{{(detour ? ", \"detour\": { \"to\": \"second\" }" : "")}} } },
            { "tag": "second", "listen": "127.0.0.1", "port": 0, "protocol": "vmess",
              "settings": { "clients": [ { "id": "{{User}}" } ] } }
          ],
          "outbounds": [{ "protocol": "freedom" }]
        }
        """;

    private sealed class CountingListener : IAcceptedAuthIdListener
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Accepted(UInt128 authId, long expiresAt) => Interlocked.Increment(ref _count);
    }
}
