using System.Buffers;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.ProxyProtocols.Socks;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The server side of a local SOCKS4/4a/5 inbound as a BidiFlow over <see cref="SocksServerHandshake"/>. Top: bytes
/// from the client in, the request's payload out towards the outbound. Bottom: the outbound's payload in, bytes to
/// the client out. The stage writes the handshake replies itself (success before the destination is dialled, as
/// V2Ray does), completes the materialized task once the request is known, then passes bytes through unchanged,
/// starting with any the client sent after its request. Nothing goes to the outbound before it pulls.
/// <para>
/// A refused handshake gets V2Ray's failure reply, if any, and the stage closes. A UDP ASSOCIATE closes the outbound
/// side at once and reads and drops client bytes until the client closes: the TCP connection only holds the association.
/// </para>
/// </summary>
public sealed class SocksServerStage(SocksServerSettings settings)
    : GraphStageWithMaterializedValue<BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk>, Task<HandshakeOutcome>>
{
    public Inlet<ByteChunk> RequestIn { get; } = new("SocksServer.request.in");
    public Outlet<ByteChunk> RequestOut { get; } = new("SocksServer.request.out");
    public Inlet<ByteChunk> ResponseIn { get; } = new("SocksServer.response.in");
    public Outlet<ByteChunk> ResponseOut { get; } = new("SocksServer.response.out");

    public override BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> Shape => new(RequestIn, RequestOut, ResponseIn, ResponseOut);

    public override ILogicAndMaterializedValue<Task<HandshakeOutcome>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var outcome = new TaskCompletionSource<HandshakeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<HandshakeOutcome>>(new Logic(Shape, settings, outcome), outcome.Task);
    }

    private sealed class Logic(BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> shape, SocksServerSettings settings,
        TaskCompletionSource<HandshakeOutcome> outcome) : ProxyInboundLogic(shape, settings.Pool, outcome)
    {
        // Greeting, password and request can arrive in one read; their replies go out together.
        private const int MaxSteps = 3;

        private readonly SocksServerHandshake _handshake = new(settings.Options);

        protected override void OnHandshakeData()
        {
            Span<byte> replies = stackalloc byte[MaxSteps * SocksServerHandshake.MaxReplyLength];
            var replied = 0;
            while (true)
            {
                var status = _handshake.Decode(Pending.Span, replies[replied..], out var consumed, out var written, out var error);
                replied += written;
                if (status == OperationStatus.NeedMoreData)
                {
                    Reply(replies[..replied]);
                    ReadMore();
                    return;
                }
                if (status == OperationStatus.InvalidData)
                {
                    Reject(error.Describe(), replies[..replied]);
                    return;
                }
                Pending.Consume(consumed);
                if (_handshake.Request is { } request)
                {
                    Reply(replies[..replied]);
                    Accept(request);
                    return;
                }
            }
        }
    }
}
