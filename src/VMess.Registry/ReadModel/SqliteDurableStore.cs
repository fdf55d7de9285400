using System.Collections.Immutable;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.DistributedData.Durable;
using Akka.Event;
using Akka.Serialization;
using Microsoft.Data.Sqlite;
using VMess.Registry.Persistence;

namespace VMess.Registry.ReadModel;

/// <summary>
/// DData's durable store on a SQLite file of this node (Akka's own store needs an LMDB binding older than the one our
/// feed serves). The replicator sends <see cref="LoadAll"/> once at start and gets every stored key back before it
/// serves anything, then a <see cref="Store"/> for each change of a durable key; the user buckets so come back the
/// moment a node restarts, instead of after every entity has recovered from the journal.
/// Writes are throttled to one transaction per <c>sqlite.write-behind-interval</c>: a change after a quiet interval is
/// written at once, the changes of a burst together at the interval's end (a bucket changed ten times in it, once).
/// The entities' journal stays the truth: a crash loses at most a burst's last interval here, and recovering entities
/// write their records again.
/// Config, under <c>akka.cluster.distributed-data.durable</c>: <c>sqlite.path</c> (the file) and
/// <c>sqlite.write-behind-interval</c> (0 or off: no throttle, each change as soon as the write before it is done).
/// The replicator creates it from that config by its type name; see <see cref="DurableUserBuckets"/>.
/// </summary>
public sealed class SqliteDurableStore : ReceiveActor, IWithTimers
{
    private readonly Dictionary<string, DurableDataEnvelope> _pending = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Serializer _serializer;
    private readonly TimeSpan _writeBehind;
    private readonly SqliteConnection _connection;
    private long _lastWriteAt;
    private Task? _writing;

    // How long a stopping store waits for the write in flight before it writes the rest.
    private static readonly TimeSpan FinalWriteTimeout = TimeSpan.FromSeconds(10);

