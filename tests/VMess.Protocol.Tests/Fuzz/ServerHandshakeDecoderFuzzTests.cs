using System.Buffers;
using System.Buffers.Binary;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;
using VMess.Protocol.Legacy;
using VMess.Protocol.Sessions;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary>
/// <see cref="ServerHandshakeDecoder"/> on hostile input: random bytes, valid requests of AEAD (alterId 0) and legacy
/// (alterId 4) users, and those requests mutated. Every call returns a typed status; valid requests decode.
/// </summary>
public sealed class ServerHandshakeDecoderFuzzTests
{
    private const int Aead = 0;
    private const int Legacy = FuzzUsers.LegacyAlterId;

    [Fact]
    public Task ServerHandshakeDecoder_should_return_typed_errors_for_random_bytes() =>
        Fuzz.CheckAsync(seed: 101, iterations: 5_000,
            random => Mutate.RandomBytes(random, random.Next(601)),
            input => Decode(FuzzUsers.NewDecoder(), input));

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_decode_valid_requests_to_the_header_sent(int alterId) =>
        Fuzz.CheckAsync(seed: 200 + alterId, iterations: 1_500,
            random => ValidRequest(random, alterId),
            sample =>
            {
                var (status, handshake, consumed) = Decode(FuzzUsers.NewDecoder(), sample.Request);
                Assert.Equal(OperationStatus.Done, status);
                Assert.Equal(sample.Request.Length, consumed);
                Assert.Equal(sample.Session.IsAead, handshake!.IsAead);
                Assert.Equal(sample.Account.Id, handshake.User.Account.Id);
                var sent = sample.Session.Header;
                var header = handshake.Header;
                Assert.Equal((sent.Command, sent.Security, sent.Options, sent.ResponseAuth), (header.Command, header.Security, header.Options, header.ResponseAuth));
                Assert.Equal(sent.BodyKey, header.BodyKey);
                Assert.Equal(sent.BodyIv, header.BodyIv);
                FuzzSamples.AssertSameDestination(sent.Destination, header.Destination);
            },
            Print);

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_return_NeedMoreData_for_every_truncated_prefix(int alterId) =>
        Fuzz.CheckAsync(seed: 300 + alterId, iterations: 40,
            random => ValidRequest(random, alterId),
            sample =>
            {
                // A fresh decoder and replay guard per prefix: each is a new connection that stops short.
                for (var length = 0; length < sample.Request.Length; length++)
                {
                    var (status, _, _) = Decode(FuzzUsers.NewDecoder(), sample.Request[..length]);
                    Assert.True(status == OperationStatus.NeedMoreData, $"prefix {length}: {status}");
                }
                Assert.Equal(OperationStatus.Done, Decode(FuzzUsers.NewDecoder(), sample.Request).Status);
            },
            Print);

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_decode_a_request_arriving_in_growing_prefixes(int alterId) =>
        Fuzz.CheckAsync(seed: 400 + alterId, iterations: 300,
            random => (Sample: ValidRequest(random, alterId), Cuts: Cuts(random)),
            input =>
            {
                // One connection: the decoder is called again with everything received so far.
                var request = input.Sample.Request;
                var decoder = FuzzUsers.NewDecoder();
                foreach (var cut in input.Cuts.Where(c => c < request.Length))
                {
                    Assert.Equal(OperationStatus.NeedMoreData, Decode(decoder, request[..cut]).Status);
                }
                var (status, _, consumed) = Decode(decoder, request);
                Assert.Equal(OperationStatus.Done, status);
                Assert.Equal(request.Length, consumed);
            },
            input => Print(input.Sample));

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_consume_only_the_request_when_more_bytes_follow(int alterId) =>
        Fuzz.CheckAsync(seed: 500 + alterId, iterations: 1_000,
            random => (Sample: ValidRequest(random, alterId), Suffix: Mutate.RandomBytes(random, 1 + random.Next(600))),
            input =>
            {
                var (status, _, consumed) = Decode(FuzzUsers.NewDecoder(), Mutate.Concat(input.Sample.Request, input.Suffix));
                Assert.Equal(OperationStatus.Done, status);
                Assert.Equal(input.Sample.Request.Length, consumed);
            },
            input => Print(input.Sample) + " + " + Convert.ToHexString(input.Suffix));

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_not_accept_any_single_byte_flip(int alterId) =>
        Fuzz.CheckAsync(seed: 600 + alterId, iterations: 25,
            random => (Sample: ValidRequest(random, alterId), Mask: (byte)(1 + random.Next(255))),
            input =>
            {
                var request = input.Sample.Request;
                for (var i = 0; i < request.Length; i++)
                {
                    var (status, _, _) = Decode(FuzzUsers.NewDecoder(), Mutate.FlipByte(request, i, input.Mask));
                    // AEAD authenticates every byte. A legacy header is CFB: a flip reaches the plaintext, where the
                    // checksum refuses it or a length it corrupts waits for bytes that never come.
                    if (alterId == Aead) Assert.True(status == OperationStatus.InvalidData, $"flip at {i}: {status}");
                    else Assert.True(status != OperationStatus.Done, $"flip at {i}: {status}");
                }
            },
            input => Print(input.Sample));

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_return_typed_errors_for_mutated_requests(int alterId) =>
        Fuzz.CheckAsync(seed: 700 + alterId, iterations: 5_000,
            random =>
            {
                // Some clients are off the server's clock, some beyond the ±120 s window.
                var skew = random.Next(4) == 0 ? random.Next(-400, 400) : 0;
                return Mutate.Any(random, ValidRequest(random, alterId, skew).Request);
            },
            input => Decode(FuzzUsers.NewDecoder(), input));

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_return_typed_errors_for_mutated_requests_arriving_in_pieces(int alterId) =>
        Fuzz.CheckAsync(seed: 750 + alterId, iterations: 2_000,
            random => (Request: Mutate.Any(random, ValidRequest(random, alterId).Request), Cuts: Cuts(random)),
            input =>
            {
                // One connection: the decoder keeps its state (user, header length) between calls until it decides.
                var decoder = FuzzUsers.NewDecoder();
                foreach (var cut in input.Cuts.Where(c => c < input.Request.Length).Append(input.Request.Length))
                {
                    if (Decode(decoder, input.Request[..cut]).Status != OperationStatus.NeedMoreData) break;
                }
            },
            input => $"cuts {string.Join(",", input.Cuts)}: {Convert.ToHexString(input.Request)}");

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ServerHandshakeDecoder_should_return_typed_errors_for_authenticated_malformed_headers(int alterId) =>
        Fuzz.CheckAsync(seed: 800 + alterId, iterations: 5_000,
            random => Authenticated(random, FuzzUsers.Account(random, alterId), MalformedPlainHeader(random)),
            input => Decode(FuzzUsers.NewDecoder(), input));

