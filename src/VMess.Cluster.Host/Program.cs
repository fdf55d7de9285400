using VMess.Cluster.Host;

// The composition root. Until the relay lands (issue "Relay node"), the program offers a codec demo.
return args switch
{
    [] or ["demo"] => CodecDemo.Run(Console.Out),
    ["version"] => Print($"vmess-cluster {typeof(CodecDemo).Assembly.GetName().Version} (VMess as V2Ray 4.34 speaks it)"),
    _ => Print("""
        usage: vmess-cluster [demo | version]
          demo     runs one VMess handshake and body round trip through the codec, printing each step
          version  prints the version
        """, exitCode: args is ["--help"] or ["-h"] ? 0 : 2),
};

static int Print(string text, int exitCode = 0)
{
    Console.WriteLine(text);
    return exitCode;
}
