using System.Text.Json;
using System.Text.Json.Serialization;
using ActorChain.Chain;
using ActorChain.Node.Chain;

namespace ActorChain.Node;

/// <summary>200 of GET /api/chain/verify: whether this node's durable chain checks out from genesis; Height is the last block that did.</summary>
internal sealed record ChainVerifyView(
    bool Valid,
    long Height,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? FirstInvalidHeight,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChainVerifyView))]
internal sealed partial class ChainVerifyJsonContext : JsonSerializerContext;

/// <summary>GET /api/chain/verify (DESIGN §8): re-verifies the journal's blocks, read in batches so a long chain is never held at once.</summary>
internal sealed partial class ActorChainNode
{
    public const int VerifyBatchBlocks = 256;

    private void MapVerifyEndpoint(RouteGroupBuilder chain) => chain.MapGet("/verify", (Func<HttpContext, Task<IResult>>)VerifyChainAsync);

    private async Task<IResult> VerifyChainAsync(HttpContext http)
    {
        try
        {
            var view = await VerifyDurableChainAsync(http.RequestAborted);
            return Results.Json(view, ChainVerifyJsonContext.Default.ChainVerifyView);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            return Problem(StatusCodes.Status500InternalServerError, "Verification failed", $"{Settings.NodeId} could not read its block store to verify it: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<ChainVerifyView> VerifyDurableChainAsync(CancellationToken cancellationToken)
    {
        var store = Chain.Blocks;
        // Decided blocks reach the journal in batches: verify at least everything decided before this request.
        await Chain.Client.FlushJournalAsync(cancellationToken);

        // The chain appends while we read: verify up to the head seen now, which is durable and never changes.
        var head = store.Height;
        var genesisHash = NodeChain.Genesis(Settings).Hash;

        // Signatures are checked against the voters' keys the node's own ledger derived from the chain.
        var voterKeys = Settings.Chain.VoterKeys is null ? null : await Chain.Client.QueryAsync(ledger => ledger.VoterKeys, cancellationToken);
        ChainVerificationResult? result = null;
        for (var from = 0L; from <= head;)
        {
            var batch = await store.ReadEncodedRangeAsync(from, (int)Math.Min(VerifyBatchBlocks, head - from + 1), cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            var encoded = batch.Select(b => (ReadOnlyMemory<byte>)b);
            result = result is null
                ? ChainVerifier.VerifyEncoded(encoded, Settings.ClusterId, genesisHash, voterKeys)
                : ChainVerifier.VerifyEncodedFrom(result.Height, result.HeadHash, encoded, voterKeys);
            if (!result.IsValid)
            {
                return new ChainVerifyView(false, result.Height, result.FirstInvalidHeight, result.Reason);
            }

            from += batch.Count;
        }

        var height = result?.Height ?? -1;
        if (store.Corruption is { } corruption)
        {
            return new ChainVerifyView(false, height, corruption.Height, corruption.Reason);
        }

        return result is null
            ? new ChainVerifyView(false, -1, 0, $"{Settings.NodeId}'s block store holds no block 0.")
            : new ChainVerifyView(true, height, null, null);
    }
}
