using System.Text.Json;
using Faceprint.Engine;
using Faceprint.Gallery;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Gallery;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Cli;

/// <summary>
/// <c>faceprint gallery</c> on real photos with the real models, against a SQLite gallery file: enrol two people,
/// identify and verify new photos of them, list and remove; and the failures that must enrol nothing.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class CliGalleryTests : IDisposable
{
    private static readonly string Home = TestPaths.ModelHome;
    // img1/img2 show one person, gallery/person07-a/-b another (deepface's img24/img25).
    private static readonly string AliceEnrol = TestImages.DataPath("img1.jpeg");
    private static readonly string AliceProbe = TestImages.DataPath("img2.jpeg");
    private static readonly string BobEnrol = TestImages.DataPath(Path.Combine("gallery", "person07-a.jpg"));
    private static readonly string BobProbe = TestImages.DataPath(Path.Combine("gallery", "person07-b.jpg"));
    private static readonly string NoFace = TestImages.DataPath(Path.Combine("gallery", "no-face-dogs.jpg"));

    private readonly TempGalleryDirectory _folder = new();

    /// <summary>Takes the fixture so the models are pulled and converted before the first run.</summary>
    public CliGalleryTests(DefaultModelsFixture models) => _ = models;

    private string Db => _folder.File("gallery.db");

    [Fact]
    public async Task Enrol_identify_verify_list_and_remove()
    {
        var create = await Json("gallery", "create", "--db", Db, "--json");
        Assert.Equal(DefaultModels.EmbedderId, create.GetProperty("model").GetString());
        Assert.Equal(192, create.GetProperty("dimension").GetInt32());
        Assert.Equal(0, create.GetProperty("people").GetInt32());

        var alice = await Json("gallery", "enroll", "--db", Db, "--person", "alice", AliceEnrol, "--json", "--home", Home);
        Assert.Equal("alice", alice.GetProperty("person_id").GetString());
        long aliceTemplate = Assert.Single(alice.GetProperty("template_ids").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(AliceEnrol, alice.GetProperty("images")[0].GetProperty("image").GetString());
        Assert.True(alice.GetProperty("images")[0].GetProperty("face").GetProperty("score").GetDouble() > 0.9);
        var bob = await CliRun.StartAsync("gallery", "enroll", "--db", Db, "--person", "bob", BobEnrol, "--home", Home);
        Assert.True(bob.ExitCode == 0, bob.ToString());
        Assert.Matches(@"^enrolled bob: 1 template \(ids \d+\)\r?\n$", bob.Stdout);

        var identify = await Json("gallery", "identify", "--db", Db, AliceProbe, "--top", "5", "--json", "--home", Home);
        var candidates = identify.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(["alice", "bob"], candidates.Select(c => c.GetProperty("person_id").GetString()));
        Assert.Equal(aliceTemplate, candidates[0].GetProperty("template_id").GetInt64());
        Assert.True(candidates[0].GetProperty("is_match").GetBoolean(), identify.ToString());
        Assert.False(candidates[1].GetProperty("is_match").GetBoolean(), identify.ToString());
        Assert.Equal(DefaultModels.EmbedderThreshold, identify.GetProperty("threshold").GetDouble(), 1e-6);
        var top = await Json("gallery", "identify", "--db", Db, BobProbe, "--top", "1", "--json", "--home", Home);
        Assert.Equal("bob", Assert.Single(top.GetProperty("candidates").EnumerateArray()).GetProperty("person_id").GetString());

        var same = await Json("gallery", "verify", "--db", Db, "--person", "alice", AliceProbe, "--json", "--home", Home);
        Assert.True(same.GetProperty("is_match").GetBoolean());
        Assert.InRange(same.GetProperty("similarity").GetDouble(), DefaultModels.EmbedderThreshold, 1.0);
        var other = await CliRun.StartAsync("gallery", "verify", "--db", Db, "--person", "bob", AliceProbe, "--home", Home);
        Assert.True(other.ExitCode == 0, other.ToString());
        Assert.Matches(@"^bob: not a match \(similarity -?\d\.\d{3}, threshold 0\.370, template \d+\)\r?\n$", other.Stdout);

        var list = await Json("gallery", "list", "--db", Db, "--json");
        Assert.Equal([("alice", 1), ("bob", 1)],
            list.GetProperty("people").EnumerateArray().Select(p => (p.GetProperty("person_id").GetString(), p.GetProperty("template_count").GetInt32())));
        var removed = await Json("gallery", "remove", "--db", Db, "--person", "alice", "--json");
        Assert.Equal(1, removed.GetProperty("removed").GetInt32());
        var after = await CliRun.StartAsync("gallery", "list", "--db", Db);
        Assert.Equal("bob  1 template\n1 person, 1 template\n", after.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_photo_without_a_face_enrols_none_of_the_photos()
    {
        var run = await CliRun.StartAsync("gallery", "enroll", "--db", Db, "--person", "alice", AliceEnrol, NoFace, "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"faceprint: error: no face found in {NoFace}", Assert.Single(run.StderrLines));
        Assert.Equal("", run.Stdout);
        await using var store = await SqliteGalleryStore.OpenAsync(Db, DefaultModels.EmbedderId, DefaultModels.EmbeddingSize);
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task A_person_id_breaking_the_rule_is_bad_input_and_enrols_nothing()
    {
        var run = await CliRun.StartAsync("gallery", "enroll", "--db", Db, "--person", "a/b", AliceEnrol, "--home", Home);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(PersonIds.Rule, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        await using var store = await SqliteGalleryStore.OpenAsync(Db, DefaultModels.EmbedderId, DefaultModels.EmbeddingSize);
        Assert.Empty(await store.ListPeopleAsync());
    }

    [Fact]
    public async Task A_gallery_of_another_model_is_refused()
    {
        await using (var store = await SqliteGalleryStore.OpenAsync(Db, "other-model@1", 512))
            await store.AddAsync("alice", [Enumerable.Repeat(1f, 512).ToArray()]);

        var run = await CliRun.StartAsync("gallery", "identify", "--db", Db, AliceProbe, "--home", Home);

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.StderrLines);
        Assert.Contains("other-model@1 (512-d); refusing model " + DefaultModels.EmbedderId, line);
    }

    [Theory]
    [InlineData("redis://host/0", "unsupported gallery 'redis:'")]
    [InlineData("pg:", "needs an Npgsql connection string")]
    public async Task A_malformed_connection_is_bad_input(string db, string message)
    {
        var run = await CliRun.StartAsync("gallery", "list", "--db", db);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, Assert.Single(run.StderrLines));
    }

    public static TheoryData<string> ReadingCommands => new() { "list", "identify", "verify", "remove" };

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task A_command_that_reads_a_gallery_creates_none_where_there_is_none(string command)
    {
        string missing = Path.Combine(_folder.File("no-such-folder"), "typo.db");
        string[] args = command switch
        {
            "identify" => ["gallery", "identify", "--db", missing, AliceProbe, "--home", Home],
            "verify" => ["gallery", "verify", "--db", missing, "--person", "alice", AliceProbe, "--home", Home],
            "remove" => ["gallery", "remove", "--db", missing, "--person", "alice"],
            _ => ["gallery", "list", "--db", missing],
        };

        var run = await CliRun.StartAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal($"faceprint: error: no gallery at {missing}", Assert.Single(run.StderrLines));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)), "the folder must not be created");
    }

    [Fact]
    public async Task Create_says_whether_it_created_the_gallery_or_found_one()
    {
        var first = await Json("gallery", "create", "--db", Db, "--json");
        Assert.True(first.GetProperty("created").GetBoolean());
        var again = await CliRun.StartAsync("gallery", "create", "--db", Db);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith($"gallery already exists {Db}: model {DefaultModels.EmbedderId}", again.Stdout);
        var againJson = await Json("gallery", "create", "--db", Db, "--json");
        Assert.False(againJson.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task Unknown_people_and_missing_arguments_are_bad_input()
    {
        Assert.Equal(0, (await CliRun.StartAsync("gallery", "create", "--db", Db)).ExitCode);
        var verify = await CliRun.StartAsync("gallery", "verify", "--db", Db, "--person", "nobody", AliceProbe, "--home", Home);
        Assert.Equal(2, verify.ExitCode);
        Assert.Equal("faceprint: error: person 'nobody' is not enrolled in the gallery", Assert.Single(verify.StderrLines));

        var remove = await CliRun.StartAsync("gallery", "remove", "--db", Db, "--person", "nobody");
        Assert.Equal(2, remove.ExitCode);

        var noPerson = await CliRun.StartAsync("gallery", "enroll", "--db", Db, AliceEnrol);
        Assert.Equal(2, noPerson.ExitCode);
        Assert.Contains("--person", noPerson.Stderr);
        var noTop = await CliRun.StartAsync("gallery", "identify", "--db", Db, AliceProbe, "--top", "0");
        Assert.Equal(2, noTop.ExitCode);
        Assert.Contains("--top must be at least 1", noTop.Stderr);
    }

    [Fact]
    public async Task List_and_remove_open_a_gallery_of_another_model()
    {
        // As if enrolled with --model NAME: list and remove never embed, so they must not need the default model.
        await using (var store = await SqliteGalleryStore.OpenAsync(Db, "zoo-model-4", 4))
            await store.AddAsync("carol", [[1f, 0f, 0f, 0f], [0f, 1f, 0f, 0f]]);

        var list = await Json("gallery", "list", "--db", Db, "--json");
        Assert.Equal("zoo-model-4", list.GetProperty("model").GetString());
        var carol = Assert.Single(list.GetProperty("people").EnumerateArray());
        Assert.Equal(2, carol.GetProperty("template_count").GetInt32());

        await Json("gallery", "remove", "--db", Db, "--person", "carol", "--json");
        Assert.Empty((await Json("gallery", "list", "--db", Db, "--json")).GetProperty("people").EnumerateArray());
        // The gallery still belongs to its model: enrolling with the default model is refused.
        var enrol = await CliRun.StartAsync("gallery", "enroll", "--db", Db, "--person", "dave", AliceEnrol, "--home", Home);
        Assert.NotEqual(0, enrol.ExitCode);
        Assert.Contains("zoo-model-4", enrol.Stderr);
    }

    private static async Task<JsonElement> Json(params string[] args)
    {
        var run = await CliRun.StartAsync(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        using var doc = JsonDocument.Parse(run.Stdout);
        return doc.RootElement.Clone();
    }

    public void Dispose() => _folder.Dispose();
}
