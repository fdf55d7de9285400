using System.Net;
using System.Text;
using System.Text.Json;
using VMess.Protocol.Ids;

namespace VMess.Configuration;

/// <summary>
/// The smallest working node config, as V2Ray-style JSON that both <see cref="ConfigLoader"/> and
/// <c>v2ray -test</c> (4.34) accept: one vmess inbound with one AEAD client (alterId 0), one freedom outbound,
/// log level warning.
/// </summary>
public static class DefaultNodeConfig
{
    public static string CreateJson(VMessUserId id, int port, string listen = "127.0.0.1")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (!IPAddress.TryParse(listen, out _))
        {
            throw new ArgumentException($"'{listen}' is not an IP address.", nameof(listen));
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();

            json.WriteStartObject("log");
            json.WriteString("loglevel", "warning");
            json.WriteEndObject();

            json.WriteStartArray("inbounds");
            json.WriteStartObject();
            json.WriteString("listen", listen);
            json.WriteNumber("port", port);
            json.WriteString("protocol", "vmess");
            json.WriteStartObject("settings");
            json.WriteStartArray("clients");
            json.WriteStartObject();
            json.WriteString("id", id.ToString());
            json.WriteNumber("alterId", 0);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartArray("outbounds");
            json.WriteStartObject();
            json.WriteString("protocol", "freedom");
            json.WriteStartObject("settings");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
