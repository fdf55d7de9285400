namespace VMess.Streams.Tests.Support;

/// <summary>TestKit settings for these specs: probes wait longer than Akka's 3 s default, as the CI machine's two cores are shared.</summary>
internal static class SpecConfig
{
    public const string Hocon = """
        akka.test.single-expect-default = 10s
        akka.loglevel = WARNING
        """;
}
