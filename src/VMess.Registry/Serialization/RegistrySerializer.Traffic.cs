using System.Collections.Immutable;
using VMess.Registry.Messages;

namespace VMess.Registry.Serialization;

/// <summary>The traffic counters' messages, events, read-model records and the entity's snapshot.</summary>
public sealed partial class RegistrySerializer
{
    private const string AddTrafficManifest = "ct";
    private const string ResetTrafficManifest = "cz";
    private const string GetTrafficManifest = "qt";
    private const string AddTrafficResultManifest = "rt";
    private const string ResetTrafficResultManifest = "rz";
    private const string GetTrafficResultManifest = "rq";
    private const string TrafficAddedManifest = "et";
    private const string TrafficResetManifest = "ez";
    private const string UserTrafficRecordManifest = "ut";
    private const string FirstUserSnapshotManifest = "su";

    // Today's snapshot: its record carries the limits ("su", before them, is still read).
    private const string UserSnapshotManifest = "s2";

    private static string? TrafficManifest(object o) => o switch
    {
        AddTraffic => AddTrafficManifest,
        ResetTraffic => ResetTrafficManifest,
        GetTraffic => GetTrafficManifest,
        AddTrafficResult => AddTrafficResultManifest,
        ResetTrafficResult => ResetTrafficResultManifest,
        GetTrafficResult => GetTrafficResultManifest,
        TrafficAdded => TrafficAddedManifest,
        TrafficReset => TrafficResetManifest,
        UserTrafficRecord => UserTrafficRecordManifest,
        UserSnapshot => UserSnapshotManifest,
        _ => null,
    };

    private static bool WriteTraffic(BinaryWriter writer, object obj)
    {
        switch (obj)
        {
            case AddTraffic c: WriteReport(writer, c.UserKey, c.Reporter, c.Sequence, c.Uplink, c.Downlink); break;
            case ResetTraffic c: writer.Write(c.UserKey); writer.Write(c.Uplink); writer.Write(c.Downlink); break;
            case GetTraffic q: writer.Write(q.UserKey); break;
            case AddTrafficResult r: writer.Write(r.UserKey); writer.Write(r.Sequence); break;
            case ResetTrafficResult r: writer.Write(r.UserKey); writer.Write(r.Uplink); writer.Write(r.Downlink); break;
            case GetTrafficResult r: writer.Write(r.UserKey); writer.Write(r.Uplink); writer.Write(r.Downlink); writer.Write(r.HasCounters); break;
            case TrafficAdded e: WriteReport(writer, e.UserKey, e.Reporter, e.Sequence, e.Uplink, e.Downlink); break;
            case TrafficReset e: writer.Write(e.UserKey); writer.Write(e.Uplink); writer.Write(e.Downlink); break;
            case UserTrafficRecord r: writer.Write(r.Email); writer.Write(r.Uplink); writer.Write(r.Downlink); writer.Write(r.Version); break;
            case UserSnapshot s: WriteSnapshot(writer, s); break;
            default: return false;
        }
        return true;
    }

    private static object? ReadTraffic(BinaryReader reader, string manifest) => manifest switch
    {
        AddTrafficManifest => new AddTraffic(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64()),
        ResetTrafficManifest => new ResetTraffic(reader.ReadString(), reader.ReadBoolean(), reader.ReadBoolean()),
        GetTrafficManifest => new GetTraffic(reader.ReadString()),
        AddTrafficResultManifest => new AddTrafficResult(reader.ReadString(), reader.ReadInt64()),
        ResetTrafficResultManifest => new ResetTrafficResult(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64()),
        GetTrafficResultManifest => new GetTrafficResult(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadBoolean()),
        TrafficAddedManifest => new TrafficAdded(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64()),
        TrafficResetManifest => new TrafficReset(reader.ReadString(), reader.ReadBoolean(), reader.ReadBoolean()),
        UserTrafficRecordManifest => new UserTrafficRecord(reader.ReadString(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64()),
        UserSnapshotManifest => ReadSnapshot(reader, RecordTail.Full),
        FirstUserSnapshotManifest => ReadSnapshot(reader, RecordTail.WrittenAt),
        _ => null,
    };

    private static void WriteReport(BinaryWriter writer, string userKey, long reporter, long sequence, long uplink, long downlink)
    {
        writer.Write(userKey);
        writer.Write(reporter);
        writer.Write(sequence);
        writer.Write(uplink);
        writer.Write(downlink);
    }

    private static void WriteSnapshot(BinaryWriter writer, UserSnapshot snapshot)
    {
        writer.Write(snapshot.User is not null);
        if (snapshot.User is not null) WriteRecord(writer, snapshot.User);
        var traffic = snapshot.Traffic;
        writer.Write(traffic.Uplink);
        writer.Write(traffic.Downlink);
        var marks = traffic.LastReports.IsDefault ? [] : traffic.LastReports;
        writer.Write(marks.Length);
        foreach (var mark in marks)
        {
            writer.Write(mark.Reporter);
            writer.Write(mark.Sequence);
        }
    }

    private static UserSnapshot ReadSnapshot(BinaryReader reader, RecordTail recordTail)
    {
        var user = reader.ReadBoolean() ? ReadRecord(reader, recordTail) : null;
        var uplink = reader.ReadInt64();
        var downlink = reader.ReadInt64();
        var count = reader.ReadInt32();
        if (count is < 0 or > TrafficState.MaxReporters)
            throw new System.Runtime.Serialization.SerializationException($"A user snapshot with {count} report marks (at most {TrafficState.MaxReporters}).");
        var marks = ImmutableArray.CreateBuilder<ReportMark>(count);
        for (var i = 0; i < count; i++) marks.Add(new ReportMark(reader.ReadInt64(), reader.ReadInt64()));
        return new UserSnapshot(user, new TrafficState(uplink, downlink, marks.MoveToImmutable()));
    }
}
