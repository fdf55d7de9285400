using VMess.Cluster.Host;

// The composition root: parse the command line, then run, test or describe a node.
return await CommandLine.RunAsync(args, Console.Out, Console.Error);
