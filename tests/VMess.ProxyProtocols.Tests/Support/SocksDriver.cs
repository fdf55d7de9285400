using System.Buffers;
using VMess.ProxyProtocols.Socks;

namespace VMess.ProxyProtocols.Tests.Support;

/// <summary>
/// Drives one <see cref="SocksServerHandshake"/> as a stage does: bytes arrive in pieces, each complete step is
/// decoded and its reply collected, until the request is known or refused.
/// </summary>
internal static class SocksDriver
{
    public static SocksRun Run(SocksServerOptions options, params byte[][] pieces)
    {
        var handshake = new SocksServerHandshake(options);
        var pending = new List<byte>();
        var replies = new List<byte>();
        var reply = new byte[SocksServerHandshake.MaxReplyLength];
        var received = 0;
        foreach (var piece in pieces)
        {
            pending.AddRange(piece);
            received += piece.Length;
            while (true)
            {
                var status = handshake.Decode(pending.ToArray(), reply, out var consumed, out var written, out var error);
                replies.AddRange(reply[..written]);
                if (status == OperationStatus.NeedMoreData)
                {
                    Assert.Equal(0, consumed);
                    Assert.Equal(0, written);
                    break;
                }
                if (status == OperationStatus.InvalidData) return new SocksRun(status, error, replies.ToArray(), null, []);
                pending.RemoveRange(0, consumed);
                if (handshake.Request is not null)
                {
                    // What is left of this piece and all later pieces belongs to the destination.
                    var later = pieces.SkipWhile(p => !ReferenceEquals(p, piece)).Skip(1).SelectMany(p => p);
                    return new SocksRun(status, error, replies.ToArray(), handshake.Request, [.. pending, .. later]);
                }
            }
        }
        return new SocksRun(OperationStatus.NeedMoreData, SocksError.None, replies.ToArray(), null, []);
    }
}

/// <summary>How a handshake ended: the status, the error, every reply byte, the request and the bytes after it.</summary>
internal sealed record SocksRun(OperationStatus Status, SocksError Error, byte[] Replies, ProxyRequest? Request, byte[] Leftover);
