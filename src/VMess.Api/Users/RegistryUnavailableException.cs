namespace VMess.Api.Users;

/// <summary>The registry could not be read in time; the API answers UNAVAILABLE with the message.</summary>
public sealed class RegistryUnavailableException(string message) : Exception(message);
