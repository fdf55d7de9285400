using VMess.Registry.ReadModel;

namespace VMess.Registry.Tests.ReadModel;

public sealed class UserBucketsTests
{
    [Fact]
    public void BucketOf_should_be_fixed_by_the_key_alone()
    {
        // Golden values: a change here moves users between DData keys across a rolling upgrade.
        Assert.Equal(GoldenAlice, UserBuckets.BucketOf("alice@example.com", 128));
        Assert.Equal(GoldenId, UserBuckets.BucketOf("b831381d-6324-4d53-ad4f-8cda48b30811", 128));
    }

    [Fact]
    public void BucketOf_should_spread_ten_thousand_keys_evenly_over_128_buckets()
    {
        var counts = new int[128];
        for (var i = 0; i < 10_000; i++) counts[UserBuckets.BucketOf($"user{i}@example.com", 128)]++;
        // Mean 78; a fair hash keeps every bucket well within half to double of that.
        Assert.All(counts, count => Assert.InRange(count, 39, 156));
    }

    [Fact]
    public void Key_should_name_the_bucket_users_n()
    {
        Assert.Equal("users-7", UserBuckets.Key(7).Id);
    }

    [Fact]
    public void BucketOf_should_handle_long_keys()
    {
        var bucket = UserBuckets.BucketOf(new string('x', 1000) + "@example.com", 64);
        Assert.InRange(bucket, 0, 63);
    }

    private const int GoldenAlice = 93;
    private const int GoldenId = 58;
}
