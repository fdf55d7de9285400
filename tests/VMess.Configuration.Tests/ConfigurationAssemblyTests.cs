using VMess.Configuration.Options;

namespace VMess.Configuration.Tests;

public sealed class ConfigurationAssemblyTests
{
    private static IEnumerable<string> References() =>
        typeof(NodeOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");

    [Fact]
    public void Configuration_assembly_should_reference_no_Akka_assembly()
    {
        Assert.DoesNotContain(References(), name => name.StartsWith("Akka", StringComparison.Ordinal));
    }

    [Fact]
    public void Configuration_assembly_should_reference_no_Microsoft_Extensions_assembly()
    {
        Assert.DoesNotContain(References(), name => name.StartsWith("Microsoft.Extensions", StringComparison.Ordinal));
    }
}
