namespace VMess.Cluster.Host.Operator;

/// <summary>
/// An operator command's arguments after its name: positionals, and options as <c>--name VALUE</c>,
/// <c>--name=VALUE</c> or a bare <c>--switch</c>. Each command says which options it takes; the connection's
/// (<see cref="ApiConnectionOptions"/>) are taken by all.
/// </summary>
internal sealed class OperatorArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);

    private OperatorArguments(IReadOnlyList<string> positionals) => Positionals = positionals;

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>
    /// Reads <paramref name="args"/>; throws <see cref="UsageException"/> for an option the command does not take, an
    /// option without its value, or more positionals than <paramref name="maxPositionals"/>.
    /// </summary>
    public static OperatorArguments Parse(IReadOnlyList<string> args, string command, int maxPositionals, IReadOnlyCollection<string> valueOptions,
        IReadOnlyCollection<string>? switches = null)
    {
        switches ??= [];
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                if (positionals.Count == maxPositionals) throw new UsageException($"{command}: unexpected argument '{arg}'");
                positionals.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=');
            var name = Canonical(equals > 0 ? arg[..equals] : arg);
            if (switches.Contains(name))
            {
                if (equals > 0) throw new UsageException($"{command}: {name} takes no value");
                set.Add(name);
            }
            else if (valueOptions.Contains(name))
            {
                string value;
                if (equals > 0) value = arg[(equals + 1)..];
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"{command}: {name} needs a value");
                values[name] = value;
            }
            else
            {
                throw new UsageException($"{command}: unknown option '{arg}'");
            }
        }
        var parsed = new OperatorArguments(positionals);
        foreach (var (name, value) in values) parsed._values[name] = value;
        foreach (var name in set) parsed._switches.Add(name);
        return parsed;
    }

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public bool Has(string name) => _switches.Contains(name);

    /// <summary>The option's value as an integer within <paramref name="min"/>..<paramref name="max"/>; null when absent.</summary>
    public int? Integer(string name, int min, int max)
    {
        if (Value(name) is not { } text) return null;
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
               && value >= min && value <= max
            ? value
            : throw new UsageException($"{name} must be a whole number within {min}..{max}, was '{text}'");
    }

    /// <summary>The one positional a command needs, named <paramref name="what"/> in the error when it is missing.</summary>
    public string Required(int index, string command, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"{command} needs {what}");

    /// <summary>V2Ray's single-dash spellings of the config flag read as the others do.</summary>
    private static string Canonical(string name) => name is "-c" or "-config" ? "--config" : name;
}
