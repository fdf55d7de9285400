namespace VMess.Configuration.Tests;

public sealed class ConfigIssueTests
{
    [Fact]
    public void ToString_should_be_path_colon_message()
    {
        Assert.Equal("inbounds[0].port: required", new ConfigIssue("inbounds[0].port", "required").ToString());
    }
}
