namespace VMess.Registry.Traffic;

/// <summary>V2Ray's counter names: <c>user&gt;&gt;&gt;EMAIL&gt;&gt;&gt;traffic&gt;&gt;&gt;uplink</c>, <c>inbound&gt;&gt;&gt;TAG&gt;&gt;&gt;traffic&gt;&gt;&gt;downlink</c>.</summary>
public static class StatCounterNames
{
    private const string Separator = ">>>";
    private const string UserPrefix = "user" + Separator;
    private const string InboundPrefix = "inbound" + Separator;
    private const string UplinkSuffix = Separator + "traffic" + Separator + "uplink";
    private const string DownlinkSuffix = Separator + "traffic" + Separator + "downlink";

    public static string User(string email, TrafficDirection direction) => UserPrefix + email + Suffix(direction);

    public static string Inbound(string tag, TrafficDirection direction) => InboundPrefix + tag + Suffix(direction);

    /// <summary>Splits a user or inbound traffic counter's name; false for any other name.</summary>
    public static bool TryParse(string name, out StatCounterSubject subject, out string subjectName, out TrafficDirection direction)
    {
        subject = default;
        subjectName = "";
        direction = name.EndsWith(UplinkSuffix, StringComparison.Ordinal) ? TrafficDirection.Uplink
            : name.EndsWith(DownlinkSuffix, StringComparison.Ordinal) ? TrafficDirection.Downlink
            : default;
        if (direction == default) return false;
        var withoutSuffix = name.AsSpan(0, name.Length - Suffix(direction).Length);
        if (withoutSuffix.StartsWith(UserPrefix, StringComparison.Ordinal)) subject = StatCounterSubject.User;
        else if (withoutSuffix.StartsWith(InboundPrefix, StringComparison.Ordinal)) subject = StatCounterSubject.Inbound;
        else return false;
        var rest = withoutSuffix[(subject == StatCounterSubject.User ? UserPrefix : InboundPrefix).Length..];
        if (rest.IsEmpty) return false;
        subjectName = rest.ToString();
        return true;
    }

    private static string Suffix(TrafficDirection direction) => direction == TrafficDirection.Uplink ? UplinkSuffix : DownlinkSuffix;
}

