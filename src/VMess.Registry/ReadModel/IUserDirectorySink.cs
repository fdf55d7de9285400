namespace VMess.Registry.ReadModel;

/// <summary>
/// Where the projector hands each new directory: the relay's user indices, a holder, a test probe. Called off the
/// actor thread, one call at a time, in version order; an implementation may take its time (key derivation) but
/// must not block on the cluster.
/// </summary>
public interface IUserDirectorySink
{
    void Publish(UserDirectory directory);
}
