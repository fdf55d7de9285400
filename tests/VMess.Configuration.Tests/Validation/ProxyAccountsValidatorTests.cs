using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class ProxyAccountsValidatorTests
{
    private static ConfigLoadResult LoadAccounts(string protocol, string accountsJson) =>
        Samples.LoadInbound($$"""{ "port": 1, "protocol": "{{protocol}}", "settings": { "auth": "password", "accounts": {{accountsJson}} } }""");

    private static ConfigLoadResult LoadHttpAccounts(string accountsJson) =>
        Samples.LoadInbound($$"""{ "port": 1, "protocol": "http", "settings": { "accounts": {{accountsJson}} } }""");

    [Fact]
    public void Validate_should_read_an_absent_pass_as_an_empty_password()
    {
        var settings = Assert.Single(Samples.Valid(LoadHttpAccounts("""[ { "user": "alice" } ]""")).Inbounds).Http!;

        Assert.Equal<ProxyAccount>([new ProxyAccount("alice", "")], settings.Accounts);
    }

    [Fact]
    public void Validate_should_require_a_user()
    {
        var error = Samples.SingleError(LoadHttpAccounts("""[ { "pass": "secret" } ]"""), "inbounds[0].settings.accounts[0].user");

        Assert.Equal("required: a user name", error.Message);
    }

    [Fact]
    public void Validate_should_report_a_repeated_user_instead_of_keeping_the_last_password()
    {
        var error = Samples.SingleError(LoadHttpAccounts("""[ { "user": "a", "pass": "1" }, { "user": "a", "pass": "2" } ]"""),
            "inbounds[0].settings.accounts[1].user");

        Assert.Equal("duplicate user: inbounds[0].settings.accounts[0] has it too", error.Message);
    }

    [Fact]
    public void Validate_should_report_an_http_user_with_a_colon()
    {
        Samples.SingleError(LoadHttpAccounts("""[ { "user": "a:b", "pass": "1" } ]"""), "inbounds[0].settings.accounts[0].user");
    }

    [Fact]
    public void Validate_should_report_a_socks_password_longer_than_255_bytes()
    {
        var pass = new string('p', 256);

        Samples.SingleError(LoadAccounts("socks", $$"""[ { "user": "a", "pass": "{{pass}}" } ]"""), "inbounds[0].settings.accounts[0].pass");
    }

    [Fact]
    public void Validate_should_accept_a_socks_user_of_255_bytes()
    {
        var user = new string('u', 255);

        Assert.True(LoadAccounts("socks", $$"""[ { "user": "{{user}}", "pass": "p" } ]""").IsValid);
    }

    [Fact]
    public void Validate_should_report_a_misspelt_account_field_with_a_suggestion()
    {
        var error = Samples.SingleError(LoadHttpAccounts("""[ { "user": "a", "pas": "1" } ]"""), "inbounds[0].settings.accounts[0].pas");

        Assert.Equal("unknown property 'pas'; did you mean 'pass'?", error.Message);
    }
}
