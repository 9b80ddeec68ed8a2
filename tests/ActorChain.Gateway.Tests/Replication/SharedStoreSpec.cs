using System.Net;
using ActorChain.Chain;
using ActorChain.Persistence;
using ActorChain.Tests.Harness;

namespace ActorChain.Gateway.Tests.Replication;

/// <summary>Nodes sharing one store (actorchain.gateway.files-shared): nothing is copied, and lost bytes are a 503, not a 404.</summary>
public sealed class SharedStoreSpec(GatewayCluster cluster) : IClassFixture<GatewayCluster>
{
    [Fact]
    public async Task Content_OfAFileWhoseBytesTheSharedStoreLost_Is503WithRetryAfter_NotA404()
    {
        var bytes = Api.RandomBytes(20_000, seed: 301);
        var id = Api.Sha256Hex(bytes);
        await Api.UploadAsync(cluster["n1"], bytes, "shared.png");
        var n2 = cluster["n2"];
        await Eventually.UntilAsync(async () => (await n2.GetAsync($"/api/files/{id}")).IsSuccessStatusCode, MultiNodeCluster.DefaultWait, "n2 never knew the file");
        Assert.Equal(bytes, await n2.GetByteArrayAsync($"/api/files/{id}/content"));

        Assert.True(await new LocalFileStore(cluster.FilesDirectory).DeleteAsync(Hash256.Parse(id)));

        using var response = await n2.GetAsync($"/api/files/{id}/content");
        await Api.ExpectProblemAsync(response, HttpStatusCode.ServiceUnavailable, "shared file store does not hold them");
        Assert.NotNull(response.Headers.RetryAfter);
    }
}
