using System.Text.Json;
using ActorChain.Chain;
using ActorChain.Chain.Ledger;
using ActorChain.Consensus.Actors;
using Microsoft.AspNetCore.Http;

namespace ActorChain.Gateway;

/// <summary>POST /api/tasks/{taskId}/claim and GET /api/tasks/{taskId}: the first claim in chain order wins, on every node.</summary>
internal sealed partial class GatewayApi
{
    private const int MaxClaimantBytes = Entry.MaxNodeIdBytes;

    private async Task<IResult> ClaimTaskAsync(string taskId, HttpContext http)
    {
        if (CheckTaskId(taskId) is { } badTask)
        {
            return badTask;
        }

        var (entryId, badId) = EntryIdOf(http.Request);
        if (badId is not null)
        {
            return badId;
        }

        var (json, problem) = await ReadJsonObjectAsync(http.Request, allowEmpty: true);
        if (problem is not null)
        {
            return problem;
        }

        var claimant = NodeId;
        using (json)
        {
            foreach (var property in json?.RootElement.EnumerateObject() ?? default)
            {
                if (property.Name != "claimant")
                {
                    return BadRequest("Bad claim", $"'{Shorten(property.Name)}' is not a property of a claim; it has only claimant.");
                }

                if (property.Value.ValueKind != JsonValueKind.String || !IsText(property.Value.GetString()!, MaxClaimantBytes, out _))
                {
                    return BadRequest("Bad claimant", $"claimant is a string of 1 to {MaxClaimantBytes} UTF-8 bytes without control characters.");
                }

                claimant = property.Value.GetString()!;
            }
        }

        try
        {
            var (result, submitProblem) = await SubmitAsync(NewEntry(entryId!, EntryKind.TaskClaim, new TaskClaimPayload(taskId, claimant).Encode()), http);
            if (submitProblem is not null)
            {
                return submitProblem;
            }

            if (result!.Status is not (EntryStatus.Applied or EntryStatus.Lost))
            {
                return Problem(StatusCodes.Status409Conflict, "Claim rejected", $"The ledger rejected task.claim {result.EntryId} at height {result.Height}: {result.Reason}.");
            }

            var winner = await Chain.QueryAsync(ledger => ledger.TryGetTaskWinner(taskId, out var w) ? w : null, http.RequestAborted);
            return winner is null
                ? Problem(StatusCodes.Status409Conflict, "Claim not recorded", $"task.claim {result.EntryId} committed at height {result.Height}, yet {NodeId} knows no winner of '{taskId}'.")
                : Results.Json(
                    new TaskClaimView(taskId, winner.NodeId, winner.Height, string.Equals(winner.NodeId, claimant, StringComparison.Ordinal)),
                    GatewayJsonContext.Default.TaskClaimView);
        }
        catch (ChainUnavailableException e)
        {
            return Unavailable(e);
        }
    }

    private async Task<IResult> GetTaskAsync(string taskId, HttpContext http)
    {
        if (CheckTaskId(taskId) is { } badTask)
        {
            return badTask;
        }

        var winner = await Chain.QueryAsync(ledger => ledger.TryGetTaskWinner(taskId, out var w) ? w : null, http.RequestAborted);
        return winner is null
            ? Problem(StatusCodes.Status404NotFound, "Task not claimed", $"No claim of task '{Shorten(taskId)}' is in {NodeId}'s chain at height {Chain.Head.Height}.")
            : Results.Json(new TaskView(taskId, winner.NodeId, winner.Height), GatewayJsonContext.Default.TaskView);
    }

    private static IResult? CheckTaskId(string taskId) =>
        IsText(taskId, LedgerLimits.MaxTaskIdBytes, out var bytes)
            ? null
            : BadRequest("Bad task id", $"A task id is 1 to {LedgerLimits.MaxTaskIdBytes} UTF-8 bytes without control characters{(bytes > LedgerLimits.MaxTaskIdBytes ? $", not {bytes}" : string.Empty)}.");
}
