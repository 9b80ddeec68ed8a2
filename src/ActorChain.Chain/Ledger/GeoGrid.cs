namespace ActorChain.Chain.Ledger;

/// <summary>
/// Cells of 0.1 x 0.1 degrees (about 11 km at the equator): small enough that a city-sized
/// radius touches a few hundred cells, while the dictionary stays sparse. A cover is a
/// superset of the cells a shape touches; the exact test runs on each candidate afterwards.
/// </summary>
internal static class GeoGrid
{
    public const int CellsPerDegree = 10;
    public const int LatCells = 180 * CellsPerDegree;
    public const int LonCells = 360 * CellsPerDegree;

    // Far above the rounding of asin/haversine, far below a cell: keeps the cover a superset.
    private const double MarginDegrees = 1e-6;

    // floor((x + offset) * 10) is monotone in x under IEEE rounding, so a point inside a shape's
    // bounds always falls in a cell between the bounds' cells.
    public static int LatIndex(double latitude) => Math.Clamp((int)Math.Floor((latitude + 90) * CellsPerDegree), 0, LatCells - 1);

    public static int LonIndex(double longitude) => Math.Clamp((int)Math.Floor((longitude + 180) * CellsPerDegree), 0, LonCells - 1);

    public static int CellOf(GeoPoint point) => (LatIndex(point.Latitude) * LonCells) + LonIndex(point.Longitude);

    public static Cover ForBox(GeoBox box) =>
        box.CrossesAntimeridian
            ? new Cover(LatIndex(box.South), LatIndex(box.North), LonIndex(box.West), LonCells - 1, 0, LonIndex(box.East))
            : new Cover(LatIndex(box.South), LatIndex(box.North), LonIndex(box.West), LonIndex(box.East), 1, 0);

    /// <summary>The bounding box of a spherical cap (J. P. Matuschek's method), split at the antimeridian.</summary>
    public static Cover ForCircle(GeoCircle circle)
    {
        var angular = circle.RadiusKm / GeoPoint.EarthRadiusKm;
        var dLat = double.RadiansToDegrees(angular) + MarginDegrees;
        var south = circle.Latitude - dLat;
        var north = circle.Latitude + dLat;
        var latFrom = LatIndex(Math.Max(south, -90));
        var latTo = LatIndex(Math.Min(north, 90));
        if (south <= -90 || north >= 90)
        {
            return new Cover(latFrom, latTo, 0, LonCells - 1, 1, 0);
        }

        var ratio = Math.Sin(angular) / Math.Cos(double.DegreesToRadians(circle.Latitude));
        if (ratio >= 1)
        {
            return new Cover(latFrom, latTo, 0, LonCells - 1, 1, 0);
        }

        var dLon = double.RadiansToDegrees(Math.Asin(ratio)) + MarginDegrees;
        var west = circle.Longitude - dLon;
        var east = circle.Longitude + dLon;
        if (dLon >= 180)
        {
            return new Cover(latFrom, latTo, 0, LonCells - 1, 1, 0);
        }

        if (west < -180)
        {
            return new Cover(latFrom, latTo, LonIndex(west + 360), LonCells - 1, 0, LonIndex(east));
        }

        if (east > 180)
        {
            return new Cover(latFrom, latTo, LonIndex(west), LonCells - 1, 0, LonIndex(east - 360));
        }

        return new Cover(latFrom, latTo, LonIndex(west), LonIndex(east), 1, 0);
    }

    /// <summary>Cells in rows LatFrom..LatTo and columns LonFrom..LonTo plus LonFrom2..LonTo2 (empty when From2 &gt; To2).</summary>
    internal readonly record struct Cover(int LatFrom, int LatTo, int LonFrom, int LonTo, int LonFrom2, int LonTo2)
    {
        public long CellCount =>
            (long)(LatTo - LatFrom + 1) * ((LonTo - LonFrom + 1) + Math.Max(0, LonTo2 - LonFrom2 + 1));

        public bool Contains(int cell)
        {
            var lat = cell / LonCells;
            var lon = cell % LonCells;
            return lat >= LatFrom && lat <= LatTo && ((lon >= LonFrom && lon <= LonTo) || (lon >= LonFrom2 && lon <= LonTo2));
        }

        public IEnumerable<int> Cells()
        {
            for (var lat = LatFrom; lat <= LatTo; lat++)
            {
                for (var lon = LonFrom; lon <= LonTo; lon++)
                {
                    yield return (lat * LonCells) + lon;
                }

                for (var lon = LonFrom2; lon <= LonTo2; lon++)
                {
                    yield return (lat * LonCells) + lon;
                }
            }
        }
    }
}
