using Akka.Actor;
using VMess.Protocol.Auth;
using VMess.Registry.Messages;

namespace VMess.Registry;

/// <summary>What seeding did: how many users changed and how many were already as configured.</summary>
public sealed record SeedReport(int Applied, int Unchanged);

/// <summary>
/// Upserts a config's <c>clients</c> into the registry at start (and, later, on SIGHUP). This is the control plane, so
/// asking is fine here; a bounded number of upserts is in flight at once.
/// </summary>
public static class RegistrySeeder
{
    public const int DefaultParallelism = 64;

    public static async Task<SeedReport> SeedAsync(
        IActorRef registry, IEnumerable<VMessAccount> clients, TimeSpan timeoutPerUser,
        int parallelism = DefaultParallelism, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var applied = 0;
        var unchanged = 0;
        await Parallel.ForEachAsync(
            clients,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (client, ct) =>
            {
                var result = await registry.Ask<UserCommandResult>(
                    new UpsertUser(client.Id, client.AlterId, client.Level, client.Email), timeoutPerUser, ct);
                Interlocked.Increment(ref result.Outcome == UserCommandOutcome.Applied ? ref applied : ref unchanged);
            });
        return new SeedReport(applied, unchanged);
    }
}
