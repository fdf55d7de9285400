using VMess.Configuration.Validation;

namespace VMess.Configuration.Tests.Validation;

public sealed class IssuePathComparerTests
{
    [Fact]
    public void Compare_should_order_indices_by_number_and_keep_children_after_their_parent()
    {
        string[] paths = ["inbounds[10].port", "policy.levels[\"1\"].connIdle", "inbounds[2]", "inbounds[2].settings.clients[0].id", "inbounds", "log"];

        Assert.Equal(
            ["inbounds", "inbounds[2]", "inbounds[2].settings.clients[0].id", "inbounds[10].port", "log", "policy.levels[\"1\"].connIdle"],
            paths.Order(IssuePathComparer.Instance));
    }

    [Fact]
    public void Load_should_report_the_errors_of_one_inbound_together()
    {
        var result = ConfigLoader.Load("""{ "inbounds": [ { "port": "x", "protocol": "vmess", "settings": { "clients": [ { "id": 1 } ] } } ], "log": { "bad": 1 } }""");

        Assert.Equal(["inbounds[0].port", "inbounds[0].settings.clients[0].id", "log.bad"], result.Errors.Select(e => e.Path));
    }
}
