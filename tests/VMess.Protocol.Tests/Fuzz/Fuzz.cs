using System.Buffers;
using Xunit.Sdk;

namespace VMess.Protocol.Tests.Fuzz;

/// <summary>
/// Runs a property over deterministic cases. Case i of a run gets its own <see cref="Random"/> seeded with
/// <c>seed * 1_000_003 + i</c>, so a failure names the seed, the case and its input and can be replayed alone.
/// (CsCheck's <c>seed:</c> fixes only the first iteration, so its later cases differ from run to run.)
/// </summary>
internal static class Fuzz
{
    /// <summary>Far above a whole property's run time: a decoder that loops fails the test instead of hanging it.</summary>
    public static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(60);

    public static int CaseSeed(int seed, int index) => unchecked(seed * 1_000_003 + index);

    public static Task CheckAsync(int seed, int iterations, Func<Random, byte[]> generate, Action<byte[]> property) =>
        CheckAsync(seed, iterations, generate, property, Convert.ToHexString);

    public static async Task CheckAsync<T>(int seed, int iterations, Func<Random, T> generate, Action<T> property, Func<T, string> print)
    {
        var current = -1;
        var run = Task.Run(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                Volatile.Write(ref current, i);
                var input = generate(new Random(CaseSeed(seed, i)));
                try
                {
                    property(input);
                }
                catch (Exception e)
                {
                    throw new XunitException($"seed {seed}, case {i} (case seed {CaseSeed(seed, i)}): {e.GetType().Name}: {e.Message}\ninput {print(input)}", e);
                }
            }
        });
        try
        {
            await run.WaitAsync(HangLimit);
        }
        catch (TimeoutException)
        {
            throw new XunitException($"seed {seed}: case {Volatile.Read(ref current)} still running after {HangLimit}");
        }
    }
}

/// <summary>The malformed-input rule every decoder obeys: a typed status, never an exception.</summary>
internal static class DecodeRule
{
    /// <summary>
    /// Done consumes at most the input; NeedMoreData consumes nothing; InvalidData names its error.
    /// DestinationTooSmall breaks the rule unless the decoder can report it, and then consumes nothing.
    /// </summary>
    public static void Holds(OperationStatus status, int bytesConsumed, DecodeError error, int inputLength, bool allowDestinationTooSmall = false)
    {
        switch (status)
        {
            case OperationStatus.Done:
                Assert.True(bytesConsumed >= 0 && bytesConsumed <= inputLength, $"Done consumed {bytesConsumed} of {inputLength} bytes");
                break;
            case OperationStatus.NeedMoreData:
                Assert.True(bytesConsumed == 0, $"NeedMoreData consumed {bytesConsumed} bytes");
                break;
            case OperationStatus.InvalidData:
                Assert.True(error != DecodeError.None, "InvalidData without a DecodeError");
                break;
            case OperationStatus.DestinationTooSmall when allowDestinationTooSmall:
                Assert.True(bytesConsumed == 0, $"DestinationTooSmall consumed {bytesConsumed} bytes");
                break;
            default:
                Assert.Fail($"unexpected status {status}");
                break;
        }
    }
}
