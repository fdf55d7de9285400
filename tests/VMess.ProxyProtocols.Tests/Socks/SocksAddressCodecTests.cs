using System.Buffers;
using System.Net;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols.Socks;
using static VMess.ProxyProtocols.Tests.Support.Bytes;

namespace VMess.ProxyProtocols.Tests.Socks;

public sealed class SocksAddressCodecTests
{
    public static TheoryData<string, string> Encodings() => new()
    {
        { "127.0.0.1", "01 7F000001 1F90" },
        { "2001:db8::1", "04 20010DB8000000000000000000000001 1F90" },
        { "example.com", "03 0B 6578616D706C652E636F6D 1F90" },
    };

    [Theory, MemberData(nameof(Encodings))]
    public void Encode_should_write_type_address_then_port(string host, string expected)
    {
        var address = DestinationAddress.Parse(host, 8080);
        var buffer = new byte[SocksAddressCodec.GetEncodedLength(address)];

        Assert.Equal(buffer.Length, SocksAddressCodec.Encode(address, buffer));
        Assert.Equal(Hex(expected), buffer);
    }

    [Theory, MemberData(nameof(Encodings))]
    public void Decode_should_read_what_Encode_wrote(string host, string encoded)
    {
        var status = SocksAddressCodec.Decode(Hex(encoded + "FF"), out var address, out var consumed);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(Hex(encoded).Length, consumed);
        Assert.Equal(DestinationAddress.Parse(host, 8080), address);
    }

    [Theory, MemberData(nameof(Encodings))]
    public void Decode_should_return_NeedMoreData_for_every_truncated_prefix(string host, string encoded)
    {
        var bytes = Hex(encoded);
        for (var length = 0; length < bytes.Length; length++)
        {
            var status = SocksAddressCodec.Decode(bytes.AsSpan(0, length), out var address, out var consumed);

            Assert.True(status == OperationStatus.NeedMoreData, $"{host}: {status} at prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Null(address);
        }
    }

    [Fact]
    public void Decode_should_read_an_IPv4_mapped_IPv6_address_as_IPv4_as_V2Ray_does()
    {
        SocksAddressCodec.Decode(Hex("04 00000000000000000000FFFF0A000001 0050"), out var address, out _);

        Assert.Equal(DestinationAddress.FromIp(IPAddress.Parse("10.0.0.1"), 80), address);
    }

    [Theory]
    [InlineData("03 05 3132372E31 0050", "127.1")]          // not a dotted quad in Go: a domain
    [InlineData("03 05 5B3A3A315D 0050", "::1")]             // "[::1]"
    public void Decode_should_read_IP_literals_in_domains_as_Go_parses_them(string encoded, string expectedHost)
    {
        SocksAddressCodec.Decode(Hex(encoded), out var address, out _);

        Assert.Equal(expectedHost, address!.Host);
    }

    [Theory]
    [InlineData("02 7F000001 0050")]
    [InlineData("03 00 0050")]
    [InlineData("03 02 612F 0050")]
    public void Decode_should_refuse_an_unknown_type_an_empty_domain_or_a_bad_character(string encoded)
    {
        Assert.Equal(OperationStatus.InvalidData, SocksAddressCodec.Decode(Hex(encoded), out _, out _));
    }
}
