using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace VMess.Registry.Dispatch;

/// <summary>
/// The mailbox type of <see cref="CompactDequeMessageQueue"/>: a deque-based mailbox, as a persistent actor requires,
/// that costs an idle actor a small object. <see cref="EnsureConfigured"/> makes it known to a system under
/// <see cref="ConfigPath"/>, for <see cref="Props.WithMailbox"/>.
/// </summary>
public sealed class CompactDequeMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<CompactDequeMessageQueue>
{
    /// <summary>Where the mailbox is configured: the id <see cref="Props.WithMailbox"/> takes.</summary>
    public const string ConfigPath = "vmess.registry.compact-deque-mailbox";

    private static readonly Config Fallback = ConfigurationFactory.ParseString(
        $"{ConfigPath}.mailbox-type = \"{typeof(CompactDequeMailbox).FullName}, {typeof(CompactDequeMailbox).Assembly.GetName().Name}\"");

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactDequeMessageQueue();

    /// <summary>
    /// Adds the mailbox's section to <paramref name="system"/>'s config as a fallback, unless the config has one (a
    /// host may override it): the registry's caller need not add HOCON of its own.
    /// </summary>
    public static void EnsureConfigured(ActorSystem system)
    {
        if (!system.Settings.Config.HasPath(ConfigPath)) system.Settings.InjectTopLevelFallback(Fallback);
    }
}
