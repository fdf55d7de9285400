namespace VMess.Protocol;

/// <summary>Why a decoder returned <see cref="System.Buffers.OperationStatus.InvalidData"/>.</summary>
public enum DecodeError : byte
{
    None = 0,

    // Authentication (before any user is known).
    UnknownUser,
    ReplayedAuthId,
    ClockSkew,
    TaintedAuth,

    // Request header.
    HeaderLengthAuthFailed,
    HeaderAuthFailed,
    HeaderTooLarge,
    HeaderTooShort,
    UnsupportedVersion,
    BadChecksum,
    UnknownSecurity,
    UnknownCommand,
    InvalidAddress,
    InvalidOptions,
    DuplicateSession,

    // Response header.
    ResponseAuthFailed,
    ResponseMismatch,
    InvalidCommand,

    // Body.
    ChunkAuthFailed,
    ChunkTooLarge,
    ChunkTooSmall,

    // Mux.Cool.
    InvalidMuxFrame,
}
