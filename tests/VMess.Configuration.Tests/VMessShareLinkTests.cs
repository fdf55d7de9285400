using System.Text;
using System.Text.Json;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests;

public sealed class VMessShareLinkTests
{
    private static readonly VMessUserId Alice = VMessUserId.Parse(Samples.AliceId);

    private static JsonElement DecodeBody(string link)
    {
        Assert.StartsWith("vmess://", link, StringComparison.Ordinal);
        return JsonDocument.Parse(Convert.FromBase64String(link["vmess://".Length..])).RootElement.Clone();
    }

    [Fact]
    public void Format_should_write_exactly_the_v2rayN_version_2_fields_in_order()
    {
        var body = DecodeBody(VMessShareLink.Format("node-1", "203.0.113.7", 10086, Alice, 0, "auto"));

        Assert.Equal(
            ["v", "ps", "add", "port", "id", "aid", "scy", "net", "type", "host", "path", "tls"],
            body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Format_should_write_the_values_as_v2rayN_strings()
    {
        var body = DecodeBody(VMessShareLink.Format("node-1", "203.0.113.7", 10086, Alice, 4, "aes-128-gcm"));

        Assert.Equal(
            ["2", "node-1", "203.0.113.7", "10086", Samples.AliceId, "4", "aes-128-gcm", "tcp", "none", "", "", ""],
            body.EnumerateObject().Select(p => p.Value.GetString()));
    }

    [Fact]
    public void TryParse_should_read_back_what_Format_wrote()
    {
        var link = VMessShareLink.Format("节点 ✓", "example.com", 443, Alice, 16, "chacha20-poly1305");

        Assert.True(VMessShareLink.TryParse(link, out var parsed));
        Assert.Equal(new VMessShareLink("节点 ✓", "example.com", 443, Alice, 16, "chacha20-poly1305"), parsed);
    }

    [Fact]
    public void TryParse_should_read_numbers_url_safe_base64_and_missing_padding()
    {
        var json = $$"""{"v":"2","ps":"n","add":"10.0.0.1","port":8080,"id":"{{Samples.AliceId}}","aid":0,"net":"ws","path":"/ray"}""";
        var body = Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.True(VMessShareLink.TryParse("vmess://" + body, out var parsed));
        Assert.Equal(new VMessShareLink("n", "10.0.0.1", 8080, Alice, 0, "auto", Network: "ws", Path: "/ray"), parsed);
    }

    [Theory]
    [InlineData("vless://abc")]
    [InlineData("vmess://not base64!")]
    [InlineData("vmess://W10=")]
    [InlineData("vmess://eyJ2IjoiMiJ9")]
    public void TryParse_should_refuse_what_is_not_a_v2rayN_vmess_link(string link)
    {
        Assert.False(VMessShareLink.TryParse(link, out _));
    }

    [Fact]
    public void Format_should_refuse_an_unknown_security()
    {
        Assert.Throws<ArgumentException>(() => VMessShareLink.Format("n", "example.com", 443, Alice, 0, "aes-256"));
    }
}
