using VMess.Protocol.Ids;

namespace VMess.Protocol.Tests.Ids;

public sealed class VMessUserIdTests
{
    private const string Sample = "b831381d-6324-4d53-ad4f-8cda48b30811";

    [Fact]
    public void CmdKey_should_match_the_known_vector()
    {
        Assert.Equal("b50d916ac0cec067981af8e5f38a758f", Convert.ToHexStringLower(VMessUserId.Parse(Sample).CmdKey()));
    }

    [Fact]
    public void WriteCmdKey_should_equal_CmdKey()
    {
        var id = VMessUserId.Parse(Sample);
        var key = new byte[16];

        id.WriteCmdKey(key);

        Assert.Equal(id.CmdKey(), key);
    }

    [Fact]
    public void ToBytes_should_follow_the_RFC_4122_textual_order()
    {
        Assert.Equal("b831381d63244d53ad4f8cda48b30811", Convert.ToHexStringLower(VMessUserId.Parse(Sample).ToBytes()));
    }

    [Fact]
    public void FromBytes_should_invert_ToBytes()
    {
        var id = VMessUserId.Parse(Sample);

        Assert.Equal(id, VMessUserId.FromBytes(id.ToBytes()));
    }

    [Theory]
    [InlineData(Sample)]
    [InlineData("B831381D-6324-4D53-AD4F-8CDA48B30811")]
    public void TryParse_should_accept_the_36_character_form(string text)
    {
        Assert.True(VMessUserId.TryParse(text, out var id));
        Assert.Equal(Sample, id.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("b831381d63244d53ad4f8cda48b30811")]
    [InlineData("{b831381d-6324-4d53-ad4f-8cda48b30811}")]
    [InlineData("(b831381d-6324-4d53-ad4f-8cda48b30811)")]
    [InlineData(" b831381d-6324-4d53-ad4f-8cda48b30811")]
    [InlineData("b831381d-6324-4d53-ad4f-8cda48b30811 ")]
    [InlineData("b831381d-6324-4d53-ad4f-8cda48b3081")]
    [InlineData("b831381d-6324-4d53-ad4f-8cda48b3081g")]
    [InlineData("b831381d6-324-4d53-ad4f-8cda48b30811")]
    [InlineData("{0xb831381d,0x6324,0x4d53,{0xad,0x4f,0x8c,0xda,0x48,0xb3,0x08,0x11}}")]
    public void TryParse_should_reject_other_forms(string? text)
    {
        Assert.False(VMessUserId.TryParse(text, out var id));
        Assert.Equal(default, id);
    }
}
