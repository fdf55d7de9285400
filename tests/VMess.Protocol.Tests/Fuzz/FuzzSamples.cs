using System.Net;
using VMess.Protocol.Addresses;
using VMess.Protocol.Auth;
using VMess.Protocol.Headers;
using VMess.Protocol.Ids;
using VMess.Protocol.Legacy;
using VMess.Protocol.Mux;
using VMess.Protocol.Sessions;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary>An <see cref="IRandomSource"/> over a seeded <see cref="Random"/>, so encoders are deterministic too.</summary>
internal sealed class SeededRandomSource(Random random) : IRandomSource
{
    public void Fill(Span<byte> destination) => random.NextBytes(destination);

    public int Next(int maxExclusive) => random.Next(maxExclusive);
}

/// <summary>Valid protocol values drawn from a seeded <see cref="Random"/>.</summary>
internal static class FuzzSamples
{
    private const string DomainAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-";

    public static readonly SecurityType[] WireSecurities =
        [SecurityType.Legacy, SecurityType.Aes128Gcm, SecurityType.ChaCha20Poly1305, SecurityType.None];

    public static readonly RequestCommand[] Commands = [RequestCommand.Tcp, RequestCommand.Udp, RequestCommand.Mux];

    public static string NewDomain(Random random, int maxLength = 255)
    {
        var chars = new char[1 + random.Next(maxLength)];
        for (var i = 0; i < chars.Length; i++) chars[i] = DomainAlphabet[random.Next(DomainAlphabet.Length)];
        return new string(chars);
    }

    public static DestinationAddress NewDestination(Random random)
    {
        var port = (ushort)random.Next(65536);
        return random.Next(3) switch
        {
            0 => DestinationAddress.FromIp(new IPAddress(Mutate.RandomBytes(random, 4)), port),
            1 => DestinationAddress.FromIp(new IPAddress(Mutate.RandomBytes(random, 16)), port),
            _ => DestinationAddress.FromDomain(NewDomain(random), port),
        };
    }

    /// <summary>Any subset of S, R, M, P, A, except P without M (which the decoder refuses).</summary>
    public static RequestOptions NewOptions(Random random)
    {
        var options = (RequestOptions)random.Next(0x20);
        if (options.HasFlag(RequestOptions.GlobalPadding)) options |= RequestOptions.ChunkMasking;
        return options;
    }

    public static RequestHeader NewRequestHeader(Random random)
    {
        var command = Commands[random.Next(Commands.Length)];
        return RequestHeader.CreateRandom(new SeededRandomSource(random), command,
            command == RequestCommand.Mux ? null : NewDestination(random),
            WireSecurities[random.Next(WireSecurities.Length)], NewOptions(random));
    }

    /// <summary>A plaintext request header with 0–15 bytes of random padding.</summary>
    public static byte[] EncodedRequestHeader(Random random, RequestHeader header)
    {
        var buffer = new byte[RequestHeaderCodec.MaxEncodedLength];
        var length = RequestHeaderCodec.Encode(header, Mutate.RandomBytes(random, random.Next(RequestHeaderCodec.MaxPadding + 1)), buffer);
        return buffer[..length];
    }

    public static ResponseHeader NewResponseHeader(Random random)
    {
        SwitchAccountCommand? command = null;
        if (random.Next(2) == 0)
        {
            // A SwitchAccount command is 23 bytes plus the host, and the whole command at most 255.
            var host = random.Next(4) == 0 ? null : NewDomain(random, maxLength: 255 - 4 - 23);
            command = new SwitchAccountCommand(host, (ushort)random.Next(65536), VMessUserId.FromBytes(Mutate.RandomBytes(random, 16)),
                (ushort)random.Next(65536), (byte)random.Next(256), (byte)random.Next(256));
        }
        return new ResponseHeader((byte)random.Next(256), (byte)random.Next(256), command);
    }