    public SqliteDurableStore(Config durable)
    {
        var sqlite = durable.GetConfig("sqlite")
                     ?? throw new ConfigurationException("akka.cluster.distributed-data.durable.sqlite is missing");
        var path = sqlite.GetString("path");
        if (string.IsNullOrWhiteSpace(path)) throw new ConfigurationException("akka.cluster.distributed-data.durable.sqlite.path is empty");
        var writeBehind = sqlite.GetString("write-behind-interval", "1s").Trim().ToLowerInvariant();
        _writeBehind = writeBehind is "off" or "0" ? TimeSpan.Zero : sqlite.GetTimeSpan("write-behind-interval", TimeSpan.FromSeconds(1));
        _serializer = Context.System.Serialization.FindSerializerForType(typeof(DurableDataEnvelope));
        _connection = Open(path);

        Receive<LoadAll>(_ => LoadAllInto(Sender));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Creates the file (and its folder and table) if missing and opens it; the host calls this at start so an
    /// unwritable path is a startup error, not a replicator that stops later. Throws what SQLite or the file system throw.
    /// </summary>
    public static SqliteConnection Open(string path) =>
        // WAL with NORMAL sync: a commit is durable against a process crash; the journal covers a power cut.
        SqliteFile.Open(Path.GetFullPath(path), """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS ddata (key TEXT PRIMARY KEY NOT NULL, manifest TEXT NOT NULL, value BLOB NOT NULL);
            """);

    private void LoadAllInto(IActorRef replicator)
    {
        var started = Stopwatch.GetTimestamp();
        var entries = ImmutableDictionary.CreateBuilder<string, DurableDataEnvelope>(StringComparer.Ordinal);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT key, manifest, value FROM ddata";
            using var reader = command.ExecuteReader();
            while (reader.Read()) entries[reader.GetString(0)] = FromBinary(reader.GetString(1), (byte[])reader.GetValue(2));
        }
        catch (Exception e)
        {
            // Whatever the cause (file, schema, a record this build cannot read), the replicator's contract is this exception.
            // The replicator stops on it: a node that cannot read its own store must not run with half of it.
            throw new LoadFailedException($"cannot load the durable DData store {_connection.DataSource}: {e.Message}", e);
        }
        if (entries.Count > 0) replicator.Tell(new LoadData(entries.ToImmutable()));
        replicator.Tell(LoadAllCompleted.Instance);
        _log.Info("registry: {0} read-model keys loaded from {1} in {2} ms", entries.Count, _connection.DataSource,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Become(Storing);
    }

    private DurableDataEnvelope FromBinary(string manifest, byte[] bytes) => (DurableDataEnvelope)(_serializer is SerializerWithStringManifest named
        ? named.FromBinary(bytes, manifest)
        : _serializer.FromBinary(bytes, typeof(DurableDataEnvelope)));

    private void Storing()
    {
        Receive<Store>(store =>
        {
            // Success at once, as a write-behind store must: the replicator holds the update's reply (and so the
            // entity's) until this answer, and the file is a cache of the journal, not the record of the change.
            _pending[store.Key] = store.Data;
            store.Reply?.ReplyTo.Tell(store.Reply.SuccessMessage);
            WriteWhenDue();
        });
        Receive<WriteBehind>(_ => WriteWhenDue());
        Receive<Written>(written =>
        {
            _writing = null;
            if (written.Failure is { } failure)
                _log.Error(failure, "registry: could not write {0} read-model keys to {1}; they are written again with their next change",
                    written.Count, _connection.DataSource);
            WriteWhenDue();
        });
    }

    // A throttle, not a delay: a change after a quiet interval (a removal, say) is on disk at once; a burst (seeding
    // thousands of users) is written at most once per interval, each bucket once however often it changed. The write
    // runs off this actor, one at a time, so Store messages keep being answered while a large one serializes.
    private void WriteWhenDue()
    {
        if (_pending.Count == 0 || _writing is not null) return;
        var sinceLastWrite = Stopwatch.GetElapsedTime(_lastWriteAt);
        if (sinceLastWrite < _writeBehind)
        {
            if (!Timers.IsTimerActive(WriteBehind.Instance))
                Timers.StartSingleTimer(WriteBehind.Instance, WriteBehind.Instance, _writeBehind - sinceLastWrite);
            return;
        }
        _lastWriteAt = Stopwatch.GetTimestamp();
        var batch = _pending.ToArray();
        _pending.Clear();
        _writing = Task.Run(() => Write(batch));
        _writing.PipeTo(Self, success: () => new Written(batch.Length, null), failure: cause => new Written(batch.Length, cause));
    }

    protected override void PostRestart(Exception reason)
    {
        base.PostRestart(reason);
        Become(Storing); // loading happens once, at the replicator's start
    }

    protected override void PostStop()
    {
        // The last changes before a graceful stop, once the write in flight is done: the connection is not shared.
        try
        {
            if (_writing is null || _writing.Wait(FinalWriteTimeout))
            {
                if (_pending.Count > 0) Write(_pending.ToArray());
            }
            else _log.Warning("registry: a read-model write to {0} still runs after {1}; the last {2} changes are left to the journal",
                _connection.DataSource, FinalWriteTimeout, _pending.Count);
        }
        catch (Exception e) when (e is AggregateException or SqliteException or IOException)
        {
            // A failed write in flight was logged when it failed (Written); this one is the last.
            _log.Error(e, "registry: could not write the last read-model changes to {0}", _connection.DataSource);
        }
        _connection.Dispose();
        base.PostStop();
    }

    private void Write(KeyValuePair<string, DurableDataEnvelope>[] batch)
    {
        using var transaction = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ddata (key, manifest, value) VALUES ($key, $manifest, $value)
            ON CONFLICT(key) DO UPDATE SET manifest = excluded.manifest, value = excluded.value
            """;
        var key = command.Parameters.Add("$key", SqliteType.Text);
        var manifest = command.Parameters.Add("$manifest", SqliteType.Text);
        var value = command.Parameters.Add("$value", SqliteType.Blob);
        foreach (var (name, data) in batch)
        {
            key.Value = name;
            manifest.Value = _serializer is SerializerWithStringManifest named ? named.Manifest(data) : string.Empty;
            value.Value = _serializer.ToBinary(data);
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private sealed record Written(int Count, Exception? Failure);

    private sealed class WriteBehind
    {
        public static readonly WriteBehind Instance = new();
    }
}
