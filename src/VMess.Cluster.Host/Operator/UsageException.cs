namespace VMess.Cluster.Host.Operator;

/// <summary>A command line the command cannot run: said on standard error with the command's usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
