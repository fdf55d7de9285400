using System.Buffers;
using VMess.Protocol;
using VMess.Protocol.Auth;
using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using VMess.Protocol.Sessions;

namespace VMess.Streams.Stages;

/// <summary>What one server connection's VMess stage needs: the node-wide user index and replay state, a clock,
/// randomness, the buffer pool, and per-connection sizes.</summary>
/// <param name="ResponseChunkSize">Largest response chunk written (V2Ray writes 2 KiB; its reader takes up to 64 KiB).</param>
/// <param name="DrainBytes">How much a rejected connection is read before closing, counting what was already read.</param>
/// <param name="DrainSpread">Each connection drains <paramref name="DrainBytes"/> plus a roll below this (V2Ray's per-connection part).</param>
/// <param name="ResponseCommand">The command of an accepted connection's response header (a VMess inbound with
/// <c>detour</c> answers with a <see cref="SwitchAccountCommand"/>); called once per connection, at the handshake.</param>
/// <param name="HandshakeTimed">Told, once per connection that got as far as a verdict, how long decoding its
/// handshake took (the decoder's own time over every read that carried part of it: the authentication's cost, not
/// the client's pace) and whether it was accepted.</param>
public sealed record ServerSessionSettings(
    IUserKeyIndex Users,
    ServerReplayGuard Replay,
    TimeProvider Clock,
    IRandomSource Random,
    ArrayPool<byte> Pool,
    int ResponseChunkSize = ChunkCodecFactory.DefaultMaxChunkSize,
    int DrainBytes = 0,
    int DrainSpread = 1,
    Func<ServerHandshake, SwitchAccountCommand?>? ResponseCommand = null,
    Action<TimeSpan, bool>? HandshakeTimed = null);
