using System.Net;
using Microsoft.Extensions.Configuration;
using VMess.Configuration.Options;

namespace VMess.Api.Tests;

public sealed class ApiHostSettingsTests
{
    private static readonly ApiOptions Loopback = new("api", ApiServices.Stats, "api", new IPEndPoint(IPAddress.Loopback, 10085));
    private static readonly ApiOptions AnyAddress = Loopback with { EndPoint = new IPEndPoint(IPAddress.Any, 10085) };

    [Fact]
    public void From_should_read_the_token_and_timeout_from_the_VMess_Api_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VMess:Api:Token"] = "abc",
            ["VMess:Api:RegistryTimeout"] = "00:00:03",
        }).Build();

        Assert.Equal(new ApiHostSettings { Token = "abc", RegistryTimeout = TimeSpan.FromSeconds(3) }, ApiHostSettings.From(configuration));
    }

    [Fact]
    public void ValidateFor_should_accept_a_loopback_api_without_a_token()
    {
        Assert.Empty(new ApiHostSettings().ValidateFor(Loopback));
    }

    [Fact]
    public void ValidateFor_should_require_a_token_for_a_non_loopback_api()
    {
        var error = Assert.Single(new ApiHostSettings().ValidateFor(AnyAddress));

        Assert.StartsWith("the API listens on 0.0.0.0:10085 (inbound 'api'), which is not a loopback address: set a token", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateFor_should_accept_a_non_loopback_api_with_a_token()
    {
        Assert.Empty(new ApiHostSettings { Token = "abc" }.ValidateFor(AnyAddress));
    }

    [Fact]
    public void ValidateFor_should_accept_anything_when_there_is_no_api()
    {
        Assert.Empty(new ApiHostSettings { RegistryTimeout = TimeSpan.Zero }.ValidateFor(null));
    }

    [Fact]
    public void ValidateFor_should_reject_a_timeout_that_is_not_positive()
    {
        Assert.Single(new ApiHostSettings { RegistryTimeout = TimeSpan.Zero }.ValidateFor(Loopback));
    }
}
