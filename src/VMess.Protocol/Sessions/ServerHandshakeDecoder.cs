using System.Buffers;
using VMess.Protocol.Auth;
using VMess.Protocol.Crypto;
using VMess.Protocol.Headers;
using VMess.Protocol.Legacy;

namespace VMess.Protocol.Sessions;

/// <summary>
/// Reads one connection's request (auth + header) on the server. Call <see cref="Decode"/> with everything received
/// so far; NeedMoreData consumes nothing. The user is matched once, on the first 16 bytes, and remembered, so a
/// header that arrives in pieces costs one scan. After InvalidData, <see cref="ShouldDrain"/> tells whether V2Ray
/// would drain the connection (read a fixed amount, then close) instead of closing it.
/// </summary>
public sealed class ServerHandshakeDecoder(IUserKeyIndex users, ServerReplayGuard replay, long now)
{
    private UserKeys? _user;
    private LegacyAuthEntry? _legacyEntry;
    private long _timestamp;
    private int _aeadHeaderLength = -1;

    /// <summary>The authenticated user, known once the auth passed, even if the header then fails.</summary>
    public UserKeys? User => _user;

    public bool IsAead => _user is not null && _legacyEntry is null;

    /// <summary>On <see cref="DecodeError.ClockSkew"/>: the user whose key opened the auth id, and by how much its clock is off.</summary>
    public AuthMatch? SkewedMatch { get; private set; }

    public bool ShouldDrain { get; private set; }

    public OperationStatus Decode(ReadOnlySpan<byte> source, out ServerHandshake? handshake, out int bytesConsumed, out DecodeError error)
    {
        handshake = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (_user is null)
        {
            if (source.Length < AuthId.Size) return OperationStatus.NeedMoreData;
            error = Authenticate(source[..AuthId.Size]);
            if (error != DecodeError.None) return Fail(error, drain: true);
        }
        return _legacyEntry is null
            ? DecodeAead(source, out handshake, out bytesConsumed, out error)
            : DecodeLegacy(source, out handshake, out bytesConsumed, out error);
    }

    private DecodeError Authenticate(ReadOnlySpan<byte> auth)
    {
        var match = users.MatchAead(auth, now);
        if (match.IsMatch)
        {
            if (!replay.AuthIds.TryAccept(auth, match.Timestamp, now)) return DecodeError.ReplayedAuthId;
            _user = match.User;
            _timestamp = match.Timestamp;
            return DecodeError.None;
        }
        var legacy = users.FindLegacy(auth);
        if (legacy is not null && TimeWindow.Contains(legacy.Timestamp, now))
        {
            if (legacy.IsTainted) return DecodeError.TaintedAuth;
            _user = legacy.User;
            _legacyEntry = legacy;
            _timestamp = legacy.Timestamp;
            return DecodeError.None;
        }
        if (match.Error == DecodeError.ClockSkew) SkewedMatch = match;
        return match.Error;
    }

    private OperationStatus DecodeAead(ReadOnlySpan<byte> source, out ServerHandshake? handshake, out int bytesConsumed, out DecodeError error)
    {
        handshake = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (source.Length < AeadHeaderCipher.PreambleSize) return OperationStatus.NeedMoreData;
        if (_aeadHeaderLength < 0)
        {
            if (!AeadHeaderCipher.TryOpenLength(_user!.CmdKey, source, out var length)) return Fail(error = DecodeError.HeaderLengthAuthFailed, drain: true);
            if (length > RequestHeaderCodec.MaxEncodedLength) return Fail(error = DecodeError.HeaderTooLarge, drain: false);
            _aeadHeaderLength = length;
        }
        var total = AeadHeaderCipher.PreambleSize + _aeadHeaderLength + AeadHeaderCipher.TagSize;
        if (source.Length < total) return OperationStatus.NeedMoreData;
        Span<byte> plain = stackalloc byte[_aeadHeaderLength];
        if (!AeadHeaderCipher.TryOpenHeader(_user!.CmdKey, source, source[AeadHeaderCipher.PreambleSize..total], plain))
        {
            return Fail(error = DecodeError.HeaderAuthFailed, drain: true);
        }
        var status = RequestHeaderCodec.Decode(plain, out var header, out _, out error);
        if (status == OperationStatus.NeedMoreData) return Fail(error = DecodeError.HeaderTooShort, drain: false);
        if (status != OperationStatus.Done) return Fail(error, drain: false);
        if (!replay.Sessions.TryAdd(_user.Account.Id, header!.BodyKey, header.BodyIv, now)) return Fail(error = DecodeError.DuplicateSession, drain: false);
        handshake = new ServerHandshake(_user, header, isAead: true, _timestamp);
        bytesConsumed = total;
        return OperationStatus.Done;
    }

    private OperationStatus DecodeLegacy(ReadOnlySpan<byte> source, out ServerHandshake? handshake, out int bytesConsumed, out DecodeError error)
    {
        handshake = null;
        bytesConsumed = 0;
        error = DecodeError.None;
        if (source.Length < LegacyAuth.Size) return OperationStatus.NeedMoreData;
        var encrypted = source[LegacyAuth.Size..];
        if (encrypted.Length > RequestHeaderCodec.MaxEncodedLength) encrypted = encrypted[..RequestHeaderCodec.MaxEncodedLength];
        Span<byte> plain = stackalloc byte[encrypted.Length];
        Span<byte> iv = stackalloc byte[16];
        LegacyAuth.HeaderIv(_timestamp, iv);
        Cfb128.Decrypt(_user!.CmdKey, iv, encrypted, plain);
        var status = RequestHeaderCodec.Decode(plain, out var header, out var headerLength, out error);
        if (status == OperationStatus.NeedMoreData) return status;
        if (status != OperationStatus.Done)
        {
            // A failed legacy header burns its auth hash: the probing attack of v2ray#2523 needs many tries.
            _legacyEntry!.Taint();
            return Fail(error, drain: error == DecodeError.BadChecksum);
        }
        if (!replay.Sessions.TryAdd(_user.Account.Id, header!.BodyKey, header.BodyIv, now))
        {
            _legacyEntry!.Taint();
            return Fail(error = DecodeError.DuplicateSession, drain: true);
        }
        handshake = new ServerHandshake(_user, header, isAead: false, _timestamp);
        bytesConsumed = LegacyAuth.Size + headerLength;
        return OperationStatus.Done;
    }

    private OperationStatus Fail(DecodeError error, bool drain)
    {
        ShouldDrain = drain;
        return OperationStatus.InvalidData;
    }
}
