using System.Buffers;
using System.Net;
using System.Net.Sockets;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;
using VMess.Testing;
using Xunit.Abstractions;

namespace VMess.Protocol.Tests.Interop;

/// <summary>The real v2ray 4.34 server accepts requests our encoder writes, and our decoder reads its response header.</summary>
public sealed class RealServerHandshakeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public async Task Real_v2ray_server_should_accept_our_request_and_answer_a_response_header_we_read(int alterId)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var id = VMessUserId.NewRandom();
        await using var echo = new TcpEchoServer();
        var serverPort = FreePort.Tcp();
        await using var server = await V2RayProcess.StartAsync(
            V2RayConfigs.Server(serverPort, [(id.ToString(), alterId, "user@test")]), [serverPort], output, cts.Token);

        // Security none without chunk stream: the body is raw in both directions, so this isolates the headers.
        var account = new ClientAccount(id, (ushort)alterId, SecurityType.None);
        var header = RequestHeader.CreateRandom(CryptoRandomSource.Instance, RequestCommand.Tcp,
            DestinationAddress.FromIp(IPAddress.Loopback, (ushort)echo.Port), SecurityType.None, RequestOptions.None);
        var session = new ClientSession(account, header);
        var request = new byte[ClientSession.MaxRequestLength + 5];
        var length = session.EncodeRequest(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), CryptoRandomSource.Instance, request);
        "hello"u8.CopyTo(request.AsSpan(length));

        using var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, serverPort, cts.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request.AsMemory(0, length + 5), cts.Token);

        var received = new List<byte>();
        var buffer = new byte[4096];
        ResponseHeader? response = null;
        var consumed = 0;
        while (response is null || received.Count - consumed < 5)
        {
            var n = await stream.ReadAsync(buffer, cts.Token);
            Assert.True(n > 0, "the server closed before answering: " + server.Output);
            received.AddRange(buffer.AsSpan(0, n));
            if (response is null)
            {
                var status = session.DecodeResponse(received.ToArray(), out response, out consumed, out var error);
                Assert.True(status != OperationStatus.InvalidData, error.ToString());
            }
        }

        Assert.Equal(header.ResponseAuth, response.ResponseAuth);
        Assert.Null(response.Command);
        Assert.Equal("hello"u8.ToArray(), received.Skip(consumed).Take(5).ToArray());
    }
}
