namespace VMess.Streams.Stages;

/// <summary>A VMess stream broke after the handshake (a bad or truncated chunk); the message says how.</summary>
public sealed class VMessStreamException(string reason) : Exception(reason);
