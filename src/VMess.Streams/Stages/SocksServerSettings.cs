using System.Buffers;
using VMess.ProxyProtocols.Socks;

namespace VMess.Streams.Stages;

/// <summary>What one SOCKS inbound connection's stage needs: the handshake's options and the buffer pool.</summary>
public sealed record SocksServerSettings(SocksServerOptions Options, ArrayPool<byte> Pool);
