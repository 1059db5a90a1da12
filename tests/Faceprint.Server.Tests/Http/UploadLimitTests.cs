using System.Net;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class UploadLimitTests(EngineFixture fixture)
{
    private const long SmallLimit = 64 * 1024;

    [Fact]
    public async Task Oversized_bodies_get_413_and_the_server_keeps_serving()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { MaxRequestBytes = SmallLimit });
        var client = server.Client();
        Assert.True(Images.Bytes(Images.Img47).Length > SmallLimit);

        string raw = await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Raw(Images.Img47, "image/webp")), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        Assert.Contains("65536", raw);
        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/p/templates", Images.Form(("image", Images.Img1), ("image", Images.Img47))),
            HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        // A body without Content-Length (chunked) is cut off at the limit too.
        using var chunked = new StreamContent(new MemoryStream(Images.Bytes(Images.Img47)));
        chunked.Headers.ContentType = new("image/webp");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embed") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await Problems.AssertAsync(await client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        await AssertStillServingAsync(server);
        var list = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(0, list.GetProperty("persons").GetArrayLength());
    }

    [Fact]
    public async Task Corrupt_truncated_and_non_image_uploads_get_400_with_the_reason()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        byte[] jpeg = Images.Bytes(Images.Img1);
        byte[] truncated = jpeg[..(jpeg.Length / 2)];
        byte[] garbage = new byte[4096];
        new Random(7).NextBytes(garbage);
        byte[] text = "this is not an image, just some words"u8.ToArray();

        Assert.Contains("truncated", await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Raw(truncated)), HttpStatusCode.BadRequest, "invalid_image"));
        Assert.Contains("not a recognised image format", await Problems.AssertAsync(await client.PostAsync("/v1/embed", Images.Raw(garbage)), HttpStatusCode.BadRequest, "invalid_image"));
        Assert.Contains("not an image", await Problems.AssertAsync(await client.PostAsync("/v1/gallery/identify", Images.Raw(text)), HttpStatusCode.BadRequest, "invalid_image"));
        Assert.Contains("empty", await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Raw([])), HttpStatusCode.BadRequest, "invalid_image"));
        using var form = new MultipartFormDataContent { { Images.Raw(truncated), "image", "half.jpg" } };
        Assert.Contains("field 'image' (half.jpg)", await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/p/templates", form), HttpStatusCode.BadRequest, "invalid_image"));
        using var broken = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"x.jpg\"\r\n\r\nabc"u8.ToArray());
        broken.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        await Problems.AssertAsync(await client.PostAsync("/v1/detect", broken), HttpStatusCode.BadRequest, "invalid_request");

        await AssertStillServingAsync(server);
        var list = await LoopbackServer.ReadJsonAsync(await client.GetAsync("/v1/gallery/persons"));
        Assert.Equal(0, list.GetProperty("persons").GetArrayLength());
    }

    [Fact]
    public async Task Images_over_the_pixel_limit_are_refused_from_the_header()
    {
        // img3 is 1168x998 = 1.17 Mpx; img1 (259x194) stays under the limit.
        await using var server = await LoopbackServer.StartAsync(fixture.Engine, o => o with { MaxImagePixels = 1_000_000 });
        var client = server.Client();

        string detail = await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Raw(Images.Img3)), HttpStatusCode.BadRequest, "invalid_image");
        Assert.Contains("1168x998", detail);
        Assert.Contains("limit", detail);
        await AssertStillServingAsync(server);
    }

    private static async Task AssertStillServingAsync(LoopbackServer server)
    {
        Assert.Equal(HttpStatusCode.OK, (await server.Client(key: null).GetAsync("/healthz")).StatusCode);
        var detect = await server.Client().PostAsync("/v1/detect", Images.Raw(Images.Img1));
        Assert.Equal(HttpStatusCode.OK, detect.StatusCode);
        Assert.Equal(1, (await LoopbackServer.ReadJsonAsync(detect)).GetProperty("faces").GetArrayLength());
    }
}
