using VMess.Protocol.Crypto;

namespace VMess.Protocol.Tests;

public sealed class ProtocolAssemblyTests
{
    [Fact]
    public void Protocol_assembly_should_reference_no_Akka_assembly()
    {
        var references = typeof(Kdf).Assembly.GetReferencedAssemblies().Select(a => a.Name ?? "");
        Assert.DoesNotContain(references, name => name.StartsWith("Akka", StringComparison.Ordinal));
    }
}
