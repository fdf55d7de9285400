namespace VMess.Streams.Stages;

/// <summary>
/// The VMess server did not accept a client session: it closed or reset the connection before responding, or its
/// response was not valid for the request (a wrong id, a clock off by minutes, or not a VMess server at all).
/// </summary>
public sealed class VMessServerRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
