namespace ActorChain.Hocon;

/// <summary>Where a token or value came from; line and column are 1-based.</summary>
internal readonly record struct HoconOrigin(string FileName, int Line, int Column)
{
    public override string ToString() => $"{FileName}:{Line}:{Column}";
}
