using System.Buffers;
using VMess.Protocol.Addresses;
using VMess.ProxyProtocols.Socks;
using static VMess.ProxyProtocols.Tests.Support.Bytes;

namespace VMess.ProxyProtocols.Tests.Socks;

public sealed class SocksUdpHeaderTests
{
    [Fact]
    public void Decode_should_read_the_destination_and_where_the_data_starts()
    {
        var datagram = Hex("0000 00 01 08080808 0035 AABBCC");

        var status = SocksUdpHeader.Decode(datagram, out var destination, out var headerLength, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(SocksError.None, error);
        Assert.Equal(DestinationAddress.Parse("8.8.8.8", 53), destination);
        Assert.Equal(Hex("AABBCC"), datagram[headerLength..]);
    }

    [Fact]
    public void Decode_should_accept_a_datagram_with_no_data()
    {
        var datagram = Hex("0000 00 03 01 61 0050");

        Assert.Equal(OperationStatus.Done, SocksUdpHeader.Decode(datagram, out var destination, out var headerLength, out _));
        Assert.Equal(DestinationAddress.FromDomain("a", 80), destination);
        Assert.Equal(datagram.Length, headerLength);
    }

    [Fact]
    public void Decode_should_not_check_the_reserved_bytes_as_V2Ray_does_not()
    {
        Assert.Equal(OperationStatus.Done, SocksUdpHeader.Decode(Hex("FFFF 00 01 08080808 0035"), out _, out _, out _));
    }

    [Fact]
    public void Decode_should_drop_a_fragment()
    {
        var status = SocksUdpHeader.Decode(Hex("0000 01 01 08080808 0035 AA"), out _, out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(SocksError.FragmentedDatagram, error);
    }

    [Theory]
    [InlineData("0000 00 01")]
    [InlineData("0000 00 01 080808")]
    [InlineData("0000 00 03 0B 6578")]
    public void Decode_should_refuse_a_datagram_shorter_than_its_header(string datagram)
    {
        SocksUdpHeader.Decode(Hex(datagram), out _, out _, out var error);

        Assert.Equal(SocksError.TruncatedDatagram, error);
    }

    [Fact]
    public void Decode_should_refuse_a_bad_address_type()
    {
        SocksUdpHeader.Decode(Hex("0000 00 07 08080808 0035"), out _, out _, out var error);

        Assert.Equal(SocksError.InvalidAddress, error);
    }

    [Theory]
    [InlineData("8.8.8.8", 53, "0000 00 01 08080808 0035")]
    [InlineData("example.com", 443, "0000 00 03 0B 6578616D706C652E636F6D 01BB")]
    public void Encode_should_write_zero_reserved_and_fragment_bytes_then_the_source(string host, int port, string expected)
    {
        var source = DestinationAddress.Parse(host, (ushort)port);
        var buffer = Enumerable.Repeat((byte)0xEE, SocksUdpHeader.GetLength(source)).ToArray();

        Assert.Equal(buffer.Length, SocksUdpHeader.Encode(source, buffer));
        Assert.Equal(Hex(expected), buffer);
    }
}
