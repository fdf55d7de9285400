namespace VMess.Registry.Online;

/// <summary>How a node shares its live connections with the cluster (<see cref="OnlinePublisher"/>).</summary>
public sealed record OnlineSettings
{
    public static readonly TimeSpan MinPublishInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan MaxPublishInterval = TimeSpan.FromSeconds(60);

    public static OnlineSettings Default { get; } = new();

    /// <summary>
    /// How often the node writes the users whose connections changed (all of them in one DData update, none when
    /// nothing changed). A change reaches every node's view within about this plus one network hop and DData's
    /// notify-subscribers-interval.
    /// </summary>
    public TimeSpan PublishInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Every problem with these settings, empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PublishInterval < MinPublishInterval || PublishInterval > MaxPublishInterval)
            errors.Add($"PublishInterval must be within {MinPublishInterval}..{MaxPublishInterval}, was {PublishInterval}.");
        return errors;
    }

    internal OnlineSettings EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("Invalid online settings: " + string.Join(" ", errors));
    }
}
