using System.Net;
using Akka.Actor;
using VMess.Configuration;
using VMess.Protocol;
using VMess.Relay.Policy;

namespace VMess.Relay.Tests.Support;

/// <summary>The node under test: a <see cref="RelayNode"/> started in-process from V2Ray JSON, its access log captured.</summary>
internal sealed class TestNode
{
    private TestNode(RelayNode relay, CapturingAccessLog accessLog)
    {
        Relay = relay;
        AccessLog = accessLog;
    }

    public RelayNode Relay { get; }

    public CapturingAccessLog AccessLog { get; }

    public RejectionCounters Rejections => Relay.Rejections;

    /// <summary>The first inbound's real endpoint (127.0.0.1 and the port the OS picked).</summary>
    public IPEndPoint EndPoint => Relay.Inbounds[0].EndPoint;

    public int Port => EndPoint.Port;

    public static TestNode Start(ActorSystem system, string configJson, TimeProvider? clock = null, RelayLimits? limits = null)
    {
        var loaded = ConfigLoader.Load(configJson);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException("node config rejected: " + string.Join("; ", loaded.Errors));
        }

        var accessLog = new CapturingAccessLog();
        var relay = RelayNode.Start(system, loaded.Options, limits ?? RelayLimits.Default, accessLog, clock ?? TimeProvider.System,
            CryptoRandomSource.Instance);
        return new TestNode(relay, accessLog);
    }
}
