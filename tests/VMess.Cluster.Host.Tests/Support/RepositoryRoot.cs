namespace VMess.Cluster.Host.Tests.Support;

/// <summary>The checkout the tests run from: the first directory above the test binaries holding VMess.Cluster.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "VMess.Cluster.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no VMess.Cluster.sln above {AppContext.BaseDirectory}");
    }
}
