using ActorChain.Gateway.Files;

namespace ActorChain.Gateway.Tests;

public sealed class MediaMetadataReaderTests
{
    [Fact]
    public void Read_JpegWithExifAndGps_GivesDateCameraPlaceAndSize()
    {
        var jpeg = ExifJpeg.Create("Canon", "EOS R6", "2024:07:14 09:30:00", 48.8584, -2.2945, 640, 480);

        var media = MediaMetadataReader.Read(new MemoryStream(jpeg));

        Assert.NotNull(media);
        Assert.Equal(new DateTimeOffset(2024, 7, 14, 9, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), media.TakenAtUnixMs);
        Assert.Equal("Canon", media.CameraMake);
        Assert.Equal("EOS R6", media.CameraModel);
        Assert.Equal(48.8584, media.Location!.Value.Latitude, 3);
        Assert.Equal(-2.2945, media.Location!.Value.Longitude, 3);
        Assert.Equal(640, media.Width);
        Assert.Equal(480, media.Height);
    }

    [Fact]
    public void Read_ImpossibleDate_DropsOnlyTheDate()
    {
        var jpeg = ExifJpeg.Create("Nikon", "Z6", "2024:13:45 99:99:99", 10, 20, 8, 8);

        var media = MediaMetadataReader.Read(new MemoryStream(jpeg));

        Assert.NotNull(media);
        Assert.Null(media.TakenAtUnixMs);
        Assert.Equal("Nikon", media.CameraMake);
        Assert.Equal(10, media.Location!.Value.Latitude, 3);
    }

    [Theory]
    [InlineData("bytes=0-9", 100, 0, 10)]
    [InlineData("bytes=90-", 100, 90, 10)]
    [InlineData("bytes=-5", 100, 95, 5)]
    [InlineData("bytes=-500", 100, 0, 100)]
    [InlineData("bytes=10-5000", 100, 10, 90)]
    public void TryRange_OneSatisfiableRange_GivesOffsetAndLength(string header, long size, long offset, long length)
    {
        Assert.True(GatewayApi.TryRange(header, size, out var o, out var l));
        Assert.Equal((offset, length), (o, l));
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=5-2", 100)]
    [InlineData("bytes=-0", 100)]
    [InlineData("bytes=0-1,4-5", 100)]
    [InlineData("items=0-1", 100)]
    [InlineData("bytes=abc", 100)]
    [InlineData("bytes=0-", 0)]
    public void TryRange_UnsatisfiableOrMalformed_IsRefused(string header, long size) =>
        Assert.False(GatewayApi.TryRange(header, size, out _, out _));
}
