using System.Net;
using System.Text.Json;
using Faceprint.Imaging;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

[Collection(ServerCollection.Name)]
public sealed class FaceEndpointTests(EngineFixture fixture)
{
    [Fact]
    public async Task Detect_returns_the_face_with_box_score_and_landmarks_for_raw_and_multipart_uploads()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();
        var expected = fixture.Engine.Detect(ImageLoader.Decode(Images.Bytes(Images.Img1)));

        foreach (HttpContent body in new HttpContent[] { Images.Raw(Images.Img1), Images.Raw(Images.Img1, "application/octet-stream"), Images.Form(("image", Images.Img1)) })
        {
            var response = await client.PostAsync("/v1/detect", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var json = await LoopbackServer.ReadJsonAsync(response);
            Assert.Equal(259, json.GetProperty("width").GetInt32());
            Assert.Equal(194, json.GetProperty("height").GetInt32());
            var faces = json.GetProperty("faces");
            Assert.Equal(expected.Count, faces.GetArrayLength());
            Assert.Equal(1, faces.GetArrayLength());
            var face = faces[0];
            Assert.Equal(expected[0].Box.X1, face.GetProperty("box").GetProperty("x1").GetSingle());
            Assert.Equal(expected[0].Box.Y2, face.GetProperty("box").GetProperty("y2").GetSingle());
            Assert.Equal(expected[0].Score, face.GetProperty("score").GetSingle());
            Assert.Equal(5, face.GetProperty("landmarks").EnumerateObject().Count());
            Assert.Equal(expected[0].Landmarks[2].X, face.GetProperty("landmarks").GetProperty("nose").GetProperty("x").GetSingle());
        }
    }

    [Fact]
    public async Task Detect_finds_no_face_in_a_photo_of_dogs()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var json = await LoopbackServer.ReadJsonAsync(await server.Client().PostAsync("/v1/detect", Images.Raw(Images.Dogs)));
        Assert.Equal(0, json.GetProperty("faces").GetArrayLength());
    }

    [Fact]
    public async Task Embed_returns_unit_length_embeddings_equal_to_the_engine_s()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var response = await server.Client().PostAsync("/v1/embed", Images.Form(("image", Images.Img2)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await LoopbackServer.ReadJsonAsync(response);
        Assert.Equal(fixture.Engine.EmbedderId, json.GetProperty("model").GetString());
        var embedding = json.GetProperty("faces")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(fixture.Engine.EmbeddingSize, embedding.Length);
        Assert.Equal(1.0, Math.Sqrt(embedding.Sum(x => (double)x * x)), 4);
        var direct = fixture.Engine.DetectAndEmbed(ImageLoader.Decode(Images.Bytes(Images.Img2)))[0].Embedding;
        Assert.Equal(direct, embedding);
    }

    [Fact]
    public async Task Compare_says_same_for_the_same_person_and_different_otherwise()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        var same = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Img2))));
        var different = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Img3))));

        Assert.True(same.GetProperty("same").GetBoolean(), same.ToString());
        Assert.False(different.GetProperty("same").GetBoolean(), different.ToString());
        Assert.Equal(fixture.Engine.Threshold, same.GetProperty("threshold").GetSingle());
        var a = fixture.Engine.EmbedSubject(ImageLoader.Decode(Images.Bytes(Images.Img1)), "a");
        var b = fixture.Engine.EmbedSubject(ImageLoader.Decode(Images.Bytes(Images.Img2)), "b");
        Assert.Equal(fixture.Engine.Compare(a, b).Similarity, same.GetProperty("similarity").GetSingle());
        Assert.True(same.GetProperty("face_a").GetProperty("score").GetSingle() > 0.9f);
    }

    [Fact]
    public async Task Compare_refuses_a_raw_body_a_missing_field_and_a_faceless_image()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        string raw = await Problems.AssertAsync(await client.PostAsync("/v1/compare", Images.Raw(Images.Img1)), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("'a' and 'b'", raw);
        string missing = await Problems.AssertAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1))), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("'b'", missing);
        string noFace = await Problems.AssertAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Dogs))), HttpStatusCode.UnprocessableEntity, "no_face");
        Assert.Contains("no face found in field 'b' (dogs.jpg)", noFace);
    }

    [Fact]
    public async Task Json_and_unknown_content_types_are_refused_where_an_image_is_needed()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        using var json = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        string detail = await Problems.AssertAsync(await client.PostAsync("/v1/detect", json), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        Assert.Contains("application/json", detail);
        using var none = new ByteArrayContent(Images.Bytes(Images.Img1));
        await Problems.AssertAsync(await client.PostAsync("/v1/embed", none), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        using var emptyForm = new MultipartFormDataContent { { new StringContent("x"), "note" } };
        await Problems.AssertAsync(await client.PostAsync("/v1/detect", emptyForm), HttpStatusCode.BadRequest, "invalid_request");
        await Problems.AssertAsync(await client.PostAsync("/v1/detect", Images.Form(("x", Images.Img1), ("y", Images.Img2))), HttpStatusCode.BadRequest, "invalid_request");
    }
}
