namespace VMess.Registry.Traffic;

/// <summary>Whose counter a name is.</summary>
public enum StatCounterSubject : byte
{
    User = 1,
    Inbound = 2,
}
