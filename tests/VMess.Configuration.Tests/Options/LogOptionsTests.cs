using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Options;

public sealed class LogOptionsTests
{
    [Fact]
    public void Default_should_be_V2Ray_DefaultLogConfig_without_access_log_and_with_warnings_to_the_console()
    {
        Assert.Equal(new LogOptions(LogLevel.Warning, AccessLogPath: null, AccessLogEnabled: false, ErrorLogPath: null), LogOptions.Default);
    }
}
