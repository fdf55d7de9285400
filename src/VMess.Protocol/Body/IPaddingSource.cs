namespace VMess.Protocol.Body;

/// <summary>
/// Where the bytes of global padding (option P) come from. The codec never picks randomness itself; the composition
/// root injects <see cref="CryptoPaddingSource"/> and tests inject something seeded.
/// </summary>
public interface IPaddingSource
{
    void Fill(Span<byte> destination);
}
