using System.Buffers.Binary;
using System.Security.Cryptography;
using VMess.Protocol.Body;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class ShakeStreamTests
{
    [Fact]
    public void Next_should_read_shake128_of_the_seed_two_bytes_at_a_time_across_blocks()
    {
        var expected = Shake128.HashData(RequestIv, 1000);
        var shake = new ShakeStream(RequestIv);

        for (var i = 0; i < expected.Length; i += 2)
        {
            Assert.True(BinaryPrimitives.ReadUInt16BigEndian(expected.AsSpan(i)) == shake.Next(), $"offset {i}");
        }
    }

    [Fact]
    public void Peek_should_not_move_the_stream()
    {
        var expected = Shake128.HashData(RequestIv, 400);
        var shake = new ShakeStream(RequestIv);
        for (var i = 0; i < 166; i += 2) shake.Next(); // two bytes before the first block boundary

        var ahead = shake.Peek(2); // straddles into the next squeeze
        var next = shake.Next();

        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(expected.AsSpan(166)), next);
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(expected.AsSpan(168)), ahead);
        Assert.Equal(ahead, shake.Next());
    }
}
