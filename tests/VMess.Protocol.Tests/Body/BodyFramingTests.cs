using VMess.Protocol.Body;
using VMess.Protocol.Headers;
using static VMess.Protocol.Tests.Body.BodyTestData;

namespace VMess.Protocol.Tests.Body;

public sealed class BodyFramingTests
{
    [Theory]
    [InlineData(RequestCommand.Tcp, false)]
    [InlineData(RequestCommand.Mux, false)]
    [InlineData(RequestCommand.Udp, true)]
    public void IsPacket_should_be_true_only_for_udp(RequestCommand command, bool expected) =>
        Assert.Equal(expected, new BodyFraming(SecurityType.Aes128Gcm, S, command).IsPacket);

    [Fact]
    public void Validate_should_accept_what_v2ray_clients_send() =>
        Assert.Equal(DecodeError.None, new BodyFraming(SecurityType.Aes128Gcm, S | M | P, RequestCommand.Tcp).Validate());

    [Fact]
    public void Validate_should_reject_padding_without_masking() =>
        Assert.Equal(DecodeError.InvalidOptions, new BodyFraming(SecurityType.None, P, RequestCommand.Udp).Validate());
}
