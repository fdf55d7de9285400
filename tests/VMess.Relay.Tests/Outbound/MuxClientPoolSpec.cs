using Akka.Event;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using Microsoft.Extensions.Time.Testing;
using VMess.Protocol;
using VMess.Protocol.Addresses;
using VMess.Protocol.Headers;
using VMess.Relay.Outbound;
using VMess.Streams;
using VMess.Streams.Buffers;
using VMess.Streams.Mux;
using VMess.Streams.Stages;
using Xunit.Abstractions;

namespace VMess.Relay.Tests.Outbound;

/// <summary>
/// <see cref="MuxClientPool"/> picking connections as V2Ray's client does, with dials that never finish (the sessions
/// wait on their connection, which is all a pick needs): the first connection not full, else a new one.
/// </summary>
public sealed class MuxClientPoolSpec(ITestOutputHelper output) : TestKit(output: output)
{
    private static readonly DestinationAddress Target = DestinationAddress.Parse("127.0.0.1", 80);
    private static readonly Task<HandshakeOutcome> NoHandshake =
        Task.FromResult<HandshakeOutcome>(new HandshakeRejected(HandshakeRejection.Aborted, DecodeError.None, 0, 0));
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Attach_should_fill_a_connection_to_its_concurrency_before_dialling_another()
    {
        using var pool = Pool(concurrency: 2, out var dials);

        for (var i = 0; i < 5; i++) pool.Attach(Target, RequestCommand.Tcp, Port());

        Assert.Equal(3, dials());
        Assert.Equal(3, pool.OpenConnections);
    }

    [Fact]
    public void Attach_should_carry_udp_sessions_on_the_same_connections_as_tcp()
    {
        using var pool = Pool(concurrency: 8, out var dials);

        pool.Attach(Target, RequestCommand.Tcp, Port());
        pool.Attach(Target, RequestCommand.Udp, Port());

        Assert.Equal(1, dials());
    }

    [Fact]
    public async Task Attach_after_dispose_should_abort_the_session()
    {
        var pool = Pool(concurrency: 8, out _);
        pool.Dispose();
        var port = Port();

        pool.Attach(Target, RequestCommand.Tcp, port);

        await Assert.ThrowsAnyAsync<Exception>(() => port.Link.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private MuxClientPool Pool(int concurrency, out Func<int> dials)
    {
        var count = 0;
        var buffers = ChunkPools.Create();
        var sockets = new SocketStageSettings(buffers, 16 * 1024);
        var blueprint = VMessFlows.MuxClient(new MuxClientSettings(buffers, _clock, concurrency, TimeSpan.FromSeconds(3)),
            new ClientSessionSettings(buffers, new CryptoRandomSource(), _clock, 16 * 1024), sockets);
        var never = new TaskCompletionSource<OutboundConnection>();
        dials = () => Volatile.Read(ref count);
        return new MuxClientPool("out", _ =>
        {
            Interlocked.Increment(ref count);
            return never.Task;
        }, blueprint, Materializer(), Akka.Event.Logging.GetLogger(Sys, "test"));
    }

    private IMaterializer Materializer() => Sys.Materializer(ActorMaterializerSettings.Create(Sys).WithAutoFusing(false));

    private MuxSessionPort Port()
    {
        var links = VMessFlows.ConnectionToMux(null, NoHandshake, new MuxSessionPortSettings(64 * 1024, 64 * 1024),
            new SocketStageSettings(ChunkPools.Create(), 16 * 1024)).Run(Materializer());
        return links.MuxPort!;
    }
}
