using BenchmarkDotNet.Running;

namespace VMess.Benchmarks;

public static class Program
{
    // Run by hand: dotnet run -c Release --project tests/VMess.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
