using VMess.Configuration.Json;

namespace VMess.Configuration.Tests.Json;

public sealed class JsonPathTests
{
    [Fact]
    public void Property_should_join_names_with_dots_and_indices_with_brackets()
    {
        var path = JsonPath.Property(JsonPath.Index(JsonPath.Property(JsonPath.Property(JsonPath.Index("inbounds", 0), "settings"), "clients"), 2), "id");

        Assert.Equal("inbounds[0].settings.clients[2].id", path);
    }

    [Fact]
    public void Key_should_quote_a_dictionary_key()
    {
        Assert.Equal("policy.levels[\"0\"]", JsonPath.Key("policy.levels", "0"));
    }

    [Fact]
    public void Property_should_quote_a_name_that_is_not_a_plain_identifier()
    {
        Assert.Equal("log[\"a b\"]", JsonPath.Property("log", "a b"));
    }
}
