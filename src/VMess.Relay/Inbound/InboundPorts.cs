using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Akka.Event;
using VMess.Configuration.Options;
using VMess.Protocol;

namespace VMess.Relay.Inbound;

/// <summary>
/// The listening sockets of one inbound and their accept loops. With allocate "always" (the default) every port of
/// the inbound's range listens for as long as the node runs. With "random" (V2Ray's dynamic ports) a generation of
/// <see cref="PortAllocation.Concurrency"/> random free ports of the range listens, and every
/// <see cref="PortAllocation.Refresh"/> a new generation opens; the one it replaces keeps accepting for one more
/// period and then closes, as V2Ray closes a generation twice the refresh after opening it (its SwitchAccount
/// promises a port for up to the refresh, counted in whole minutes). Closing a port stops only its accepts: the
/// connections it took run on, owned by the inbound, not by the port.
/// <para>
/// Ports of the new generation are taken from those not listening, as V2Ray's are; when the range has too few (it
/// needs twice the concurrency), listening ports of the current generation are kept on, where V2Ray would hang.
/// </para>
/// </summary>
public sealed class InboundPorts : IDisposable
{
    /// <summary>V2Ray's availability for a port that never rotates (allocate "always"), before the 255 cap.</summary>
    public const int AlwaysValidMinutes = 9999;

    private readonly IPAddress _listen;
    private readonly int _firstPort;
    private readonly int _lastPort;
    private readonly PortAllocation _allocation;
    private readonly Func<IPEndPoint, Socket> _bind;
    private readonly TimeProvider _clock;
    private readonly IRandomSource _random;
    private readonly Lock _gate = new();
    private readonly List<PortListener> _listeners = [];
    private readonly Dictionary<int, long> _acceptedOnClosed = [];
    private PortGeneration _current = new([], DateTimeOffset.MinValue);
    private Action<Socket>? _accepted;
    private ILoggingAdapter _log = NoLogger.Instance;
    private string _name = "";
    private ITimer? _timer;
    private int _generation;
    private bool _disposed;

    private InboundPorts(IPAddress listen, int firstPort, int lastPort, PortAllocation allocation, Func<IPEndPoint, Socket> bind,
        TimeProvider clock, IRandomSource random)
    {
        _listen = listen;
        _firstPort = firstPort;
        _lastPort = lastPort;
        _allocation = allocation;
        _bind = bind;
        _clock = clock;
        _random = random;
    }

    /// <summary>True when the ports rotate (allocate "random").</summary>
    public bool Rotates => _allocation.Strategy == PortAllocationStrategy.Random;

    /// <summary>How often the ports rotate (allocate "random").</summary>
    public TimeSpan Refresh => _allocation.Refresh;

    /// <summary>The current generation's ports: every port for allocate "always".</summary>
    public ImmutableArray<int> Ports => Volatile.Read(ref _current).Ports;

    /// <summary>When the current generation opened.</summary>
    public DateTimeOffset GenerationOpened => Volatile.Read(ref _current).Opened;

    /// <summary>Every port that accepts now: the current generation and the one it replaced.</summary>
    public ImmutableArray<int> ListeningPorts
    {
        get
        {
            lock (_gate) return [.. _listeners.Select(l => l.Port).Order()];
        }
    }

    /// <summary>The first listening endpoint (for a single port 0, the port the OS picked).</summary>
    public IPEndPoint FirstEndPoint
    {
        get
        {
            lock (_gate) return (IPEndPoint)_listeners[0].Socket.LocalEndPoint!;
        }
    }

