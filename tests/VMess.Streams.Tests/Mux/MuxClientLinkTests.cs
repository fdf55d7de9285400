using VMess.Protocol.Addresses;
using VMess.Protocol.Mux;
using VMess.Streams.Mux;

namespace VMess.Streams.Tests.Mux;

/// <summary><see cref="MuxClientLink"/>: V2Ray 4.34's client strategy (concurrency at once, 128 in a life) and idle close.</summary>
public sealed class MuxClientLinkTests
{
    private static readonly DestinationAddress Target = DestinationAddress.Parse("127.0.0.1", 80);

    [Fact]
    public void TryOpen_should_refuse_once_concurrency_sessions_are_open_and_take_one_again_after_one_ends()
    {
        var link = new MuxClientLink(maxConcurrency: 2, maxSessions: 128);

        Assert.True(Open(link));
        Assert.True(Open(link));
        Assert.False(Open(link));
        link.SessionEnded();

        Assert.True(Open(link));
        Assert.Equal(2, link.ActiveSessions);
    }

    [Fact]
    public void TryOpen_should_refuse_after_128_sessions_in_the_connections_life_even_with_none_open()
    {
        var link = new MuxClientLink(maxConcurrency: 1024, maxSessions: 128);
        for (var i = 0; i < 128; i++)
        {
            Assert.True(Open(link), $"session {i}");
            link.SessionEnded();
        }

        Assert.False(Open(link));
        Assert.True(link.IsClosing);
        Assert.Equal(0, link.ActiveSessions);
    }

    [Fact]
    public void CloseIfIdle_should_close_only_a_connection_without_sessions_and_then_refuse_new_ones()
    {
        var link = new MuxClientLink(maxConcurrency: 4, maxSessions: 128);
        Open(link);

        Assert.False(link.CloseIfIdle());
        link.SessionEnded();
        Assert.True(link.CloseIfIdle());

        Assert.False(Open(link));
        Assert.True(link.IsClosed);
    }

    [Fact]
    public void A_session_waiting_to_be_opened_should_be_aborted_when_the_connection_stops()
    {
        var link = new MuxClientLink(maxConcurrency: 4, maxSessions: 128);
        var port = new MuxSessionPort(1024, 1024);
        string? reason = null;
        port.Link.Bind(control => reason = control as string);
        link.TryOpen(MuxNetwork.Tcp, Target, port);

        link.OnStopped();

        Assert.Equal("the mux connection closed", reason);
        Assert.False(Open(link));
    }

    private static bool Open(MuxClientLink link) => link.TryOpen(MuxNetwork.Tcp, Target, new MuxSessionPort(1024, 1024));
}
