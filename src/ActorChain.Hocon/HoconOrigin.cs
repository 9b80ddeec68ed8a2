namespace ActorChain.Hocon;

/// <summary>Where a token or value came from; line and column are 1-based, 0 for the file as a whole.</summary>
internal readonly record struct HoconOrigin(string FileName, int Line, int Column)
{
    public override string ToString() => Line > 0 ? $"{FileName}:{Line}:{Column}" : FileName;
}
