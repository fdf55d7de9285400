using System.Buffers;
using System.Net;
using System.Text;
using VMess.Protocol.Addresses;

namespace VMess.Protocol.Tests.Addresses;

public sealed class AddressCodecTests
{
    public static TheoryData<string> Addresses() => new() { "127.0.0.1", "2001:db8::1", "example.com", "a", "xn--bcher-kva.example" };

    [Theory, MemberData(nameof(Addresses))]
    public void Roundtrip_should_preserve_the_address_and_port(string host)
    {
        var address = DestinationAddress.Parse(host, 8080);
        var encoded = new byte[AddressCodec.GetEncodedLength(address)];
        Assert.Equal(encoded.Length, AddressCodec.Encode(address, encoded));

        var status = AddressCodec.Decode(encoded, out var decoded, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(encoded.Length, consumed);
        Assert.Equal(address, decoded);
    }

    [Theory, MemberData(nameof(Addresses))]
    public void Decode_should_return_NeedMoreData_for_every_truncated_prefix(string host)
    {
        var address = DestinationAddress.Parse(host, 8080);
        var encoded = new byte[AddressCodec.GetEncodedLength(address)];
        AddressCodec.Encode(address, encoded);
        for (var length = 0; length < encoded.Length; length++)
        {
            var status = AddressCodec.Decode(encoded.AsSpan(0, length), out var decoded, out var consumed, out _);

            Assert.True(status == OperationStatus.NeedMoreData, $"{status} at prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Null(decoded);
        }
    }

    [Fact]
    public void Decode_should_read_an_IPv4_literal_in_domain_form_as_IPv4()
    {
        var status = AddressCodec.Decode(DomainForm("127.0.0.1"), out var address, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(AddressType.IPv4, address!.Type);
        Assert.Equal(IPAddress.Loopback, address.Ip);
        Assert.Equal(80, address.Port);
    }

    [Fact]
    public void Decode_should_read_a_bracketed_IPv6_literal_in_domain_form_as_IPv6()
    {
        var status = AddressCodec.Decode(DomainForm("[::1]"), out var address, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(AddressType.IPv6, address!.Type);
        Assert.Equal(IPAddress.IPv6Loopback, address.Ip);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("4294967295")]
    public void Decode_should_keep_a_numeric_name_that_is_not_a_dotted_quad_as_a_domain(string name)
    {
        // Go's net.ParseIP (which V2Ray uses) knows only dotted-quad IPv4; .NET's parser also takes inet_aton forms.
        var status = AddressCodec.Decode(DomainForm(name), out var address, out _, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(AddressType.Domain, address!.Type);
        Assert.Equal(name, address.Domain);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("x/y")]
    [InlineData("::1")]
    [InlineData("exa\u00e9mple")]
    [InlineData("[fe80::1%1]")]
    public void Decode_should_return_InvalidAddress_for_invalid_domain_characters(string name)
    {
        var status = AddressCodec.Decode(DomainForm(name), out var address, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidAddress, error);
        Assert.Null(address);
    }

    [Fact]
    public void Decode_should_return_InvalidAddress_for_an_empty_domain()
    {
        var status = AddressCodec.Decode([0x00, 0x50, 0x02, 0x00, 0x61], out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidAddress, error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(0xFF)]
    public void Decode_should_return_InvalidAddress_for_an_unknown_type(byte type)
    {
        var status = AddressCodec.Decode([0x00, 0x50, type, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], out _, out var consumed, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(DecodeError.InvalidAddress, error);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void Encode_should_write_port_big_endian_then_type_then_address()
    {
        var encoded = new byte[7];

        AddressCodec.Encode(DestinationAddress.FromIp(IPAddress.Parse("10.1.2.3"), 0x1234), encoded);

        Assert.Equal([0x12, 0x34, 0x01, 10, 1, 2, 3], encoded);
    }

    private static byte[] DomainForm(string name)
    {
        var bytes = Encoding.Latin1.GetBytes(name);
        return [0x00, 0x50, 0x02, (byte)bytes.Length, .. bytes];
    }
}
