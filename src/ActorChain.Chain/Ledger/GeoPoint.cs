namespace ActorChain.Chain.Ledger;

/// <summary>A WGS-84 position in degrees; the constructor rejects anything off the globe.</summary>
public readonly record struct GeoPoint
{
    public const double EarthRadiusKm = 6371.0088;

    public GeoPoint(double latitude, double longitude)
    {
        Latitude = LedgerRules.Latitude(latitude);
        Longitude = LedgerRules.Longitude(longitude);
    }

    public double Latitude { get; }

    public double Longitude { get; }

    /// <summary>Great-circle distance by the haversine formula, on the mean Earth radius.</summary>
    public double DistanceKm(GeoPoint other)
    {
        var lat1 = double.DegreesToRadians(Latitude);
        var lat2 = double.DegreesToRadians(other.Latitude);
        var dLat = lat2 - lat1;
        var dLon = double.DegreesToRadians(other.Longitude - Longitude);
        var sinLat = Math.Sin(dLat / 2);
        var sinLon = Math.Sin(dLon / 2);
        var a = (sinLat * sinLat) + (Math.Cos(lat1) * Math.Cos(lat2) * sinLon * sinLon);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    public override string ToString() => FormattableString.Invariant($"{Latitude},{Longitude}");
}
