namespace VMess.Streams.Mux;

/// <summary>A Mux.Cool frame stream that V2Ray would drop the connection for; the message says what was wrong.</summary>
public sealed class MuxFrameException(string reason) : Exception(reason);