    internal sealed record RequestSample(ClientAccount Account, ClientSession Session, byte[] Request);

    internal static RequestSample ValidRequest(Random random, int alterId, long clientSkew = 0)
    {
        var account = FuzzUsers.Account(random, alterId);
        var (session, request) = FuzzUsers.Request(random, account, FuzzSamples.NewRequestHeader(random), clientSkew);
        return new RequestSample(account, session, request);
    }

    /// <summary>Version, options, padding‖security, reserved, command.</summary>
    private static readonly int[] FieldBytes = [0, 34, 35, 36, 37];

    /// <summary>
    /// A plaintext header a client holding the key could send: random, or a valid one with a field byte changed or
    /// mutated anywhere, half the time re-checksummed so the checks after the checksum run.
    /// </summary>
    internal static byte[] MalformedPlainHeader(Random random)
    {
        if (random.Next(4) == 0) return Mutate.RandomBytes(random, random.Next(RequestHeaderCodec.MaxEncodedLength + 40));
        var plain = FuzzSamples.EncodedRequestHeader(random, FuzzSamples.NewRequestHeader(random));
        if (random.Next(2) == 0) plain[FieldBytes[random.Next(FieldBytes.Length)]] = (byte)random.Next(256);
        else plain = Mutate.Any(random, plain);
        if (random.Next(2) == 0 && plain.Length >= RequestHeaderCodec.ChecksumSize)
        {
            var checksumAt = plain.Length - RequestHeaderCodec.ChecksumSize;
            BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(checksumAt), Fnv1a.Hash(plain.AsSpan(0, checksumAt)));
        }
        return plain;
    }

    /// <summary>Wraps a plaintext header as the account's client would: AEAD-sealed or legacy CFB, with a valid auth.</summary>
    private static byte[] Authenticated(Random random, ClientAccount account, byte[] plain)
    {
        if (account.UsesAeadHeader)
        {
            Span<byte> authId = stackalloc byte[AuthId.Size];
            AuthId.Create(account.AuthIdCipher, FuzzUsers.Now, Mutate.RandomBytes(random, 4), authId);
            var sealedRequest = new byte[AeadHeaderCipher.GetSealedSize(plain.Length)];
            AeadHeaderCipher.Seal(account.CmdKey, authId, Mutate.RandomBytes(random, AeadHeaderCipher.ConnectionNonceSize), plain, sealedRequest);
            return sealedRequest;
        }
        var timestamp = FuzzUsers.Now + random.Next(-60, 60);
        var request = new byte[LegacyAuth.Size + plain.Length];
        LegacyAuth.ComputeHash(account.AlterIds[random.Next(account.AlterIds.Count)], timestamp, request);
        Span<byte> iv = stackalloc byte[16];
        LegacyAuth.HeaderIv(timestamp, iv);
        Cfb128.Encrypt(account.CmdKey, iv, plain, request.AsSpan(LegacyAuth.Size));
        return request;
    }

    private static int[] Cuts(Random random)
    {
        var cuts = new int[1 + random.Next(6)];
        for (var i = 0; i < cuts.Length; i++) cuts[i] = random.Next(ClientSession.MaxRequestLength);
        Array.Sort(cuts);
        return cuts;
    }

    private static (OperationStatus Status, ServerHandshake? Handshake, int Consumed) Decode(ServerHandshakeDecoder decoder, byte[] input)
    {
        var status = decoder.Decode(input, out var handshake, out var consumed, out var error);
        DecodeRule.Holds(status, consumed, error, input.Length);
        Assert.True((status == OperationStatus.Done) == (handshake is not null), $"{status} with handshake {handshake}");
        return (status, handshake, consumed);
    }

    private static string Print(RequestSample sample) =>
        $"{sample.Session.Header} to {sample.Session.Header.Destination} as {sample.Account.Id}/{sample.Account.AlterId}: {Convert.ToHexString(sample.Request)}";
}
