using System.Net;
using Faceprint.Server.Tests.Support;

namespace Faceprint.Server.Tests.Http;

/// <summary>The <c>face</c> query parameter picks which face of an upload stands for it.</summary>
[Collection(ServerCollection.Name)]
public sealed class FaceChoiceEndpointTests(EngineFixture fixture)
{
    [Fact]
    public async Task Compare_reports_the_face_choice_and_how_many_faces_each_image_had()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        var byDefault = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img1), ("b", Images.Img2))));
        var largest = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare?face=largest", Images.Form(("a", Images.Img1), ("b", Images.Img2))));

        Assert.Equal("prominent", byDefault.GetProperty("face_choice").GetString());
        Assert.Equal("largest", largest.GetProperty("face_choice").GetString());
        Assert.Equal(1, byDefault.GetProperty("faces_found_a").GetInt32());
        Assert.Equal(1, byDefault.GetProperty("faces_found_b").GetInt32());
        // One face each: both rules pick it.
        Assert.Equal(byDefault.GetProperty("similarity").GetSingle(), largest.GetProperty("similarity").GetSingle());
    }

    [Fact]
    public async Task An_unknown_face_choice_is_a_bad_request_on_every_endpoint_that_takes_one()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        string compare = await Problems.AssertAsync(await client.PostAsync("/v1/compare?face=biggest", Images.Form(("a", Images.Img1), ("b", Images.Img2))), HttpStatusCode.BadRequest, "invalid_request");
        Assert.Contains("'prominent' or 'largest'", compare);
        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/ann/templates?face=biggest", Images.Form(("image", Images.Img1))), HttpStatusCode.BadRequest, "invalid_request");
        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/identify?face=biggest", Images.Form(("image", Images.Img1))), HttpStatusCode.BadRequest, "invalid_request");
    }
}
