using System.Diagnostics;
using ActorChain.Chain;
using Microsoft.WindowsAzure.Storage.Table;

namespace ActorChain.Persistence.Azure;

public sealed partial class AzureTableBlockStore
{
    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        DynamicTableEntity? previous = null;
        var going = true;
        await foreach (var row in QueryAsync(PartitionFilter(), cancellationToken).ConfigureAwait(false))
        {
            // One row behind, so the row being checked is known to be the tail or not.
            if (previous is not null && !(going = await AcceptAsync(previous, isTail: false, cancellationToken).ConfigureAwait(false)))
            {
                break;
            }

            previous = row;
        }

        if (going && previous is not null)
        {
            await AcceptAsync(previous, isTail: true, cancellationToken).ConfigureAwait(false);
        }

        if (_corruption is { } corruption)
        {
            AzureLog.JournalCorrupt(_logger, _table.Name, NodeId, corruption.Height, corruption.Reason, _head.Height);
        }

        AzureLog.JournalVerified(_logger, _table.Name, NodeId, _head.Height, _head.Hash.ToString(), stopwatch.ElapsedMilliseconds);
    }

    /// <summary>Checks one row as the next block: serves it, cuts it off as a torn tail, or records the corruption. False stops the scan.</summary>
    private async Task<bool> AcceptAsync(DynamicTableEntity row, bool isTail, CancellationToken cancellationToken)
    {
        var next = _head.Height + 1;
        if (!BlockRows.TryParseRowKey(row.RowKey, out var height))
        {
            return Corrupt(next, $"Block {next} is missing: the next row of partition {NodeId} has row key '{row.RowKey}', which is not a height.", null);
        }

        if (height != next)
        {
            return Corrupt(next, $"Block {next} is missing: the row after block {next - 1} holds block {height}.", null);
        }

        var (bytes, problem, incomplete) = await BlockRows.ReadAsync(_container, row, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            if (incomplete && isTail)
            {
                row.ETag = "*";
                await _table.ExecuteAsync(TableOperation.Delete(row), null, null, cancellationToken).ConfigureAwait(false);
                AzureLog.JournalTornTail(_logger, _table.Name, NodeId, height, problem!);
                return false;
            }

            return Corrupt(height, $"Block {height} in table {_table.Name}: {problem}.", null);
        }

        var verification = _head.Height < 0
            ? ChainVerifier.VerifyEncoded([bytes], _expectedClusterId)
            : ChainVerifier.VerifyEncodedFrom(_head.Height, _head.Hash, [bytes]);
        if (!verification.IsValid)
        {
            return Corrupt(height, verification.Reason!, verification.Fault);
        }

        _head = new Head(height, verification.HeadHash);
        return true;
    }

    private bool Corrupt(long height, string reason, ChainFault? fault)
    {
        _corruption = new JournalCorruption(height, reason, fault);
        return false;
    }
}
