using System.Buffers;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary>
/// <see cref="ClientSession.DecodeResponse"/> on random and mutated responses of AEAD (alterId 0) and legacy (alterId 4)
/// sessions: typed statuses only.
/// </summary>
public sealed class ClientSessionFuzzTests
{
    private const int Aead = 0;
    private const int Legacy = FuzzUsers.LegacyAlterId;

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ClientSession_should_return_typed_errors_for_random_responses(int alterId) =>
        Fuzz.CheckAsync(seed: 1_500 + alterId, iterations: 5_000,
            random => (Pair: Pairs(alterId)[random.Next(PoolSize)], Response: Mutate.RandomBytes(random, random.Next(400))),
            input => Decode(input.Pair.Session, input.Response),
            Print);

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ClientSession_should_return_typed_errors_for_mutated_responses(int alterId) =>
        Fuzz.CheckAsync(seed: 1_600 + alterId, iterations: 5_000,
            random =>
            {
                var pair = Pairs(alterId)[random.Next(PoolSize)];
                return (Pair: pair, Response: Mutate.Any(random, Response(random, pair.Handshake)));
            },
            input => Decode(input.Pair.Session, input.Response),
            Print);

    [Theory]
    [InlineData(Aead)]
    [InlineData(Legacy)]
    public Task ClientSession_should_decode_a_valid_response_followed_by_more_bytes(int alterId) =>
        Fuzz.CheckAsync(seed: 1_700 + alterId, iterations: 3_000,
            random =>
            {
                var pair = Pairs(alterId)[random.Next(PoolSize)];
                var response = Response(random, pair.Handshake);
                return (Pair: pair, Response: Mutate.Concat(response, Mutate.RandomBytes(random, random.Next(64))), Length: response.Length);
            },
            input =>
            {
                var status = input.Pair.Session.DecodeResponse(input.Response, out var header, out var consumed, out var error);
                Assert.Equal((OperationStatus.Done, DecodeError.None), (status, error));
                Assert.Equal(input.Length, consumed);
                Assert.Equal(input.Pair.Session.Header.ResponseAuth, header!.ResponseAuth);
            },
            input => Print((input.Pair, input.Response)));

    private const int PoolSize = 16;
    private static readonly Lazy<Pair[]> AeadPairs = new(() => CreatePairs(Aead));
    private static readonly Lazy<Pair[]> LegacyPairs = new(() => CreatePairs(Legacy));

    private sealed record Pair(ClientSession Session, ServerHandshake Handshake);

    private static Pair[] Pairs(int alterId) => alterId == Aead ? AeadPairs.Value : LegacyPairs.Value;

    /// <summary>Client sessions and the handshakes the server decoded from their requests.</summary>
    private static Pair[] CreatePairs(int alterId)
    {
        var random = new Random(1_800 + alterId);
        return [.. Enumerable.Range(0, PoolSize).Select(i =>
        {
            var sample = ServerHandshakeDecoderFuzzTests.ValidRequest(random, alterId);
            Assert.Equal(OperationStatus.Done, FuzzUsers.NewDecoder().Decode(sample.Request, out var handshake, out _, out _));
            return new Pair(sample.Session, handshake!);
        })];
    }

    /// <summary>The server's response to the handshake: the echoed byte, random options, sometimes a SwitchAccount command.</summary>
    private static byte[] Response(Random random, ServerHandshake handshake)
    {
        var header = FuzzSamples.NewResponseHeader(random) with { ResponseAuth = handshake.Header.ResponseAuth };
        var response = new byte[ServerResponse.GetEncodedLength(handshake, header)];
        using var body = SessionBodies.CreateResponseEncoder(handshake, new SeededRandomSource(random));
        ServerResponse.Encode(handshake, header, body, response);
        return response;
    }

    private static void Decode(ClientSession session, byte[] response)
    {
        var status = session.DecodeResponse(response, out var header, out var consumed, out var error);
        DecodeRule.Holds(status, consumed, error, response.Length);
        Assert.True((status == OperationStatus.Done) == (header is not null), $"{status} with header {header}");
        if (status == OperationStatus.Done) Assert.Equal(session.Header.ResponseAuth, header!.ResponseAuth);
    }

    private static string Print((Pair Pair, byte[] Response) input) =>
        $"session {Convert.ToHexString(input.Pair.Session.Header.BodyKey)}/{Convert.ToHexString(input.Pair.Session.Header.BodyIv)} " +
        $"aead {input.Pair.Session.IsAead}: {Convert.ToHexString(input.Response)}";
}
