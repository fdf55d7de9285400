using System.Collections.Concurrent;
using VMess.Relay.Logging;

namespace VMess.Relay.Tests.Support;

/// <summary>An access log that keeps every record, for assertions.</summary>
internal sealed class CapturingAccessLog : IAccessLog
{
    private readonly ConcurrentQueue<AccessRecord> _records = new();

    public IReadOnlyList<AccessRecord> Records => _records.ToArray();

    public void Write(AccessRecord record) => _records.Enqueue(record);
}
