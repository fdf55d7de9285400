namespace VMess.Registry.Messages;

/// <summary>A user entity's whole state, saved every <see cref="RegistrySettings.SnapshotEvery"/> events so recovery stays short.</summary>
public sealed record UserSnapshot(UserRecord? User, TrafficState Traffic) : IUserRegistryMessage
{
    public static UserSnapshot Of(UserState state) => new(state.User, state.Traffic);

    public UserState ToState() => new(User) { Traffic = Traffic };
}
