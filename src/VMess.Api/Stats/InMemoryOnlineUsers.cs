using System.Collections.Concurrent;
using VMess.Registry.Online;

namespace VMess.Api.Stats;

/// <summary>Who is online, as set by its owner: what a node serves until the cluster's live connections are wired in, and what tests fill.</summary>
public sealed class InMemoryOnlineUsers : IOnlineUsers
{
    private readonly ConcurrentDictionary<string, OnlineUser> _users = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Replaces what is known of the user's connections; a user with none is offline.</summary>
    public void Set(OnlineUser user)
    {
        if (user.Connections > 0) _users[user.Email] = user;
        else _users.TryRemove(user.Email, out _);
    }

    public Task<OnlineUser?> GetAsync(string email, CancellationToken cancellationToken) =>
        Task.FromResult(_users.GetValueOrDefault(email));

    public Task<IReadOnlyList<OnlineUser>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OnlineUser>>([.. _users.Values]);
}
