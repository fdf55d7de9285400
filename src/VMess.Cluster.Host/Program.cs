using VMess.Cluster.Host;

// Socket completions only hand their result to a stage's async callback (a mailbox enqueue), so running them on
// the epoll thread saves a thread-pool hop per I/O. Read once, when the first socket is created, so set it first.
if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") is null)
{
    Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
}

// The composition root: parse the command line, then run, test or describe a node.
return await CommandLine.RunAsync(args, Console.Out, Console.Error);
