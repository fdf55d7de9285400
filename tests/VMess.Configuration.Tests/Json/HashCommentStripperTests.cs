using VMess.Configuration.Json;

namespace VMess.Configuration.Tests.Json;

public sealed class HashCommentStripperTests
{
    [Fact]
    public void Strip_should_blank_a_hash_comment_to_the_end_of_the_line()
    {
        Assert.Equal("{         \n}", HashCommentStripper.Strip("{ # a note\n}"));
    }

    [Fact]
    public void Strip_should_keep_a_hash_inside_a_string()
    {
        const string json = """{ "path": "/a#b", "escaped": "\"#\"" }""";

        Assert.Equal(json, HashCommentStripper.Strip(json));
    }

    [Fact]
    public void Strip_should_leave_slash_comments_to_the_parser_even_when_they_hold_a_quote_or_hash()
    {
        const string json = "{ // it's \"quoted # here\n /* and # \" here */ }";

        Assert.Equal(json, HashCommentStripper.Strip(json));
    }

    [Fact]
    public void Strip_should_keep_the_length_so_error_positions_stay_true()
    {
        const string json = "# one\n{ \"a\": 1 # two\n}";

        Assert.Equal(json.Length, HashCommentStripper.Strip(json).Length);
    }
}
