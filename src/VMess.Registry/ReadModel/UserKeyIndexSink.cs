using VMess.Protocol.Auth;

namespace VMess.Registry.ReadModel;

/// <summary>
/// Makes each VMess inbound's <see cref="UserKeyIndex"/> hold exactly the directory's users. The index keeps the keys
/// of unchanged users and swaps its array atomically, so handshakes in flight never see a half-built table.
/// </summary>
public sealed class UserKeyIndexSink(IReadOnlyList<UserKeyIndex> indices, TimeProvider time) : IUserDirectorySink
{
    public void Publish(UserDirectory directory)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var index in indices) index.Replace(directory.Accounts, now);
    }
}