    /// <summary>
    /// Binds the ports of <paramref name="inbound"/>: every port of its range, or the first random generation. Throws
    /// naming the endpoint when a port of an "always" range is taken, or when no port of a random range is free.
    /// </summary>
    public static InboundPorts Bind(InboundOptions inbound, Func<IPEndPoint, Socket> bind, TimeProvider clock, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        if (inbound.Allocate.Strategy == PortAllocationStrategy.Random && (inbound.Allocate.Refresh <= TimeSpan.Zero || inbound.Allocate.Concurrency < 1))
        {
            throw new ArgumentException($"allocate \"random\" needs a refresh above zero and a concurrency of at least 1, not {inbound.Allocate}", nameof(inbound));
        }
        var ports = new InboundPorts(inbound.Listen, inbound.Port, inbound.LastPort, inbound.Allocate, bind, clock, random);
        try
        {
            if (ports.Rotates) ports.OpenFirstGeneration();
            else ports.OpenEveryPort();
            return ports;
        }
        catch
        {
            ports.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts accepting: every accepted socket goes to <paramref name="accepted"/> (from a pool thread). For random
    /// allocation, starts the rotation, logged on <paramref name="log"/> as <paramref name="name"/>.
    /// </summary>
    public void Start(Action<Socket> accepted, ILoggingAdapter log, string name)
    {
        lock (_gate)
        {
            if (_disposed) return;
            _accepted = accepted;
            _log = log;
            _name = name;
            foreach (var listener in _listeners) _ = AcceptLoopAsync(listener);
            if (Rotates) _timer = _clock.CreateTimer(_ => Rotate(), null, _allocation.Refresh, _allocation.Refresh);
        }
    }

    /// <summary>
    /// A port of the current generation, at random, and how many minutes V2Ray says it stays: the refresh minus the
    /// whole minutes since the generation opened (<see cref="AlwaysValidMinutes"/> when ports do not rotate). Null
    /// when nothing listens.
    /// </summary>
    public (int Port, int ValidMinutes)? PickPort()
    {
        var current = Volatile.Read(ref _current);
        if (current.Ports.IsDefaultOrEmpty) return null;
        var port = current.Ports.Length == 1 ? current.Ports[0] : current.Ports[_random.Next(current.Ports.Length)];
        if (!Rotates) return (port, AlwaysValidMinutes);
        var elapsed = _clock.GetUtcNow() - current.Opened;
        return (port, (int)_allocation.Refresh.TotalMinutes - (int)elapsed.TotalMinutes);
    }

    /// <summary>Connections accepted on <paramref name="port"/> since the node started, while it listened.</summary>
    public long AcceptedOn(int port)
    {
        lock (_gate)
        {
            var total = _acceptedOnClosed.GetValueOrDefault(port);
            foreach (var listener in _listeners)
            {
                if (listener.Port == port) total += Interlocked.Read(ref listener.Accepted);
            }
            return total;
        }
    }

    /// <summary>Opens the next generation and closes the one it replaced; the rotation timer calls it.</summary>
    internal void Rotate()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _generation++;
            var closed = _listeners.Where(l => l.RetireAfter < _generation).ToList();
            foreach (var listener in closed) Close(listener);
            var previous = _listeners.Where(l => l.RetireAfter is null).ToList();
            var opened = OpenPorts(_allocation.Concurrency, _listeners.Select(l => l.Port).ToHashSet());
            if (opened.Count == 0 && previous.Count > 0)
            {
                _log.Warning("inbound {0}: no free port in {1}-{2} to rotate to; ports {3} stay", _name, _firstPort, _lastPort, Join(previous));
                return;
            }
            // Too few free ports: the rest of the generation is kept from the current one.
            var kept = previous.OrderBy(_ => _random.Next(int.MaxValue)).Take(_allocation.Concurrency - opened.Count).ToList();
            foreach (var listener in previous.Except(kept)) listener.RetireAfter = _generation;
            foreach (var listener in opened)
            {
                if (_accepted is not null) _ = AcceptLoopAsync(listener);
            }
            Publish([.. opened, .. kept]);
            _log.Info("inbound {0}: ports rotated: accepting on {1} (new: {2}); {3} accept until the next rotation; closed {4}, their open connections run on",
                _name, Join(opened.Concat(kept)), Join(opened), Join(previous.Except(kept)), Join(closed));
        }
    }

    /// <summary>True once <see cref="Dispose"/> closed the ports.</summary>
    public bool IsDisposed
    {
        get
        {
            lock (_gate) return _disposed;
        }
    }

