using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Chain.Signing;
using ActorChain.Gateway;

namespace ActorChain.Node;

/// <summary>A committed voter change: the block that holds it and the voters from the next height on.</summary>
internal sealed record VoterChangeResult(string NodeId, string Change, long Height, string BlockHash, string EntryId, string[] Voters);

/// <summary>
/// <c>POST /api/cluster/voters/{nodeId}</c> (voter.add) and <c>DELETE /api/cluster/voters/{nodeId}</c>
/// (voter.remove): the voter set changes through the chain, one change per block, effective from the
/// next height (DESIGN §4). Downing a member does not change the voters: a downed voter still counts
/// in the quorum size until it is removed here.
/// </summary>
internal sealed partial class ActorChainNode
{
    private void MapVoterEndpoints()
    {
        var voters = Web.MapGroup("/api/cluster/voters");
        // Typed as returning IResult: a bare HttpContext-to-Task lambda would be taken as a RequestDelegate and its result dropped.
        voters.MapGet(string.Empty, (Func<HttpContext, Task<IResult>>)(async http =>
            Results.Json(await ChainService.QueryAsync(ledger => ledger.Voters.ToArray(), http.RequestAborted), ChainJsonContext.Default.StringArray)));
        voters.MapPost("/{nodeId}", (string nodeId, HttpContext http) => ChangeVotersAsync(nodeId, add: true, http));
        voters.MapDelete("/{nodeId}", (string nodeId, HttpContext http) => ChangeVotersAsync(nodeId, add: false, http));
    }

    private async Task<IResult> ChangeVotersAsync(string nodeId, bool add, HttpContext http)
    {
        // In a signed chain a new voter's public key travels in its voter.add (the output of --generate-key).
        var publicKeyText = http.Request.Query["publicKey"].ToString();
        VoterKey? publicKey = null;
        if (publicKeyText.Length > 0)
        {
            if (!add)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad public key", "publicKey goes with adding a voter (POST), not with removing one.");
            }

            try
            {
                publicKey = VoterKey.FromBase64SubjectPublicKeyInfo(publicKeyText);
            }
            catch (ArgumentException e)
            {
                return Problem(StatusCodes.Status400BadRequest, "Bad public key", $"publicKey is {e.Message.TrimEnd('.')}.");
            }
        }

        byte[] payload;
        try
        {
            payload = add ? new VoterAddPayload(nodeId, publicKey).Encode() : new VoterRemovePayload(nodeId).Encode();
        }
        catch (ArgumentException e)
        {
            return Problem(StatusCodes.Status400BadRequest, "Bad node id", e.Message);
        }

        var (entryId, badId) = GatewayApi.EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var kind = add ? EntryKind.VoterAdd : EntryKind.VoterRemove;
        var entry = new Entry(entryId!, kind, payload, Settings.NodeId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var (result, problem) = await CommitAsync(entry, http);
        if (problem is not null)
        {
            return problem;
        }

        if (result.Status == EntryStatus.Rejected)
        {
            // Already a voter, not a voter, the last voter, or a second change in one block (retry).
            return Problem(StatusCodes.Status409Conflict, "Voter change rejected", $"The ledger rejected {kind.ToWireName()} {nodeId} at height {result.Height}: {result.Reason}.");
        }

        var voters = await ChainService.QueryAsync(ledger => ledger.Voters.ToArray(), http.RequestAborted);
        return Results.Json(
            new VoterChangeResult(nodeId, kind.ToWireName(), result.Height, result.BlockHash.ToString(), result.EntryId, voters),
            ChainJsonContext.Default.VoterChangeResult);
    }
}
