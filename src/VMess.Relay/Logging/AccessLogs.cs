using System.Threading.Channels;

namespace VMess.Relay.Logging;

/// <summary>The access logs a node can have.</summary>
public static class AccessLogs
{
    public static IAccessLog None { get; } = new NoAccessLog();

    /// <summary>Lines to a text writer (the console or a file), written by one background task so connections never wait on I/O.</summary>
    public static IAccessLog To(TextWriter writer) => new WriterAccessLog(writer);

    public static IAccessLog ToFile(string path) =>
        To(new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true });

    private sealed class NoAccessLog : IAccessLog
    {
        public void Write(AccessRecord record)
        {
        }
    }

    private sealed class WriterAccessLog : IAccessLog
    {
        // Bounded so a stalled writer drops lines instead of growing without limit.
        private readonly Channel<AccessRecord> _lines = Channel.CreateBounded<AccessRecord>(
            new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

        public WriterAccessLog(TextWriter writer) => _ = Task.Run(() => PumpAsync(writer));

        public void Write(AccessRecord record) => _lines.Writer.TryWrite(record);

        private async Task PumpAsync(TextWriter writer)
        {
            await foreach (var record in _lines.Reader.ReadAllAsync())
            {
                await writer.WriteLineAsync(record.ToString());
                if (_lines.Reader.Count == 0) await writer.FlushAsync();
            }
        }
    }
}
