using Akka.Actor;
using Microsoft.Extensions.Logging;
using VMess.Registry.Messages;

namespace VMess.Api;

/// <summary>
/// Sends a user command to the registry's shard region for the API's services (HandlerService's AlterInbound, our
/// UserService's changes); the user's entity answers once the change is persisted and written to a majority.
/// </summary>
internal sealed class RegistryCommands(ApiBackends backends, ApiHostSettings settings, ILogger<RegistryCommands> logger)
{
    /// <summary>
    /// The command's outcome; UNAVAILABLE (logged) when the registry does not answer within
    /// <see cref="ApiHostSettings.RegistryTimeout"/>, saying what <paramref name="operation"/> of <paramref name="userKey"/> it was.
    /// </summary>
    public async Task<UserCommandOutcome> SendAsync(string operation, IUserRegistryCommand command, string userKey, CancellationToken cancellation)
    {
        try
        {
            return (await backends.UserRegistry.Ask<UserCommandResult>(command, settings.RegistryTimeout, cancellation)).Outcome;
        }
        catch (AskTimeoutException)
        {
            ApiLog.RegistryTimedOut(logger, operation, userKey, settings.RegistryTimeout);
            throw ApiStatus.Unavailable($"the cluster registry did not answer within {settings.RegistryTimeout.TotalSeconds:0.#} s " +
                $"(is the cluster up?); the {operation} of '{userKey}' may still take effect, and repeating it is safe");
        }
    }
}
