using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class PolicyValidatorTests
{
    private static PolicyOptions LoadPolicy(string policyJson) => Samples.Valid(Samples.LoadWith($"\"policy\": {policyJson}")).Policy;

    [Fact]
    public void Validate_should_give_default_policy_without_a_policy_section()
    {
        Assert.Equal(PolicyOptions.Default, Samples.Valid(Samples.LoadWith("\"log\": {}")).Policy);
    }

    [Fact]
    public void Validate_should_give_an_empty_level_every_default()
    {
        Assert.Equal(LevelPolicy.Default, LoadPolicy("""{ "levels": { "0": {} } }""").Levels[0]);
    }

    [Fact]
    public void Validate_should_override_only_the_fields_a_level_sets()
    {
        Assert.Equal(LevelPolicy.Default with { UplinkOnly = TimeSpan.Zero }, LoadPolicy("""{ "levels": { "0": { "uplinkOnly": 0 } } }""").Levels[0]);
    }

    [Fact]
    public void Validate_should_read_bufferSize_in_KiB()
    {
        Assert.Equal(10 * 1024, LoadPolicy("""{ "levels": { "0": { "bufferSize": 10 } } }""").Levels[0].BufferSizeBytes);
    }

    [Fact]
    public void Validate_should_read_any_negative_bufferSize_as_unlimited()
    {
        Assert.Equal(LevelPolicy.UnlimitedBuffer, LoadPolicy("""{ "levels": { "0": { "bufferSize": -20 } } }""").Levels[0].BufferSizeBytes);
    }

    [Fact]
    public void Validate_should_report_a_bufferSize_that_overflows_V2Ray()
    {
        Samples.SingleError(Samples.LoadWith("""  "policy": { "levels": { "0": { "bufferSize": 2097152 } } }"""), "policy.levels[\"0\"].bufferSize");
    }

    [Fact]
    public void Validate_should_accept_the_largest_uint32_timeout()
    {
        Assert.Equal(TimeSpan.FromSeconds(uint.MaxValue), LoadPolicy("""{ "levels": { "0": { "handshake": 4294967295 } } }""").Levels[0].Handshake);
    }

    [Fact]
    public void Validate_should_report_a_timeout_past_uint32()
    {
        Samples.SingleError(Samples.LoadWith("""  "policy": { "levels": { "0": { "handshake": 4294967296 } } }"""), "policy.levels[\"0\"].handshake");
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("one")]
    [InlineData("")]
    [InlineData("+1")]
    public void Validate_should_report_a_level_key_that_is_not_a_non_negative_integer(string key)
    {
        Samples.SingleError(Samples.LoadWith($$"""  "policy": { "levels": { "{{key}}": {} } }"""), $"policy.levels[\"{key}\"]");
    }

    [Fact]
    public void Validate_should_skip_a_null_level_as_V2Ray_does()
    {
        Assert.Empty(LoadPolicy("""{ "levels": { "0": null } }""").Levels);
    }

    [Fact]
    public void Validate_should_read_the_system_counters()
    {
        Assert.Equal(new SystemPolicy(false, true, true, false),
            LoadPolicy("""{ "system": { "statsInboundDownlink": true, "statsOutboundUplink": true } }""").System);
    }

    [Fact]
    public void Validate_should_report_a_level_given_twice_in_two_spellings()
    {
        var error = Samples.SingleError(Samples.LoadWith("""  "policy": { "levels": { "1": {}, "01": {} } }"""), "policy.levels[\"01\"]");

        Assert.Equal("level 1 is given twice", error.Message);
    }
}
