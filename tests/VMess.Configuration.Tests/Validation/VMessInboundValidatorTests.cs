using VMess.Configuration.Options;
using VMess.Protocol.Auth;
using VMess.Protocol.Ids;

namespace VMess.Configuration.Tests.Validation;

public sealed class VMessInboundValidatorTests
{
    private static VMessInboundSettings LoadSettings(string settingsJson) =>
        Assert.Single(Samples.Valid(Samples.LoadVMessSettings(settingsJson)).Inbounds).VMess!;

    [Fact]
    public void Validate_should_default_a_client_to_level_0_alterId_0_and_no_email()
    {
        var client = Assert.Single(LoadSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}" } ] }""").Clients);

        Assert.Equal(new VMessAccount(VMessUserId.Parse(Samples.AliceId), AlterId: 0, Level: 0, Email: null), client);
    }

    [Fact]
    public void Validate_should_read_an_empty_settings_object_with_V2Ray_defaults()
    {
        Assert.Equal(new VMessInboundSettings([], VMessDefaultUser.Default, null, false), LoadSettings("{}"));
    }

    [Fact]
    public void Validate_should_default_the_default_user_to_level_0_alterId_0_as_V2Ray_4_34()
    {
        Assert.Equal(new VMessDefaultUser(0, 0), LoadSettings("""{ "default": {} }""").Default);
    }

    [Fact]
    public void Validate_should_read_the_default_user()
    {
        Assert.Equal(new VMessDefaultUser(Level: 2, AlterId: 4), LoadSettings("""{ "default": { "level": 2, "alterId": 4 } }""").Default);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("aes-128-gcm")]
    [InlineData("chacha20-poly1305")]
    [InlineData("none")]
    [InlineData("AES-128-GCM")]
    public void Validate_should_accept_and_ignore_a_valid_client_security(string security)
    {
        Assert.Single(LoadSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "security": "{{security}}" } ] }""").Clients);
    }

    [Fact]
    public void Validate_should_report_an_unknown_client_security_instead_of_reading_it_as_auto()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "security": "aes-256" } ] }"""),
            "inbounds[0].settings.clients[0].security");

        Assert.Equal("unknown security 'aes-256'; expected 'auto', 'aes-128-gcm', 'chacha20-poly1305' or 'none'", error.Message);
    }

    [Theory]
    [InlineData("B831381D-6324-4D53-AD4F-8CDA48B30811")]
    public void Validate_should_accept_an_upper_case_id(string id)
    {
        Assert.Equal(VMessUserId.Parse(Samples.AliceId), Assert.Single(LoadSettings($$"""{ "clients": [ { "id": "{{id}}" } ] }""").Clients).Id);
    }

    [Theory]
    [InlineData("b831381d63244d53ad4f8cda48b30811")]
    [InlineData("{b831381d-6324-4d53-ad4f-8cda48b30811}")]
    [InlineData("b831381d-6324-4d53-ad4f-8cda48b3081")]
    public void Validate_should_report_an_id_not_in_the_36_character_form(string id)
    {
        Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{id}}" } ] }"""), "inbounds[0].settings.clients[0].id");
    }

    [Fact]
    public void Validate_should_report_a_duplicate_email_ignoring_case()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""
            { "clients": [ { "id": "{{Samples.AliceId}}", "email": "x@example.com" }, { "id": "{{Samples.BobId}}", "email": "X@Example.com" } ] }
            """), "inbounds[0].settings.clients[1].email");

        Assert.StartsWith("duplicate email", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_should_allow_several_clients_without_email()
    {
        Assert.Equal(2, LoadSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "email": "" }, { "id": "{{Samples.BobId}}" } ] }""").Clients.Length);
    }

    [Fact]
    public void Validate_should_require_a_detour_target()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings("""{ "detour": {} }"""), "inbounds[0].settings.detour.to");

        Assert.Equal("required: the tag of another inbound", error.Message);
    }

    [Fact]
    public void Validate_should_report_a_detour_to_an_inbound_that_is_not_vmess()
    {
        var result = ConfigLoader.Load("""
            { "inbounds": [
                { "port": 1, "protocol": "vmess", "settings": { "detour": { "to": "local" } } },
                { "port": 2, "protocol": "socks", "tag": "local" } ] }
            """);

        var error = Samples.SingleError(result, "inbounds[0].settings.detour.to");
        Assert.Equal("'local' is a socks inbound; a detour must name a vmess inbound", error.Message);
    }

    [Fact]
    public void Validate_should_accept_a_detour_to_a_vmess_inbound_whatever_the_case_of_its_protocol()
    {
        var result = ConfigLoader.Load("""
            { "inbounds": [
                { "port": 1, "protocol": "vmess", "settings": { "detour": { "to": "other" } } },
                { "port": 2, "protocol": "VMess", "tag": "other" } ] }
            """);

        Assert.Equal("other", Samples.Valid(result).Inbounds[0].VMess!.DetourTo);
    }

    [Fact]
    public void Validate_should_read_the_deprecated_features_detour_with_a_warning()
    {
        var result = ConfigLoader.Load("""
            { "inbounds": [
                { "port": 1, "protocol": "vmess", "settings": { "features": { "detour": { "to": "other" } } } },
                { "port": 2, "protocol": "vmess", "tag": "other" } ] }
            """);

        Assert.Equal("other", Samples.Valid(result).Inbounds[0].VMess!.DetourTo);
        Assert.Contains(result.Warnings, w => w.Path == "inbounds[0].settings.features");
    }

    [Fact]
    public void Validate_should_report_a_deprecated_detour_to_a_missing_tag_at_its_own_path()
    {
        Samples.SingleError(Samples.LoadVMessSettings("""{ "features": { "detour": { "to": "gone" } } }"""),
            "inbounds[0].settings.features.detour.to");
    }
}
