namespace VMess.Protocol;

public static class DecodeErrorExtensions
{
    public static string Describe(this DecodeError error) => error switch
    {
        DecodeError.None => "no error",
        DecodeError.UnknownUser => "no user matches the authentication",
        DecodeError.ReplayedAuthId => "the AEAD auth id was seen before (replay)",
        DecodeError.ClockSkew => "the client's clock is outside the ±120 s window",
        DecodeError.TaintedAuth => "the legacy auth hash was tainted by an earlier bad header",
        DecodeError.HeaderLengthAuthFailed => "the sealed header length failed authentication",
        DecodeError.HeaderAuthFailed => "the sealed header failed authentication",
        DecodeError.HeaderTooLarge => "the header is larger than VMess allows",
        DecodeError.HeaderTooShort => "the header is shorter than its fixed part",
        DecodeError.UnsupportedVersion => "the header version is not 1",
        DecodeError.BadChecksum => "the header's FNV-1a checksum does not match",
        DecodeError.UnknownSecurity => "the security type is unknown or auto",
        DecodeError.UnknownCommand => "the command is not TCP, UDP or Mux",
        DecodeError.InvalidAddress => "the destination address is malformed",
        DecodeError.InvalidOptions => "the option bits are inconsistent (e.g. global padding without masking)",
        DecodeError.DuplicateSession => "the session key and IV were used before (replay)",
        DecodeError.ResponseAuthFailed => "the response header failed authentication",
        DecodeError.ResponseMismatch => "the response byte does not match the request",
        DecodeError.InvalidCommand => "the response command is malformed",
        DecodeError.ChunkAuthFailed => "a body chunk failed authentication",
        DecodeError.ChunkTooLarge => "a body chunk is larger than the reader allows",
        DecodeError.ChunkTooSmall => "a body chunk is shorter than its authentication tag and padding",
        DecodeError.InvalidMuxFrame => "a Mux.Cool frame is malformed",
        _ => error.ToString(),
    };
}
