using System.Buffers;
using Akka.Streams;
using Akka.Streams.Stage;
using VMess.ProxyProtocols.Http;
using VMess.Streams.Buffers;

namespace VMess.Streams.Stages;

/// <summary>
/// The server side of a local HTTP proxy inbound as a BidiFlow over <see cref="HttpProxyRequestParser"/>, shaped
/// like <see cref="SocksServerStage"/>. CONNECT: "200 Connection established" goes to the client, then bytes pass
/// through. A plain request: its rewritten head, joined to whatever followed it (the body's start), is the first
/// element towards the outbound, and the server's response passes back untouched; one request per connection (see
/// <see cref="HttpProxyRequestParser"/>). A refused request gets V2Ray's answer (407, 400, or none) and the stage closes.
/// </summary>
public sealed class HttpProxyStage(HttpProxySettings settings)
    : GraphStageWithMaterializedValue<BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk>, Task<HandshakeOutcome>>
{
    public Inlet<ByteChunk> RequestIn { get; } = new("HttpProxy.request.in");
    public Outlet<ByteChunk> RequestOut { get; } = new("HttpProxy.request.out");
    public Inlet<ByteChunk> ResponseIn { get; } = new("HttpProxy.response.in");
    public Outlet<ByteChunk> ResponseOut { get; } = new("HttpProxy.response.out");

    public override BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> Shape => new(RequestIn, RequestOut, ResponseIn, ResponseOut);

    public override ILogicAndMaterializedValue<Task<HandshakeOutcome>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var outcome = new TaskCompletionSource<HandshakeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new LogicAndMaterializedValue<Task<HandshakeOutcome>>(new Logic(Shape, settings, outcome), outcome.Task);
    }

    private sealed class Logic(BidiShape<ByteChunk, ByteChunk, ByteChunk, ByteChunk> shape, HttpProxySettings settings,
        TaskCompletionSource<HandshakeOutcome> outcome) : ProxyInboundLogic(shape, settings.Pool, outcome)
    {
        protected override void OnHandshakeData()
        {
            var status = HttpProxyRequestParser.Parse(Pending.Span, settings.Options, out var head, out var consumed, out var error);
            if (status == OperationStatus.NeedMoreData)
            {
                ReadMore();
                return;
            }
            if (status != OperationStatus.Done)
            {
                Reject(error.Describe(), HttpProxyResponses.For(error).Span);
                return;
            }
            Pending.Consume(consumed);
            if (head!.IsConnect)
            {
                Reply(head.Reply.Span);
                Accept(head.Request);
                return;
            }
            var first = ByteChunk.Rent(Pool, head.ForwardedHead.Length + Pending.Count);
            head.ForwardedHead.Span.CopyTo(first.Array);
            Pending.Span.CopyTo(first.Array.AsSpan(head.ForwardedHead.Length));
            first.Length = head.ForwardedHead.Length + Pending.Count;
            Pending.Clear();
            Accept(head.Request, first);
        }
    }
}
