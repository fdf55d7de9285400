using System.Buffers;
using System.Net;
using VMess.Protocol.Addresses;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using Xunit.Abstractions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>Our server-side handshake decoder reads what the real v2ray 4.34 client writes.</summary>
public sealed class RealClientHandshakeTests(ITestOutputHelper output)
{
    public static TheoryData<int, string, bool> Cases() => new()
    {
        { 0, "aes-128-gcm", false }, { 0, "chacha20-poly1305", false }, { 0, "none", false }, { 0, "auto", false },
        { 4, "aes-128-gcm", false }, { 4, "chacha20-poly1305", false }, { 4, "none", false }, { 4, "auto", false },
        { 0, "aes-128-gcm", true }, { 4, "chacha20-poly1305", true },
    };

    [Theory, MemberData(nameof(Cases))]
    public async Task Server_decoder_should_read_the_request_header_of_a_real_v2ray_client(int alterId, string security, bool udp)
    {
        var id = VMessUserId.NewRandom();
        // The smallest request is legacy + none: auth 16, header 38 + address 7 + checksum 4 (no padding), chunk 2 + 5.
        var bytes = await CapturedV2RayRequest.CaptureAsync(id.ToString(), alterId, security, udp, "hello"u8.ToArray(), 72, output);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var users = new UserKeyIndex();
        users.Replace([new VMessAccount(VMessUserId.NewRandom()), new VMessAccount(id, (ushort)alterId)], now);
        var decoder = new ServerHandshakeDecoder(users, new ServerReplayGuard(), now);

        var status = decoder.Decode(bytes, out var handshake, out var consumed, out var error);

        Assert.True(status == OperationStatus.Done, $"{status} {error}");
        Assert.Equal(alterId == 0, handshake!.IsAead);
        Assert.Equal(id, handshake.User.Account.Id);
        Assert.Equal(udp ? RequestCommand.Udp : RequestCommand.Tcp, handshake.Header.Command);
        Assert.Equal(DestinationAddress.FromIp(IPAddress.Loopback, 9), handshake.Header.Destination);
        SecurityTypeExtensions.TryParseConfigName(security, out var expected);
        Assert.Equal(expected.Resolve(), handshake.Header.Security);
        var expectedOptions = new ClientAccount(id, (ushort)alterId, expected).DefaultOptions;
        Assert.Equal(expectedOptions, handshake.Header.Options);
        Assert.InRange(consumed, 16 + 38, bytes.Length);
    }

    [Fact]
    public async Task Server_decoder_should_refuse_a_replayed_real_v2ray_request()
    {
        var id = VMessUserId.NewRandom();
        var bytes = await CapturedV2RayRequest.CaptureAsync(id.ToString(), 0, "aes-128-gcm", false, "hello"u8.ToArray(), 80, output);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var users = new UserKeyIndex();
        users.Replace([new VMessAccount(id)], now);
        var replay = new ServerReplayGuard();

        Assert.Equal(OperationStatus.Done, new ServerHandshakeDecoder(users, replay, now).Decode(bytes, out _, out _, out _));
        var second = new ServerHandshakeDecoder(users, replay, now);
        Assert.Equal(OperationStatus.InvalidData, second.Decode(bytes, out _, out _, out var error));
        Assert.Equal(DecodeError.ReplayedAuthId, error);
        Assert.True(second.ShouldDrain);
    }
}
