namespace VMess.Configuration.Tests.Json;

public sealed class JsonBinderTests
{
    [Fact]
    public void Bind_should_report_a_string_where_an_integer_is_expected()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "alterId": "0" } ] }"""),
            "inbounds[0].settings.clients[0].alterId");

        Assert.Equal("expected an integer, got the string \"0\"", error.Message);
    }

    [Fact]
    public void Bind_should_report_a_fraction_where_an_integer_is_expected()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "level": 1.5 } ] }"""),
            "inbounds[0].settings.clients[0].level");

        Assert.Equal("expected an integer, got 1.5", error.Message);
    }

    [Fact]
    public void Bind_should_report_an_integer_too_large_for_any_field_as_out_of_range()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "level": 99999999999999999999 } ] }"""),
            "inbounds[0].settings.clients[0].level");

        Assert.Equal("number 99999999999999999999 is out of range", error.Message);
    }

    [Fact]
    public void Bind_should_report_a_number_where_a_boolean_is_expected()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings("""{ "disableInsecureEncryption": 1 }"""),
            "inbounds[0].settings.disableInsecureEncryption");

        Assert.Equal("expected true or false, got the number 1", error.Message);
    }

    [Fact]
    public void Bind_should_report_an_object_where_an_array_is_expected()
    {
        var error = Samples.SingleError(ConfigLoader.Load("""{ "inbounds": {} }"""), "inbounds");

        Assert.Equal("expected an array, got an object", error.Message);
    }

    [Fact]
    public void Bind_should_read_null_as_absent()
    {
        var inbound = Assert.Single(Samples.Valid(Samples.LoadInbound("""{ "port": 1, "protocol": "vmess", "listen": null, "tag": null }""")).Inbounds);

        Assert.Null(inbound.Tag);
    }

    [Fact]
    public void Bind_should_report_a_null_array_entry()
    {
        var error = Samples.SingleError(ConfigLoader.Load("""{ "outbounds": [ null ] }"""), "outbounds[0]");

        Assert.Equal("expected an object, got null", error.Message);
    }

    [Fact]
    public void Bind_should_report_a_duplicate_property()
    {
        var error = Samples.SingleError(Samples.LoadWith("""  "log": { "loglevel": "info", "loglevel": "debug" }"""), "log.loglevel");

        Assert.Equal("duplicate property", error.Message);
    }

    [Fact]
    public void Bind_should_suggest_the_declared_name_when_only_the_case_differs()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings($$"""{ "clients": [ { "id": "{{Samples.AliceId}}", "alterID": 0 } ] }"""),
            "inbounds[0].settings.clients[0].alterID");

        Assert.Equal("unknown property 'alterID'; did you mean 'alterId'? (names are case-sensitive)", error.Message);
    }

    [Fact]
    public void Bind_should_suggest_the_nearest_declared_name_for_a_typo()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings("""{ "clents": [] }"""), "inbounds[0].settings.clents");

        Assert.Equal("unknown property 'clents'; did you mean 'clients'?", error.Message);
    }

    [Fact]
    public void Bind_should_report_an_unknown_property_without_a_suggestion_when_nothing_is_close()
    {
        var error = Samples.SingleError(Samples.LoadVMessSettings("""{ "fallbacks": [] }"""), "inbounds[0].settings.fallbacks");

        Assert.Equal("unknown property 'fallbacks'", error.Message);
    }

    [Fact]
    public void Bind_should_report_every_problem_in_one_object_not_only_the_first()
    {
        var result = Samples.LoadVMessSettings("""{ "clients": "x", "default": 3, "disableInsecureEncryption": "yes" }""");

        Assert.Equal(
            ["inbounds[0].settings.clients", "inbounds[0].settings.default", "inbounds[0].settings.disableInsecureEncryption"],
            result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Bind_should_report_a_required_value_of_the_wrong_type_once()
    {
        var error = Samples.SingleError(Samples.LoadInbound("""{ "port": 1, "protocol": 5 }"""), "inbounds[0].protocol");

        Assert.Equal("expected a string, got the number 5", error.Message);
    }
}
