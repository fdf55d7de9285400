namespace VMess.ProxyProtocols.Tests;

public sealed class ProxyProtocolsAssemblyTests
{
    [Fact]
    public void ProxyProtocols_assembly_should_reference_no_Akka_assembly()
    {
        var references = typeof(ProxyRequest).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");
        Assert.DoesNotContain(references, name => name.StartsWith("Akka", StringComparison.Ordinal));
    }
}
