namespace VMess.Relay.Logging;

/// <summary>Where access-log lines go (V2Ray's <c>log.access</c>): the console, a file, or nowhere.</summary>
public interface IAccessLog
{
    void Write(AccessRecord record);
}
