using System.Diagnostics;
using VMess.Api.V2Ray.App.Stats.Command;

namespace VMess.Api.Stats;

/// <summary>
/// GetSysStats in .NET terms. V2Ray reports Go's runtime.MemStats; the fields .NET has an equivalent for are filled,
/// the object counts (Mallocs, Frees, LiveObjects), which .NET does not keep, are zero.
/// </summary>
internal static class SystemStats
{
    public static SysStatsResponse Read(TimeProvider clock)
    {
        using var process = Process.GetCurrentProcess();
        var uptime = clock.GetUtcNow() - process.StartTime.ToUniversalTime();
        return new SysStatsResponse
        {
            // Go's goroutines have no .NET equivalent; the process's threads are the nearest measure of its concurrency.
            NumGoroutine = (uint)process.Threads.Count,
            // Every collection collects generation 0, so its count is the number of GCs.
            NumGC = (uint)GC.CollectionCount(0),
            Alloc = (ulong)GC.GetTotalMemory(forceFullCollection: false),
            TotalAlloc = (ulong)GC.GetTotalAllocatedBytes(precise: false),
            Sys = (ulong)process.WorkingSet64,
            PauseTotalNs = (ulong)GC.GetTotalPauseDuration().Ticks * 100,
            Uptime = (uint)Math.Clamp(uptime.TotalSeconds, 0, uint.MaxValue),
        };
    }
}
