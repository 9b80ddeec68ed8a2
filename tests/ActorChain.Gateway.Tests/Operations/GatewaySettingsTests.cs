using ActorChain.Node.Configuration;
using ActorChain.Tests.Harness;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ActorChain.Gateway.Tests.Operations;

/// <summary><c>actorchain.gateway.api-keys</c> and <c>actorchain.gateway.limits</c> as the node loads them from reference.conf.</summary>
public sealed class GatewaySettingsTests
{
    [Fact]
    public void ReferenceConf_HasNoApiKeys_AndKestrelsOwnLimits()
    {
        var gateway = Load(new Dictionary<string, string?>()).Gateway;
        var kestrel = new KestrelServerLimits();

        Assert.Empty(gateway.ApiKeys);
        Assert.Equal(kestrel.MaxRequestLineSize, gateway.Limits.MaxRequestLineSize);
        Assert.Equal(kestrel.MaxRequestHeadersTotalSize, gateway.Limits.MaxRequestHeadersSize);
        Assert.Equal(kestrel.MaxRequestHeaderCount, gateway.Limits.MaxRequestHeaderCount);
        Assert.Equal(kestrel.MaxRequestBodySize, gateway.Limits.MaxRequestBodySize);
        Assert.Equal(kestrel.RequestHeadersTimeout, gateway.Limits.RequestHeadersTimeout);
        Assert.Equal(kestrel.KeepAliveTimeout, gateway.Limits.KeepAliveTimeout);
    }

    [Fact]
    public void ApiKeys_ByIndex_AreLoaded_AsTheEnvironmentVariablesSetThem()
    {
        // ACTORCHAIN__GATEWAY__APIKEYS__0 is the configuration key actorchain:gateway:apikeys:0.
        var gateway = Load(new Dictionary<string, string?>
        {
            ["actorchain:gateway:apikeys:0"] = "first-key-0123456789",
            ["actorchain:gateway:apikeys:1"] = "second-key-0123456789",
        }).Gateway;

        Assert.Equal(["first-key-0123456789", "second-key-0123456789"], gateway.ApiKeys);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in the middle")]
    [InlineData("")]
    [InlineData("non-ascii-key-ééééééééé")]
    public void ApiKey_TooShortOrNotVisibleAscii_IsAConfigurationError(string key)
    {
        var error = Assert.Throws<NodeConfigurationException>(() => Load(new Dictionary<string, string?> { ["actorchain:gateway:apikeys:0"] = key }));

        Assert.Contains("actorchain.gateway.api-keys[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_AreRead_FromTheLimitsSection()
    {
        var limits = Load(new Dictionary<string, string?>
        {
            ["actorchain:gateway:limits:maxrequestheaderssize"] = "16KiB",
            ["actorchain:gateway:limits:maxrequestbodysize"] = "1MiB",
        }).Gateway.Limits;

        Assert.Equal(16 * 1024, limits.MaxRequestHeadersSize);
        Assert.Equal(1024 * 1024, limits.MaxRequestBodySize);
    }

    [Fact]
    public void Limits_BelowTheirFloor_AreAConfigurationError() =>
        Assert.Throws<NodeConfigurationException>(() => Load(new Dictionary<string, string?> { ["actorchain:gateway:limits:maxrequestlinesize"] = "100b" }));

    private static NodeSettings Load(Dictionary<string, string?> overrides) =>
        new NodeSpec("settings", 4053, 8081, Path.Combine(Path.GetTempPath(), "actorchain-settings-unused"), [], overrides).Load();
}
