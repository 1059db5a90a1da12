using System.Net;
using Faceprint.Engine;
using Faceprint.Server.Tests.Support;
using Faceprint.Tests.Support;

namespace Faceprint.Server.Tests.Http;

/// <summary>
/// <c>POST /v1/liveness</c> and the <c>liveness=report|require</c> query parameter of compare and enrol. Measured with
/// the CLI on these test photos: img2.jpeg scores about 0.006 (live), face0.jpg about 0.65 (spoof: a web photo the
/// network rejects).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LivenessEndpointTests(EngineFixture fixture)
{
    [Fact]
    public async Task Liveness_scores_every_face()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        var live = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/liveness", Images.Raw(Images.Img2)));
        Assert.Equal("FaceAntiSpoofing.tflite", live.GetProperty("model").GetString());
        Assert.Equal(0.2, live.GetProperty("threshold").GetDouble(), 1e-6);
        var face = Assert.Single(live.GetProperty("faces").EnumerateArray());
        var liveness = face.GetProperty("liveness");
        Assert.Equal("live", liveness.GetProperty("verdict").GetString());
        Assert.True(liveness.GetProperty("live").GetBoolean());
        Assert.InRange(liveness.GetProperty("score").GetDouble(), 0, 0.2);
        Assert.True(face.GetProperty("face").GetProperty("box").GetProperty("x2").GetDouble() > 0);

        var spoof = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/liveness", Images.Form(("image", Images.Face0))));
        var rejected = Assert.Single(spoof.GetProperty("faces").EnumerateArray()).GetProperty("liveness");
        Assert.Equal("spoof", rejected.GetProperty("verdict").GetString());
        Assert.True(rejected.GetProperty("score").GetDouble() >= 0.2);
    }

    [Fact]
    public async Task Liveness_of_a_photo_without_faces_is_an_empty_list()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var json = await LoopbackServer.ReadJsonAsync(await server.Client().PostAsync("/v1/liveness", Images.Raw(Images.Dogs)));
        Assert.Equal(0, json.GetProperty("faces").GetArrayLength());
    }

    [Fact]
    public async Task Compare_reports_liveness_only_when_asked_and_refuses_a_spoof_when_required()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        var plain = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare", Images.Form(("a", Images.Img2), ("b", Images.Face0))));
        Assert.False(plain.TryGetProperty("liveness_a", out _));

        var reported = await LoopbackServer.ReadJsonAsync(await client.PostAsync("/v1/compare?liveness=report", Images.Form(("a", Images.Img2), ("b", Images.Face0))));
        Assert.Equal("live", reported.GetProperty("liveness_a").GetProperty("verdict").GetString());
        Assert.Equal("spoof", reported.GetProperty("liveness_b").GetProperty("verdict").GetString());

        string detail = await Problems.AssertAsync(await client.PostAsync("/v1/compare?liveness=require", Images.Form(("a", Images.Img2), ("b", Images.Face0))),
            HttpStatusCode.UnprocessableEntity, "not_live");
        Assert.Contains("judged spoof", detail);

        await Problems.AssertAsync(await client.PostAsync("/v1/compare?liveness=maybe", Images.Form(("a", Images.Img2), ("b", Images.Img3))),
            HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task Enrolment_requiring_liveness_writes_nothing_when_one_image_is_refused()
    {
        await using var server = await LoopbackServer.StartAsync(fixture.Engine);
        var client = server.Client();

        await Problems.AssertAsync(await client.PostAsync("/v1/gallery/persons/ann/templates?liveness=require", Images.Form(("image", Images.Img2), ("image", Images.Face0))),
            HttpStatusCode.UnprocessableEntity, "not_live");
        await Problems.AssertAsync(await client.GetAsync("/v1/gallery/persons/ann"), HttpStatusCode.NotFound, "unknown_person");

        var created = await client.PostAsync("/v1/gallery/persons/ann/templates?liveness=report", Images.Form(("image", Images.Img2)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var json = await LoopbackServer.ReadJsonAsync(created);
        Assert.Equal("live", Assert.Single(json.GetProperty("liveness").EnumerateArray()).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task An_engine_without_the_network_answers_503()
    {
        using var engine = await FaceEngine.CreateAsync(new FaceEngineOptions { Home = TestPaths.ModelHome, Threads = 1, FallbackDetector = false });
        await using var server = await LoopbackServer.StartAsync(engine);

        await Problems.AssertAsync(await server.Client().PostAsync("/v1/liveness", Images.Raw(Images.Img2)), HttpStatusCode.ServiceUnavailable, "liveness_unavailable");
    }
}
