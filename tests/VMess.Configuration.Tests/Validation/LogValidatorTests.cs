using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Validation;

public sealed class LogValidatorTests
{
    private static LogOptions LoadLog(string logJson) => Samples.Valid(Samples.LoadWith($"\"log\": {logJson}")).Log;

    [Fact]
    public void Validate_should_give_V2Ray_defaults_without_a_log_section()
    {
        Assert.Equal(new LogOptions(LogLevel.Warning, null, AccessLogEnabled: false, null), Samples.Valid(Samples.LoadWith("\"policy\": {}")).Log);
    }

    [Fact]
    public void Validate_should_log_access_to_the_console_when_the_section_has_no_access_path()
    {
        Assert.Equal(new LogOptions(LogLevel.Warning, null, AccessLogEnabled: true, null), LoadLog("{}"));
    }

    [Fact]
    public void Validate_should_read_an_empty_access_path_as_the_console()
    {
        Assert.Equal(new LogOptions(LogLevel.Warning, null, AccessLogEnabled: true, null), LoadLog("""{ "access": "" }"""));
    }

    [Fact]
    public void Validate_should_turn_the_access_log_off_for_none()
    {
        Assert.False(LoadLog("""{ "access": "none" }""").AccessLogEnabled);
    }

    [Fact]
    public void Validate_should_keep_file_paths()
    {
        Assert.Equal(new LogOptions(LogLevel.Info, "/a.log", true, "/e.log"), LoadLog("""{ "access": "/a.log", "error": "/e.log", "loglevel": "info" }"""));
    }

    [Fact]
    public void Validate_should_turn_the_error_log_off_for_error_none()
    {
        Assert.Equal(new LogOptions(LogLevel.None, null, true, null), LoadLog("""{ "error": "none", "loglevel": "debug" }"""));
    }

    [Fact]
    public void Validate_should_turn_both_logs_off_for_level_none()
    {
        Assert.Equal(new LogOptions(LogLevel.None, null, false, null), LoadLog("""{ "access": "/a.log", "error": "/e.log", "loglevel": "none" }"""));
    }

    [Theory]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Info)]
    [InlineData("warning", LogLevel.Warning)]
    [InlineData("Error", LogLevel.Error)]
    [InlineData("", LogLevel.Warning)]
    public void Validate_should_read_log_levels_ignoring_case_as_V2Ray_does(string text, LogLevel expected)
    {
        Assert.Equal(expected, LoadLog($$"""{ "loglevel": "{{text}}" }""").Level);
    }

    [Fact]
    public void Validate_should_report_an_unknown_level_instead_of_falling_back_to_warning()
    {
        var error = Samples.SingleError(Samples.LoadWith("""  "log": { "loglevel": "warn" }"""), "log.loglevel");

        Assert.Equal("unknown log level 'warn'; expected 'debug', 'info', 'warning', 'error' or 'none'", error.Message);
    }
}
