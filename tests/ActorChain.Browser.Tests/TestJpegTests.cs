using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Jpeg;

namespace ActorChain.Browser.Tests;

/// <summary>The specs' JPEGs carry EXIF the gateway's reader (MetadataExtractor) understands.</summary>
public sealed class TestJpegTests
{
    [Fact]
    public void Exif_ReadsBack_AsTheDateTakenAndTheGpsPosition_AndTheFrameAsItsSize()
    {
        var jpeg = TestJpeg.Create(64, 48, (x, y) => (byte)(x * y), new TestJpeg.Exif(new DateTime(2024, 7, 14, 9, 30, 5), -33.8688, 151.2093));

        var directories = ImageMetadataReader.ReadMetadata(new MemoryStream(jpeg));

        var frame = directories.OfType<JpegDirectory>().Single();
        Assert.Equal((64, 48), (frame.GetImageWidth(), frame.GetImageHeight()));
        Assert.True(directories.OfType<ExifSubIfdDirectory>().Single().TryGetDateTime(ExifDirectoryBase.TagDateTimeOriginal, out var taken));
        Assert.Equal(new DateTime(2024, 7, 14, 9, 30, 5), taken);
        var position = directories.OfType<GpsDirectory>().Single().GetGeoLocation();
        Assert.NotNull(position);
        Assert.Equal(-33.8688, position.Latitude, 4);
        Assert.Equal(151.2093, position.Longitude, 4);
    }
}