    public static MuxFrameMetadata NewMuxMetadata(Random random)
    {
        var sessionId = (ushort)random.Next(65536);
        var option = (MuxOptions)random.Next(4);
        return random.Next(4) switch
        {
            0 => MuxFrameMetadata.New(sessionId, random.Next(2) == 0 ? MuxNetwork.Tcp : MuxNetwork.Udp, NewDestination(random), option),
            1 => MuxFrameMetadata.Keep(sessionId, option),
            2 => MuxFrameMetadata.End(sessionId, option),
            _ => MuxFrameMetadata.KeepAlive(sessionId, option),
        };
    }

    /// <summary>
    /// Checks a decoded destination against the one sent: equal, except that a domain which parses as an IP literal
    /// comes back as that IP (AddressCodec follows V2Ray there).
    /// </summary>
    public static void AssertSameDestination(DestinationAddress? sent, DestinationAddress? decoded)
    {
        if (sent is null || decoded is null)
        {
            Assert.Equal(sent, decoded);
            return;
        }
        if (sent.Type == AddressType.Domain && decoded.Type != AddressType.Domain)
        {
            Assert.Equal(sent.Port, decoded.Port);
            Assert.True(IPAddress.TryParse(sent.Domain, out var ip) && ip.Equals(decoded.Ip), $"{sent} decoded as {decoded}");
            return;
        }
        Assert.Equal(sent, decoded);
    }
}

/// <summary>
/// The server's users for the handshake fuzz tests: three AEAD users (alterId 0) and two legacy ones (alterId 4), at a
/// fixed clock. Built once; each case gets its own replay guard.
/// </summary>
internal static class FuzzUsers
{
    public const long Now = 1_700_000_000;
    public const ushort LegacyAlterId = 4;

    public static readonly IReadOnlyList<ClientAccount> Aead;
    public static readonly IReadOnlyList<ClientAccount> Legacy;
    public static readonly UserKeyIndex Index = new();

    /// <summary>
    /// The index the decoders get: a failed legacy header taints its auth hash in the shared table (V2Ray's
    /// BurnTaintFuse), which would make later cases depend on earlier ones, so each lookup gets a fresh entry.
    /// </summary>
    public static readonly IUserKeyIndex Isolated = new UntaintedIndex(Index);

    static FuzzUsers()
    {
        var random = new Random(20240601);
        VMessUserId NextId() => VMessUserId.FromBytes(Mutate.RandomBytes(random, VMessUserId.Size));
        Aead = [.. Enumerable.Range(0, 3).Select(_ => new ClientAccount(NextId(), 0, SecurityType.Aes128Gcm))];
        Legacy = [.. Enumerable.Range(0, 2).Select(_ => new ClientAccount(NextId(), LegacyAlterId, SecurityType.Aes128Gcm))];
        Index.Replace(Aead.Concat(Legacy).Select(a => new VMessAccount(a.Id, a.AlterId)), Now);
    }

    public static ClientAccount Account(Random random, int alterId) =>
        alterId == 0 ? Aead[random.Next(Aead.Count)] : Legacy[random.Next(Legacy.Count)];

    public static ServerHandshakeDecoder NewDecoder() => new(Isolated, new ServerReplayGuard(), Now);

    /// <summary>A valid request from one of the users, sent <paramref name="clientSkew"/> seconds off the server's clock.</summary>
    public static (ClientSession Session, byte[] Request) Request(Random random, ClientAccount account, RequestHeader header, long clientSkew = 0)
    {
        var session = new ClientSession(account, header);
        var buffer = new byte[ClientSession.MaxRequestLength];
        var length = session.EncodeRequest(Now + clientSkew, new SeededRandomSource(random), buffer);
        return (session, buffer[..length]);
    }

    private sealed class UntaintedIndex(IUserKeyIndex inner) : IUserKeyIndex
    {
        public AuthMatch MatchAead(ReadOnlySpan<byte> authId, long now) => inner.MatchAead(authId, now);

        public LegacyAuthEntry? FindLegacy(ReadOnlySpan<byte> authHash) =>
            inner.FindLegacy(authHash) is { } entry ? new LegacyAuthEntry(entry.User, entry.Timestamp) : null;
    }
}
