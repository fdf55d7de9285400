using VMess.Configuration.Json;

namespace VMess.Configuration.Tests.Json;

public sealed class NameSuggesterTests
{
    [Fact]
    public void Distance_should_count_swapped_neighbours_as_one_edit()
    {
        Assert.Equal(1, NameSuggester.Distance("tpc", "tcp"));
    }

    [Fact]
    public void Nearest_should_ignore_case()
    {
        Assert.Equal("alterId", NameSuggester.Nearest("ALTERID", ["id", "alterId", "level"]));
    }

    [Fact]
    public void Nearest_should_give_nothing_when_no_name_is_close()
    {
        Assert.Null(NameSuggester.Nearest("fallbacks", ["clients", "default", "detour"]));
    }
}
