using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class ChunkCodecFactoryTests
{
    [Theory]
    [InlineData(SecurityType.None)]
    [InlineData(SecurityType.Legacy)]
    [InlineData(SecurityType.Aes128Gcm)]
    [InlineData(SecurityType.ChaCha20Poly1305)]
    public void TryCreate_should_reject_global_padding_without_masking(SecurityType security)
    {
        var framing = new BodyFraming(security, S | P, RequestCommand.Tcp);

        var encoderCreated = ChunkCodecFactory.TryCreateEncoder(framing, Request, Request, new SeededPaddingSource(1), out var encoder, out var encoderError);
        var decoderCreated = ChunkCodecFactory.TryCreateDecoder(framing, Request, Request, out var decoder, out var decoderError);

        Assert.False(encoderCreated);
        Assert.False(decoderCreated);
        Assert.Null(encoder);
        Assert.Null(decoder);
        Assert.Equal(DecodeError.InvalidOptions, encoderError);
        Assert.Equal(DecodeError.InvalidOptions, decoderError);
    }

    [Theory]
    [InlineData(SecurityType.Unknown)]
    [InlineData(SecurityType.Auto)]
    [InlineData((SecurityType)9)]
    public void TryCreateDecoder_should_reject_a_security_that_is_not_on_the_wire(SecurityType security)
    {
        var framing = new BodyFraming(security, S | M, RequestCommand.Tcp);

        Assert.False(ChunkCodecFactory.TryCreateDecoder(framing, Request, Request, out _, out var error));
        Assert.Equal(DecodeError.UnknownSecurity, error);
    }

    [Fact]
    public void TryCreateDecoder_should_reject_an_unknown_command()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M, (RequestCommand)7);

        Assert.False(ChunkCodecFactory.TryCreateDecoder(framing, Request, Request, out _, out var error));
        Assert.Equal(DecodeError.UnknownCommand, error);
    }

    [Fact]
    public void CreateEncoder_should_throw_with_the_error_description()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | P, RequestCommand.Tcp);

        var exception = Assert.Throws<ArgumentException>(() => ChunkCodecFactory.CreateEncoder(framing, Request, Request, null));
        Assert.Contains(DecodeError.InvalidOptions.Describe(), exception.Message);
    }

    [Fact]
    public void CreateEncoder_should_require_a_padding_source_when_padding()
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Tcp);

        Assert.Throws<ArgumentNullException>(() => ChunkCodecFactory.CreateEncoder(framing, Request, Request, null));
    }

    [Theory]
    [InlineData(SecurityType.None)]
    [InlineData(SecurityType.Legacy)]
    public void CreateEncoder_should_ignore_authenticated_length_outside_aead_securities(SecurityType security)
    {
        var with = new BodyFraming(security, S | M | A, RequestCommand.Tcp);
        var without = new BodyFraming(security, S | M, RequestCommand.Tcp);
        using var withA = ChunkCodecFactory.CreateEncoder(with, Request, Request, null);
        using var withoutA = ChunkCodecFactory.CreateEncoder(without, Request, Request, null);

        Assert.Equal(EncodeStream(withoutA, [[1, 2, 3]]), EncodeStream(withA, [[1, 2, 3]]));
    }

    [Theory]
    [InlineData(SecurityType.Aes128Gcm)]
    [InlineData(SecurityType.ChaCha20Poly1305)]
    public void CreateEncoder_should_chunk_an_aead_body_even_without_chunk_stream(SecurityType security)
    {
        // V2Ray's AEAD cases never look at S.
        var framing = new BodyFraming(security, RequestOptions.None, RequestCommand.Tcp);
        using var encoder = ChunkCodecFactory.CreateEncoder(framing, Request, Request, null);

        Assert.True(encoder.IsChunked);
    }

    [Theory]
    [InlineData(ChunkCodecFactory.MinChunkSize - 1)]
    [InlineData(ChunkCodecFactory.MaxChunkSize + 1)]
    public void CreateEncoder_should_reject_a_chunk_size_out_of_range(int maxChunkSize)
    {
        var framing = new BodyFraming(SecurityType.Aes128Gcm, S | M, RequestCommand.Tcp);

        Assert.Throws<ArgumentOutOfRangeException>(() => ChunkCodecFactory.CreateEncoder(framing, Request, Request, null, maxChunkSize));
    }
}
