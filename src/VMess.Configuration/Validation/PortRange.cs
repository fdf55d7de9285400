namespace VMess.Configuration.Validation;

/// <summary>An inbound's <c>port</c> as read: one port (<see cref="First"/> = <see cref="Last"/>) or a range.</summary>
internal readonly record struct PortRange(int First, int Last)
{
    public bool IsSingle => First == Last;

    public int Count => Last - First + 1;

    public override string ToString() => IsSingle ? $"{First}" : $"{First}-{Last}";
}
