using VMess.Protocol.Addresses;

namespace VMess.Protocol.Headers;

/// <summary>The decrypted VMess request header.</summary>
public sealed record RequestHeader
{
    public const byte CurrentVersion = 1;
    public const int KeySize = 16;

    public byte Version { get; init; } = CurrentVersion;
    /// <summary>The request body IV (16 bytes); the response IV derives from it.</summary>
    public required byte[] BodyIv { get; init; }
    /// <summary>The request body key (16 bytes); the response key derives from it.</summary>
    public required byte[] BodyKey { get; init; }
    /// <summary>V, the byte the server echoes at the start of its response.</summary>
    public byte ResponseAuth { get; init; }
    public RequestOptions Options { get; init; }
    public SecurityType Security { get; init; }
    public RequestCommand Command { get; init; }
    /// <summary>Null for <see cref="RequestCommand.Mux"/>, whose destination is v1.mux.cool.</summary>
    public DestinationAddress? Destination { get; init; }

    /// <summary>Creates a client request with fresh random key, IV and response byte.</summary>
    public static RequestHeader CreateRandom(IRandomSource random, RequestCommand command, DestinationAddress? destination,
        SecurityType security, RequestOptions options)
    {
        Span<byte> bytes = stackalloc byte[KeySize * 2 + 1];
        random.Fill(bytes);
        return new RequestHeader
        {
            BodyKey = bytes[..KeySize].ToArray(),
            BodyIv = bytes.Slice(KeySize, KeySize).ToArray(),
            ResponseAuth = bytes[KeySize * 2],
            Options = options,
            Security = security,
            Command = command,
            Destination = destination,
        };
    }
}
