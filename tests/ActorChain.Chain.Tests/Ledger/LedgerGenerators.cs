using System.Text;
using ActorChain.Chain.Ledger;
using FsCheck;
using FsCheck.Fluent;

namespace ActorChain.Chain.Tests.Ledger;

/// <summary>FsCheck generators for payloads, files and queries over small vocabularies, so values collide often.</summary>
internal static class LedgerGenerators
{
    public static readonly string[] TagWords = ["family", "beach", "cat", "dog", "xmas", "birthday", "hike", "snow", "city", "food", "sunset", "ål"];
    public static readonly string[] People = ["alice", "bob", "carol", "dave"];
    public static readonly string[] Albums = ["summer", "winter", "misc"];
    public static readonly string[] NameStarts = ["IMG_", "img_", "DSC", "Holiday ", "holiday-", "Émile ", "scan"];
    public static readonly GeoPoint[] Places =
    [
        new(59.9139, 10.7522), new(-17.7, 179.95), new(-17.7, -179.95), new(89.7, 45), new(-89.8, -120), new(0, 0), new(51.5, -0.12),
    ];

    public static readonly long BaseDate = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    public const long Day = 86_400_000;

    public static Gen<string> Word(params string[] words) =>
        from w in Gen.Elements(words)
        from n in Gen.Choose(0, 40)
        select n < 30 ? w : w + n;

    public static Gen<double> Latitude => Gen.Choose(-90_000, 90_000).Select(x => x / 1000.0);

    public static Gen<double> Longitude => Gen.Choose(-180_000, 180_000).Select(x => x / 1000.0);

    /// <summary>Near a known place (including both sides of the antimeridian and the poles) or anywhere.</summary>
    public static Gen<GeoPoint> Point =>
        Gen.Frequency(
            (3, from place in Gen.Elements(Places)
                from dLat in Gen.Choose(-500, 500)
                from dLon in Gen.Choose(-500, 500)
                select new GeoPoint(Math.Clamp(place.Latitude + (dLat / 1000.0), -90, 90), Wrap(place.Longitude + (dLon / 1000.0)))),
            (1, from lat in Latitude from lon in Longitude select new GeoPoint(lat, lon)));

    public static Gen<long> Date => from day in Gen.Choose(0, 3650) from ms in Gen.Choose(0, 86_399_999) select BaseDate + (day * Day) + ms;

    public static Gen<string[]> Tags(string[] words, int max) =>
        from tags in Gen.SubListOf(words)
        select tags.Take(max).ToArray();

    public static Gen<FieldValue> AnyFieldValue =>
        Gen.OneOf(
            Word("x", "hello world", "ключ", "😀").Select(FieldValue.String),
            Gen.Choose(-1_000_000, 1_000_000).Select(x => FieldValue.Number(x / 8.0)),
            Date.Select(FieldValue.Date),
            Point.Select(FieldValue.Geo),
            Tags(TagWords, 64).Select(tags => FieldValue.Tags(tags)));

    public static Gen<MediaMetadata?> Media =>
        from has in Gen.Choose(0, 4)
        from taken in Gen.OneOf(Date.Select(d => (long?)d), Gen.Constant((long?)null))
        from make in Gen.Elements<string?>(null, "Canon", "Fujifilm", "Nikon Corporation")
        from model in Gen.Elements<string?>(null, "EOS 5D", "X100V")
        from place in Gen.OneOf(Point.Select(p => (GeoPoint?)p), Gen.Constant((GeoPoint?)null))
        from width in Gen.Elements<int?>(null, 1, 4000, LedgerLimits.MaxImageDimension)
        from height in Gen.Elements<int?>(null, 3000)
        select has == 0 ? null : new MediaMetadata(taken, make, model, place, width, height);

