namespace ActorChain.Chain;

/// <summary>
/// One change to the ledger. <see cref="Id"/> is the idempotency key: an id already in the
/// chain is never applied twice.
/// </summary>
public sealed class Entry
{
    public const int MaxIdBytes = 256;
    public const int MaxNodeIdBytes = 64;
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    private readonly byte[] _payload;

    public Entry(string id, EntryKind kind, ReadOnlySpan<byte> payload, string origin, long submittedAtUnixMs)
        : this(id, kind, payload.ToArray(), origin, submittedAtUnixMs, validate: true)
    {
    }

    // Takes ownership of the payload array: only for the decoder and builders that made it.
    internal Entry(string id, EntryKind kind, byte[] payload, string origin, long submittedAtUnixMs, bool validate)
    {
        if (validate)
        {
            ChainLimits.ValidateText(id, MaxIdBytes, "entry id");
            ChainLimits.ValidateText(origin, MaxNodeIdBytes, "origin node id");
            if (!EntryKinds.IsDefined(kind))
            {
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown entry kind.");
            }

            if (payload.Length > MaxPayloadBytes)
            {
                throw new ArgumentException($"An entry payload is at most {MaxPayloadBytes} bytes, not {payload.Length}.", nameof(payload));
            }
        }

        Id = id;
        Kind = kind;
        _payload = payload;
        Origin = origin;
        SubmittedAtUnixMs = submittedAtUnixMs;
    }

    public string Id { get; }

    public EntryKind Kind { get; }

    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>The node id the entry was first submitted to.</summary>
    public string Origin { get; }

    public long SubmittedAtUnixMs { get; }

    public override string ToString() => $"{Kind.ToWireName()} {Id} ({_payload.Length} bytes from {Origin})";
}
