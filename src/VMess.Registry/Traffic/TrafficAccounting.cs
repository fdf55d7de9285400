using Akka.Actor;

namespace VMess.Registry.Traffic;

/// <summary>
/// A node's running traffic accounting (<see cref="UserRegistryExtensions.StartTrafficAccounting"/>): the reporter
/// that takes the node's bytes to the users' entities, the node's view of the cluster-wide counters, and the
/// <see cref="ITrafficStats"/> the operator API serves.
/// </summary>
public sealed record TrafficAccounting(IActorRef Reporter, ClusterTrafficView View, ClusterTrafficStats Stats)
{
    /// <summary>
    /// Reports what the node's connections carried so far and waits until every report is answered, at most
    /// <paramref name="timeout"/>: before the node leaves the cluster. False when something was still unanswered.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        try
        {
            await Reporter.Ask<TrafficFlushed>(FlushTraffic.Instance, timeout);
            return true;
        }
        catch (AskTimeoutException)
        {
            return false;
        }
    }
}
