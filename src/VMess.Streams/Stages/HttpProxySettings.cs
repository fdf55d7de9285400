using System.Buffers;
using VMess.ProxyProtocols.Http;

namespace VMess.Streams.Stages;

/// <summary>What one HTTP proxy inbound connection's stage needs: the parser's options and the buffer pool.</summary>
public sealed record HttpProxySettings(HttpProxyOptions Options, ArrayPool<byte> Pool);