    /// <summary>Stops the rotation and every accept loop, and closes the listening sockets.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _timer?.Dispose();
            foreach (var listener in _listeners.ToList()) Close(listener);
        }
    }

    private void OpenEveryPort()
    {
        for (var port = _firstPort; port <= _lastPort; port++)
        {
            var socket = BindOrExplain(new IPEndPoint(_listen, port));
            // Port 0 is the OS's pick: the real port is the socket's.
            _listeners.Add(new PortListener(port == 0 ? ((IPEndPoint)socket.LocalEndPoint!).Port : port, socket));
        }
        Publish(_listeners);
    }

    private void OpenFirstGeneration()
    {
        var opened = OpenPorts(_allocation.Concurrency, []);
        if (opened.Count == 0) throw new InvalidOperationException($"cannot listen on any port of {_listen}:{_firstPort}-{_lastPort}");
        Publish(opened);
    }

    private void Publish(IEnumerable<PortListener> generation) =>
        Volatile.Write(ref _current, new PortGeneration([.. generation.Select(l => l.Port).Order()], _clock.GetUtcNow()));

    /// <summary>Binds up to <paramref name="count"/> random ports of the range outside <paramref name="inUse"/>; a port
    /// that fails to bind (another program holds it) is skipped for the next candidate.</summary>
    private List<PortListener> OpenPorts(int count, HashSet<int> inUse)
    {
        var candidates = Enumerable.Range(_firstPort, _lastPort - _firstPort + 1).Where(p => !inUse.Contains(p)).ToArray();
        var opened = new List<PortListener>();
        for (var i = 0; i < candidates.Length && opened.Count < count; i++)
        {
            // A partial Fisher-Yates shuffle: candidate i is drawn from the ones not drawn yet.
            var pick = i + _random.Next(candidates.Length - i);
            (candidates[i], candidates[pick]) = (candidates[pick], candidates[i]);
            try
            {
                var listener = new PortListener(candidates[i], _bind(new IPEndPoint(_listen, candidates[i])));
                _listeners.Add(listener);
                opened.Add(listener);
            }
            catch (SocketException e)
            {
                _log.Warning("inbound {0}: cannot listen on {1}:{2}: {3}", _name, _listen, candidates[i], e.Message);
            }
        }
        return opened;
    }

    private Socket BindOrExplain(IPEndPoint endPoint)
    {
        try
        {
            return _bind(endPoint);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"cannot listen on {endPoint}: {e.Message}", e);
        }
    }

    private void Close(PortListener listener)
    {
        _listeners.Remove(listener);
        _acceptedOnClosed[listener.Port] = _acceptedOnClosed.GetValueOrDefault(listener.Port) + Interlocked.Read(ref listener.Accepted);
        listener.Stopping.Cancel();
        listener.Socket.Dispose();
        listener.Stopping.Dispose();
    }

    private async Task AcceptLoopAsync(PortListener listener)
    {
        var stopping = listener.Stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var socket = await listener.Socket.AcceptAsync(stopping).ConfigureAwait(false);
                Interlocked.Increment(ref listener.Accepted);
                _accepted!(socket);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                if (stopping.IsCancellationRequested) return;
                // Out of descriptors or a connection reset while queued: keep accepting, a little later.
                _log.Warning("inbound {0}: accept on port {1} failed: {2}", _name, listener.Port, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private static string Join(IEnumerable<PortListener> listeners)
    {
        var ports = listeners.Select(l => l.Port).Order().ToList();
        return ports.Count == 0 ? "none" : string.Join(", ", ports);
    }

    private sealed record PortGeneration(ImmutableArray<int> Ports, DateTimeOffset Opened);

    private sealed class PortListener(int port, Socket socket)
    {
        public long Accepted;

        public int Port { get; } = port;

        public Socket Socket { get; } = socket;

        public CancellationTokenSource Stopping { get; } = new();

        /// <summary>The generation after which it closes; null while it belongs to the current one.</summary>
        public int? RetireAfter { get; set; }
    }
}
