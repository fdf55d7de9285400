using VMess.Registry.Messages;

namespace VMess.Api.Users;

/// <summary>The registry's users as this node reads them, disabled ones included: what the API's UserService lists.</summary>
public interface IRegistryUsers
{
    /// <summary>Every user in this node's replica, which follows the cluster's within about a second.</summary>
    Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The user with this registry key (<see cref="Registry.UserKey"/>); null when there is none.</summary>
    Task<UserRecord?> GetAsync(string userKey, CancellationToken cancellationToken);
}
