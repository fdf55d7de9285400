namespace VMess.Protocol.Auth;

/// <summary>VMess's time window: a request's timestamp must be within ±120 s of the server's clock.</summary>
public static class TimeWindow
{
    public const int Seconds = 120;

    public static bool Contains(long timestamp, long now) => timestamp >= 0 && Math.Abs(timestamp - now) <= Seconds;
}
