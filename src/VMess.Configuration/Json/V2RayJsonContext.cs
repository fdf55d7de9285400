using System.Text.Json;
using System.Text.Json.Serialization;

namespace VMess.Configuration.Json;

/// <summary>
/// Source-generated metadata for the DTOs: <see cref="JsonBinder"/> reads property names, types and setters from it
/// instead of deserializing in one go, so one bad value does not hide the next. Names are V2Ray's camelCase.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(V2RayConfigJson))]
[JsonSerializable(typeof(VMessSettingsJson))]
[JsonSerializable(typeof(FreedomSettingsJson))]
[JsonSerializable(typeof(BlackholeSettingsJson))]
[JsonSerializable(typeof(VMessOutboundSettingsJson))]
[JsonSerializable(typeof(SocksSettingsJson))]
[JsonSerializable(typeof(HttpSettingsJson))]
[JsonSerializable(typeof(DokodemoSettingsJson))]
internal sealed partial class V2RayJsonContext : JsonSerializerContext;
