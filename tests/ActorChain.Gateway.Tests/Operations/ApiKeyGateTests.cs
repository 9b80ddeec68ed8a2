using ActorChain.Gateway.Operations;
using Microsoft.AspNetCore.Http;

namespace ActorChain.Gateway.Tests.Operations;

public sealed class ApiKeyGateTests
{
    private const string Key = "0123456789abcdef-first";
    private const string OtherKey = "0123456789abcdef-second";

    [Fact]
    public void Gate_WithoutKeys_IsDisabled() => Assert.False(new ApiKeyGate([]).Enabled);

    [Fact]
    public void Gate_AcceptsEveryConfiguredKey_AndNothingElse()
    {
        var gate = new ApiKeyGate([Key, OtherKey]);

        Assert.True(gate.Accepts(Key));
        Assert.True(gate.Accepts(OtherKey));
        Assert.False(gate.Accepts(Key[..^1]));
        Assert.False(gate.Accepts(Key + "x"));
        Assert.False(gate.Accepts(Key.ToUpperInvariant()));
        Assert.False(gate.Accepts(string.Empty));
    }

    [Theory]
    [InlineData("POST", "/api/cluster/leave", true)]
    [InlineData("POST", "/api/cluster/down/n2", true)]
    [InlineData("PUT", "/api/kv/k", true)]
    [InlineData("DELETE", "/api/kv/k", true)]
    [InlineData("PATCH", "/api/files/x", true)]
    [InlineData("PUT", "/api/admin/faults/n2", true)]
    [InlineData("PUT", "/API/KV/k", true)]
    [InlineData("BREW", "/api/kv/k", true)]
    [InlineData("PUT", "/api", true)]
    [InlineData("GET", "/api/kv/k", false)]
    [InlineData("HEAD", "/api/kv/k", false)]
    [InlineData("OPTIONS", "/api/kv/k", false)]
    [InlineData("GET", "/api/admin/faults", false)]
    [InlineData("POST", "/apikeys", false)]
    [InlineData("POST", "/health/live", false)]
    public void Writes_UnderApi_AreGuarded_ReadsAreNot(string method, string path, bool guarded)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;

        Assert.Equal(guarded, ApiKeyGate.IsGuarded(context));
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc", "abc")]
    [InlineData("Bearer   abc  ", "abc")]
    [InlineData("Bearer ", null)]
    [InlineData("Basic YWxhZGRpbjpvcGVuc2VzYW1l", null)]
    [InlineData("Bearerabc", null)]
    public void BearerToken_IsTakenOnlyFromTheBearerScheme(string header, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;

        Assert.Equal(expected, ApiKeyGate.BearerToken(context.Request));
    }

    [Fact]
    public void BearerToken_FromTwoAuthorizationHeaders_IsNone()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = new Microsoft.Extensions.Primitives.StringValues(["Bearer " + Key, "Bearer other"]);

        Assert.Null(ApiKeyGate.BearerToken(context.Request));
    }
}
