using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using VMess.Configuration.Validation;

namespace VMess.Configuration.Json;

/// <summary>
/// Fills the DTOs from a parsed document one property at a time, using the source-generated contract for names,
/// types and setters. Unlike <see cref="JsonSerializer"/>, it does not stop at the first problem: every wrong type,
/// duplicate and unknown name is reported with its path, and the rest is still read. A JSON <c>null</c> counts as
/// absent, as in V2Ray (Go leaves the field at its zero value).
/// </summary>
internal sealed class JsonBinder(JsonSerializerContext context, ConfigIssueCollector issues)
{
    private readonly Dictionary<Type, Dictionary<string, JsonPropertyInfo>> _properties = [];

    public T? Bind<T>(JsonElement element, string path) where T : class => BindValue(typeof(T), element, path) as T;

    /// <summary>A protocol's <c>settings</c>, bound once the protocol is known; V2Ray reads an absent one as {}.</summary>
    public T? BindSettings<T>(JsonElement? settings, string path) where T : class, new() =>
        settings is { } raw ? Bind<T>(raw, path) : new T();

    private object? BindValue(Type type, JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (type == typeof(string))
        {
            return element.ValueKind == JsonValueKind.String ? element.GetString() : Mismatch(path, "a string", element);
        }
        if (type == typeof(long?))
        {
            return ReadInteger(element, path);
        }
        if (type == typeof(bool?))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? element.GetBoolean()
                : Mismatch(path, "true or false", element);
        }
        if (type == typeof(JsonElement?))
        {
            return element.Clone();
        }

        var info = context.GetTypeInfo(type)
            ?? throw new InvalidOperationException($"{type} has no metadata in {context.GetType().Name}.");
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => BindObject(info, element, path),
            JsonTypeInfoKind.Enumerable => BindList(info, element, path),
            JsonTypeInfoKind.Dictionary => BindDictionary(info, element, path),
            _ => throw new InvalidOperationException($"{type} is not a DTO shape the binder reads."),
        };
    }

    private object? BindObject(JsonTypeInfo info, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Mismatch(path, "an object", element);
        }

        var target = info.CreateObject!();
        var properties = PropertiesOf(info);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = JsonPath.Property(path, property.Name);
            if (!seen.Add(property.Name))
            {
                issues.Error(propertyPath, "duplicate property");
            }
            else if (properties.TryGetValue(property.Name, out var declared))
            {
                var value = BindValue(declared.PropertyType, property.Value, propertyPath);
                if (value is not null)
                {
                    declared.Set!(target, value);
                }
            }
            else if (V2RayFeatures.TryGet(info.Type, property.Name, out var feature))
            {
                if (feature.IsError)
                {
                    issues.Error(propertyPath, feature.Message);
                }
                else
                {
                    issues.Warning(propertyPath, feature.Message);
                }
            }
            else
            {
                var candidates = properties.Keys.Concat(V2RayFeatures.NamesOf(info.Type));
                issues.Error(propertyPath, NameSuggester.UnknownProperty(property.Name, candidates));
            }
        }
        return target;
    }

    private object? BindList(JsonTypeInfo info, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return Mismatch(path, "an array", element);
        }

        var list = (IList)info.CreateObject!();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = JsonPath.Index(path, index++);
            if (item.ValueKind == JsonValueKind.Null)
            {
                issues.Error(itemPath, "expected an object, got null");
            }
            // Null entries keep the indices of the DTO list equal to the JSON's; validators skip them.
            list.Add(BindValue(info.ElementType!, item, itemPath));
        }
        return list;
    }

    private object? BindDictionary(JsonTypeInfo info, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Mismatch(path, "an object", element);
        }

        var dictionary = (IDictionary)info.CreateObject!();
        foreach (var entry in element.EnumerateObject())
        {
            var entryPath = JsonPath.Key(path, entry.Name);
            if (dictionary.Contains(entry.Name))
            {
                issues.Error(entryPath, "duplicate key");
                continue;
            }
            dictionary[entry.Name] = BindValue(info.ElementType!, entry.Value, entryPath);
        }
        return dictionary;
    }

    private object? ReadInteger(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Number)
        {
            return Mismatch(path, "an integer", element);
        }
        if (element.TryGetInt64(out var value))
        {
            return value;
        }
        issues.Error(path, element.TryGetDecimal(out var number) && number == decimal.Truncate(number)
            ? $"number {element.GetRawText()} is out of range"
            : $"expected an integer, got {element.GetRawText()}");
        return null;
    }

    private object? Mismatch(string path, string expected, JsonElement actual)
    {
        issues.Error(path, $"expected {expected}, got {Describe(actual)}");
        return null;
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{element.GetRawText()}",
        _ => "null",
    };

    private Dictionary<string, JsonPropertyInfo> PropertiesOf(JsonTypeInfo info)
    {
        if (!_properties.TryGetValue(info.Type, out var properties))
        {
            properties = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
            _properties[info.Type] = properties;
        }
        return properties;
    }
}
