namespace VMess.Streams.Stages;

/// <summary>Why the control plane reset a connection (a timeout, a kill switch); the message is the reason.</summary>
public sealed class SocketAbortedException(string reason) : Exception(reason);
