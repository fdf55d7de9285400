namespace VMess.Cluster.Host.Operator;

/// <summary>An operator command that could not be done (the API refused, could not be reached, ...): said on standard error, exit code 1.</summary>
internal class OperatorException(string message) : Exception(message);
