using System.Collections.Immutable;
using VMess.Configuration.Options;

namespace VMess.Configuration.Tests.Options;

public sealed class PolicyOptionsTests
{
    private static readonly LevelPolicy Quick = LevelPolicy.Default with { Handshake = TimeSpan.FromSeconds(4) };

    [Fact]
    public void ForLevel_should_return_the_configured_level()
    {
        var policy = new PolicyOptions(ImmutableDictionary<int, LevelPolicy>.Empty.Add(1, Quick), SystemPolicy.Default);

        Assert.Same(Quick, policy.ForLevel(1));
    }

    [Fact]
    public void ForLevel_should_return_V2Ray_defaults_for_a_level_not_configured()
    {
        var policy = new PolicyOptions(ImmutableDictionary<int, LevelPolicy>.Empty.Add(1, Quick), SystemPolicy.Default);

        Assert.Equal(LevelPolicy.Default, policy.ForLevel(0));
    }

    [Fact]
    public void Equals_should_compare_levels_by_value()
    {
        var a = new PolicyOptions(ImmutableDictionary<int, LevelPolicy>.Empty.Add(1, Quick), SystemPolicy.Default);
        var b = new PolicyOptions(ImmutableDictionary<int, LevelPolicy>.Empty.Add(1, Quick with { }), SystemPolicy.Default);

        Assert.Equal(a, b);
    }
}
