namespace VMess.Registry.ReadModel;

/// <summary>The latest directory, readable from any thread without a lock.</summary>
public sealed class UserDirectoryHolder : IUserDirectorySink
{
    private UserDirectory _current = UserDirectory.Empty;

    public UserDirectory Current => Volatile.Read(ref _current);

    public void Publish(UserDirectory directory) => Volatile.Write(ref _current, directory);
}
