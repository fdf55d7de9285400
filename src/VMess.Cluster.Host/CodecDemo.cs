using System.Buffers;
using System.Net;
using System.Text;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Sessions;

namespace VMess.Cluster.Host;

/// <summary>
/// One VMess exchange through the codec, client and server in one process: what a newcomer can run before the relay
/// exists. Every step is the code path the interop tests prove against the real v2ray.
/// </summary>
internal static class CodecDemo
{
    public static int Run(TextWriter output)
    {
        var random = CryptoRandomSource.Instance;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = VMessUserId.NewRandom();
        output.WriteLine($"user id      {id} (alterId 0: AEAD header)");

        var users = new UserKeyIndex();
        users.Replace([new VMessAccount(id, Email: "demo@example.com")], now);
        var account = new ClientAccount(id, 0, SecurityType.Auto);
        var header = RequestHeader.CreateRandom(random, RequestCommand.Tcp, DestinationAddress.FromDomain("example.com", 443),
            account.Security, account.DefaultOptions);
        var client = new ClientSession(account, header);

        var wire = new byte[ClientSession.MaxRequestLength + 4096];
        var length = client.EncodeRequest(now, random, wire);
        using var requestBody = SessionBodies.CreateRequestEncoder(client, random);
        length += requestBody.Encode("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"u8, wire.AsSpan(length));
        output.WriteLine($"client wrote {length} bytes: security {account.Security.ToConfigName()}, options {header.Options}");

        var decoder = new ServerHandshakeDecoder(users, new ServerReplayGuard(), now);
        if (decoder.Decode(wire.AsSpan(0, length), out var handshake, out var consumed, out var error) != OperationStatus.Done)
        {
            output.WriteLine($"server refused the request: {error.Describe()}");
            return 1;
        }
        output.WriteLine($"server read  user {handshake!.User.Account.Name}, {handshake.Header.Command} to {handshake.Header.Destination}");

        using var body = SessionBodies.CreateRequestDecoder(handshake);
        var payload = new byte[4096];
        body.Decode(wire.AsSpan(consumed, length - consumed), payload, out _, out var written, out _, out _);
        output.WriteLine($"server body  {Encoding.ASCII.GetString(payload, 0, written).Split('\r')[0]}");

        using var responseBody = SessionBodies.CreateResponseEncoder(handshake, random);
        var response = new byte[512];
        var responseLength = ServerResponse.Encode(handshake, new ResponseHeader(handshake.Header.ResponseAuth), responseBody, response);
        var status = client.DecodeResponse(response.AsSpan(0, responseLength), out var reply, out _, out error);
        output.WriteLine($"client read  response header ({responseLength} bytes): {(status == OperationStatus.Done ? "authenticated" : error.Describe())}");
        return status == OperationStatus.Done && reply is not null ? 0 : 1;
    }
}