    public static Gen<KeyValuePair<string, FieldValue>[]> Fields =>
        from count in Gen.Choose(0, 3)
        from values in Gen.ArrayOf(AnyFieldValue, count)
        select values.Select((v, i) => new KeyValuePair<string, FieldValue>($"field_{i}-{(int)v.Type}", v)).ToArray();

    public static Gen<FileAddPayload> FileAdd =>
        from id in Word("f", "photo.2020", "a-b_c")
        from size in Gen.Choose(0, int.MaxValue)
        from name in Word(NameStarts)
        from tags in Tags(TagWords, 64)
        from fields in Fields
        from media in Media
        select new FileAddPayload(id, Hash256.Compute(Encoding.UTF8.GetBytes(id)), size * 3L, name, "image/jpeg", tags, fields, media);

    public static Gen<FileMetaPayload> FileMeta =>
        from id in Word("f", "g")
        from add in Tags(TagWords[..6], 6)
        from remove in Tags(TagWords[6..], 6)
        from set in Fields
        from clear in Gen.SubListOf(["rating", "album", "zz"])
        select new FileMetaPayload(id, add, remove, set, clear);

    /// <summary>Any payload with its kind, as built (not yet encoded).</summary>
    public static Gen<(EntryKind Kind, object Payload)> AnyPayload =>
        Gen.OneOf(
            from key in Word("k", "a/b/c", "ключ", "😀")
            from value in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            select (EntryKind.KvPut, (object)new KvPutPayload(key, value)),
            Word("k", "x").Select(k => (EntryKind.KvDelete, (object)new KvDeletePayload(k))),
            FileAdd.Select(p => (EntryKind.FileAdd, (object)p)),
            FileMeta.Select(p => (EntryKind.FileMeta, (object)p)),
            Word("f").Select(f => (EntryKind.FileDelete, (object)new FileDeletePayload(f))),
            from name in Word("rating", "album", "a_b-c")
            from type in Gen.Choose(1, 5)
            select (EntryKind.FieldDefine, (object)new FieldDefinePayload(name, (FieldType)type)),
            from task in Word("task", "nightly backup")
            from node in Word("node-a", "node-b")
            select (EntryKind.TaskClaim, (object)new TaskClaimPayload(task, node)),
            Word("n").Select(n => (EntryKind.VoterAdd, (object)new VoterAddPayload(n))),
            Word("n").Select(n => (EntryKind.VoterRemove, (object)new VoterRemovePayload(n))));

    public static byte[] Encode(object payload) => payload switch
    {
        KvPutPayload p => p.Encode(),
        KvDeletePayload p => p.Encode(),
        FileAddPayload p => p.Encode(),
        FileMetaPayload p => p.Encode(),
        FileDeletePayload p => p.Encode(),
        FieldDefinePayload p => p.Encode(),
        TaskClaimPayload p => p.Encode(),
        VoterAddPayload p => p.Encode(),
        VoterRemovePayload p => p.Encode(),
        _ => throw new ArgumentException(payload.GetType().Name),
    };

    public static object Decode(EntryKind kind, ReadOnlySpan<byte> bytes) => kind switch
    {
        EntryKind.KvPut => KvPutPayload.Decode(bytes),
        EntryKind.KvDelete => KvDeletePayload.Decode(bytes),
        EntryKind.FileAdd => FileAddPayload.Decode(bytes),
        EntryKind.FileMeta => FileMetaPayload.Decode(bytes),
        EntryKind.FileDelete => FileDeletePayload.Decode(bytes),
        EntryKind.FieldDefine => FieldDefinePayload.Decode(bytes),
        EntryKind.TaskClaim => TaskClaimPayload.Decode(bytes),
        EntryKind.VoterAdd => VoterAddPayload.Decode(bytes),
        EntryKind.VoterRemove => VoterRemovePayload.Decode(bytes),
        _ => throw new ArgumentException(kind.ToString()),
    };

    private static double Wrap(double longitude) => longitude > 180 ? longitude - 360 : longitude < -180 ? longitude + 360 : longitude;
}
