using Faceprint.Imaging;
using SkiaSharp;
using static Faceprint.Tests.Imaging.TestImages;

namespace Faceprint.Tests.Imaging;

public class ImageSnifferTests
{
    // The pixel limit is enforced from these header reads before Skia runs, so they must agree with the decoder.
    public static TheoryData<string, int, int> Encoded() => new()
    {
        { "png", 13, 7 },
        { "jpeg", 13, 7 },
        { "webp", 13, 7 },
        { "bmp", 13, 7 },
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Header_size_matches_the_decoded_size(string format, int w, int h)
    {
        var img = Quadrants(w, h);
        byte[] data = format switch
        {
            "png" => SkiaEncode(img, SKEncodedImageFormat.Png),
            "jpeg" => SkiaEncode(img, SKEncodedImageFormat.Jpeg),
            "webp" => SkiaEncode(img, SKEncodedImageFormat.Webp),
            _ => Bmp24(img),
        };
        var header = ImageSniffer.Sniff(data);
        Assert.True(ImageSniffer.IsSupported(header.Format));
        Assert.Equal((w, h), (header.Width, header.Height));
    }

    [Fact]
    public void Header_sizes_of_other_encodings_match_the_decoder()
    {
        foreach (var data in new[] { CmykJpeg, TwoFrameGif, File.ReadAllBytes(DataPath("img47.jpg")), File.ReadAllBytes(DataPath("face0.jpg")) })
        {
            var header = ImageSniffer.Sniff(data);
            var img = ImageLoader.Decode(data);
            Assert.Equal((img.Width, img.Height), (header.Width, header.Height));
        }
    }

    [Fact]
    public void Lossy_webp_header_is_read()
    {
        // The WebP helper above writes lossless (VP8L); this covers the lossy "VP8 " chunk layout.
        using var skImage = SKImage.FromEncodedData(SkiaEncode(Quadrants(21, 11), SKEncodedImageFormat.Png));
        using var webp = skImage.Encode(SKEncodedImageFormat.Webp, 80);
        var header = ImageSniffer.Sniff(webp.ToArray());
        Assert.Equal((SniffedFormat.WebP, 21, 11), (header.Format, header.Width, header.Height));
    }

    [Theory]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0x00 }, "TIFF")]
    [InlineData(new byte[] { 0x4D, 0x4D, 0x00, 0x2A }, "TIFF")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63 }, "HEIF/HEIC")]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66 }, "AVIF")]
    [InlineData(new byte[] { 0x38, 0x42, 0x50, 0x53, 0, 1 }, "Photoshop PSD")]
    public void Unsupported_formats_are_named(byte[] data, string name)
    {
        var ex = Assert.Throws<ImageLoadException>(() => ImageLoader.Decode(data, sourceName: "f"));
        Assert.Equal($"f: unsupported image format {name} (supported: JPEG, PNG, WebP, BMP, GIF)", ex.Message);
    }
}
