using System.Net;
using VMess.Api.Cluster;

namespace VMess.Cluster.Host.Operator;

/// <summary>
/// Where a share link sends clients: <c>--address</c> and <c>--port</c> when given; else the inbound's port, and its
/// address unless it listens on every address, where the host the API was reached at stands in (the node cannot know
/// its public name). A loopback stand-in is said on standard error, since clients elsewhere cannot use it.
/// </summary>
internal sealed record ShareLinkTarget(string Address, int Port)
{
    public static ShareLinkTarget For(Inbound inbound, string? address, int? port, string serverHost, TextWriter notes)
    {
        var linkPort = port ?? (int)inbound.Port;
        if (linkPort == 0) throw new OperatorException($"inbound '{inbound.Tag}' reports port 0; give --port N");
        if (address is not null) return new ShareLinkTarget(address, linkPort);
        if (IPAddress.TryParse(inbound.Listen, out var listen) && !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return new ShareLinkTarget(inbound.Listen, linkPort);
        }
        if (serverHost == "localhost" || (IPAddress.TryParse(serverHost, out var server) && IPAddress.IsLoopback(server)))
        {
            notes.WriteLine($"note: inbound '{inbound.Tag}' listens on every address and the link says {serverHost}, which only this " +
                "machine reaches; give --address HOST for clients elsewhere");
        }
        return new ShareLinkTarget(serverHost, linkPort);
    }
}
