using System.Net;
using Faceprint.Imaging;
using Faceprint.Server.Tests.Support;
using SkiaSharp;

namespace Faceprint.Server.Tests.Http;

/// <summary>Images over the decode budget are decoded reduced, and faces still come back in full-size coordinates.</summary>
[Collection(ServerCollection.Name)]
public sealed class LargeImageTests(EngineFixture fixture)
{
    [Fact]
    public async Task A_face_in_an_image_over_the_decode_budget_is_reported_in_full_size_coordinates()
    {
        var original = ImageLoader.Decode(Images.Bytes(Images.Img1));
        var expected = fixture.Engine.Detect(original).Single();
        byte[] large = Upscaled(original, 4);

        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { MaxDecodePixels = original.Width * original.Height + 1_000 });
        var json = await LoopbackServer.ReadJsonAsync(await server.Client().PostAsync("/v1/detect", Images.Raw(large)));

        Assert.Equal((original.Width * 4, original.Height * 4), (json.GetProperty("width").GetInt32(), json.GetProperty("height").GetInt32()));
        var face = json.GetProperty("faces").EnumerateArray().Single();
        var box = face.GetProperty("box");
        float centreX = (box.GetProperty("x1").GetSingle() + box.GetProperty("x2").GetSingle()) / 2;
        float width = box.GetProperty("x2").GetSingle() - box.GetProperty("x1").GetSingle();
        Assert.InRange(centreX, 4 * (expected.Box.X1 + expected.Box.X2) / 2 - 16, 4 * (expected.Box.X1 + expected.Box.X2) / 2 + 16);
        Assert.InRange(width, 4 * expected.Box.Width * 0.9f, 4 * expected.Box.Width * 1.1f);
        Assert.InRange(face.GetProperty("landmarks").GetProperty("nose").GetProperty("x").GetSingle(), 4 * expected.Landmarks[2].X - 16, 4 * expected.Landmarks[2].X + 16);
    }

    private static byte[] Upscaled(RgbImage image, int factor)
    {
        using var bitmap = new SKBitmap(image.Width * factor, image.Height * factor, SKColorType.Rgba8888, SKAlphaType.Opaque);
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                int s = ((y / factor) * image.Width + x / factor) * 3;
                bitmap.SetPixel(x, y, new SKColor(image.Pixels[s], image.Pixels[s + 1], image.Pixels[s + 2]));
            }
        }

        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        return data.ToArray();
    }
}
