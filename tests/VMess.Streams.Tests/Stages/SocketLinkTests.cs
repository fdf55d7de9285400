using System.Net.Sockets;
using VMess.Streams.Stages;

namespace VMess.Streams.Tests.Stages;

/// <summary>
/// The link's hand-over between the control plane and a stage that may not have started yet (a graph's stages
/// start asynchronously after materialization, so an actor can attach or abort before that).
/// </summary>
public sealed class SocketLinkTests
{
    [Fact]
    public void Attach_should_hand_over_a_socket_given_before_the_stage_started()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var link = new SocketLink();
        Socket? attached = null;

        link.Attach(socket);
        (attached, _) = link.Bind(_ => Assert.Fail("a pending socket goes back to the starting stage, not through the callback"));

        Assert.Same(socket, attached);
    }

    [Fact]
    public void Abort_should_be_carried_out_when_it_came_before_the_stage_started()
    {
        var link = new SocketLink();
        string? aborted = null;

        link.Abort("listener stopped");
        (_, aborted) = link.Bind(_ => Assert.Fail("a pending abort goes back to the starting stage, not through the callback"));

        Assert.Equal("listener stopped", aborted);
    }

    [Fact]
    public void Attach_should_close_a_socket_once_the_stage_stopped()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var link = new SocketLink();
        link.Bind(_ => Assert.Fail("attached after stop"));
        link.OnStopped(null);

        link.Attach(socket);

        Assert.Throws<ObjectDisposedException>(() => socket.Available);
    }

    [Fact]
    public void OnStopped_should_close_a_socket_that_was_never_handed_over()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var link = new SocketLink();
        link.Attach(socket);

        link.OnStopped(null);

        Assert.Throws<ObjectDisposedException>(() => socket.Available);
    }
}
