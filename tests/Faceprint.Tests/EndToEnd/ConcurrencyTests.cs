using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>One engine shared by concurrent callers gives each the same answer as a lone caller.</summary>
[Collection(DefaultModelsCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConcurrencyTests(DefaultModelsFixture models)
{
    [Fact]
    public async Task ConcurrentCallersGetIdenticalEmbeddings()
    {
        string[] photos = ["facelivt/img1.jpeg", "facelivt/img2.jpeg", "facelivt/img3.jpeg", "facelivt/jf.jpg"];
        var images = new List<Faceprint.Imaging.RgbImage>();
        foreach (var p in photos) images.Add(await models.Engine.LoadImageAsync(TestPaths.Fixture(p)));
        var expected = images.Select(i => models.Engine.EmbedSubject(i, "photo").Embedding).ToArray();

        var tasks = Enumerable.Range(0, 16).Select(k => Task.Run(() =>
        {
            int i = k % images.Count;
            return (i, models.Engine.EmbedSubject(images[i], "photo").Embedding);
        }));
        foreach (var (i, embedding) in await Task.WhenAll(tasks))
            Assert.Equal(expected[i], embedding);
    }
}
