using System.Security.Cryptography;
using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

public sealed class NpmPackageFetcherTests : IDisposable
{
    private static readonly string[] Wanted = ["package/assets/a.tflite", "package/assets/b.tflite"];

    private readonly TempDirectory _temp = new();
    private readonly FaceprintHome _home;
    private readonly string _tarball;

    public NpmPackageFetcherTests()
    {
        _home = new FaceprintHome(Path.Combine(_temp.Path, "home"));
        _tarball = Path.Combine(_temp.Path, "source.tgz");
    }

    public void Dispose() => _temp.Dispose();

    private string WriteTarball(params (string Name, byte[] Content)[] entries) => TestTarball.Write(_tarball, entries);

    private string WriteGoodTarball() => WriteTarball(
        ("package/package.json", "{}"u8.ToArray()),
        (Wanted[0], TestTarball.Content("a")),
        ("package/assets/unwanted.tflite", TestTarball.Content("x")),
        (Wanted[1], TestTarball.Content("b")));

    private static NpmPackageSource Source(string sha) => new("fake-models", "1.2.3", sha, Wanted);

    [Fact]
    public async Task Extracts_wanted_files_flattened_and_writes_marker()
    {
        var sha = WriteGoodTarball();
        var npm = new FakeNpmClient(_tarball);
        var log = new List<string>();

        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(Source(sha), new SyncProgress(log.Add));

        Assert.Equal(Path.Combine(_home.PackagesDirectory, "fake-models@1.2.3"), dir);
        Assert.Equal(TestTarball.Content("a"), File.ReadAllBytes(Path.Combine(dir, "a.tflite")));
        Assert.Equal(TestTarball.Content("b"), File.ReadAllBytes(Path.Combine(dir, "b.tflite")));
        Assert.False(File.Exists(Path.Combine(dir, "unwanted.tflite")));
        var marker = File.ReadAllLines(Path.Combine(dir, NpmPackageFetcher.MarkerFileName));
        Assert.Equal(sha, marker[0]);
        Assert.Equal($"{Convert.ToHexStringLower(SHA256.HashData(TestTarball.Content("a")))} {TestTarball.Content("a").Length} a.tflite", marker[1]);
        Assert.Equal(3, marker.Length);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.Equal(1, npm.Calls);
        Assert.NotEmpty(log);
    }

    [Fact]
    public async Task Second_call_is_served_from_cache_without_npm()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var fetcher = new NpmPackageFetcher(_home, npm);

        var first = await fetcher.EnsureAsync(source);
        File.Delete(_tarball);
        var second = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);

        Assert.Equal(first, second);
        Assert.Equal(1, npm.Calls);
    }

    [Fact]
    public async Task Missing_extracted_file_is_restored_from_downloaded_tarball_without_npm()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);

        File.Delete(Path.Combine(dir, "b.tflite"));
        await new NpmPackageFetcher(_home, npm).EnsureAsync(source);

        Assert.Equal(TestTarball.Content("b"), File.ReadAllBytes(Path.Combine(dir, "b.tflite")));
        Assert.Equal(1, npm.Calls);
    }

    [Fact]
    public async Task Checksum_mismatch_fails_deletes_tarball_and_extracts_nothing()
    {
        WriteGoodTarball();
        var wrong = new string('0', 64);

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmPackageFetcher(_home, new FakeNpmClient(_tarball)).EnsureAsync(Source(wrong)));

        Assert.StartsWith($"checksum mismatch for fake-models-1.2.3.tgz: expected {wrong}, got ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(Path.Combine(_home.DownloadsDirectory, "fake-models-1.2.3.tgz")));
        AssertNothingExtracted();
    }

    [Fact]
    public async Task Tarball_missing_a_wanted_file_fails_naming_it()
    {
        var sha = WriteTarball((Wanted[0], TestTarball.Content("a")));

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmPackageFetcher(_home, new FakeNpmClient(_tarball)).EnsureAsync(Source(sha)));

        Assert.Contains(Wanted[1], e.Message);
        Assert.DoesNotContain(Wanted[0], e.Message);
        AssertNothingExtracted();
    }

    [Theory]
    [InlineData("package/../../evil.tflite")]
    [InlineData("/tmp/evil.tflite")]
    public async Task Unsafe_entry_path_is_refused(string evil)
    {
        var sha = WriteTarball((Wanted[0], TestTarball.Content("a")), (evil, TestTarball.Content("evil")), (Wanted[1], TestTarball.Content("b")));

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmPackageFetcher(_home, new FakeNpmClient(_tarball)).EnsureAsync(Source(sha)));

        Assert.Equal($"refusing unsafe path in fake-models-1.2.3.tgz: {evil}", e.Message);
        AssertNothingExtracted();
        Assert.False(File.Exists(Path.Combine(_home.Root, "evil.tflite")));
    }

    [Fact]
    public async Task Corrupt_tarball_with_matching_pin_fails_cleanly()
    {
        File.WriteAllText(_tarball, "not a gzip file");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(_tarball)));

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmPackageFetcher(_home, new FakeNpmClient(_tarball)).EnsureAsync(Source(sha)));

        Assert.StartsWith("fake-models-1.2.3.tgz is not a valid .tgz", e.Message);
        AssertNothingExtracted();
    }

    [Fact]
    public async Task Concurrent_pulls_share_one_download()
    {
        var source = Source(WriteGoodTarball());
        var npm = new SlowFakeNpmClient(_tarball);

        var dirs = await Task.WhenAll(Enumerable.Range(0, 4).Select(
            _ => Task.Run(() => new NpmPackageFetcher(_home, npm).EnsureAsync(source))));

        Assert.All(dirs, d => Assert.Equal(dirs[0], d));
        Assert.Equal(1, npm.Calls);
        Assert.Equal(TestTarball.Content("a"), File.ReadAllBytes(Path.Combine(dirs[0], "a.tflite")));
    }

    [Fact]
    public async Task Lock_held_elsewhere_times_out_with_a_clear_error()
    {
        var source = Source(WriteGoodTarball());
        Directory.CreateDirectory(_home.PackagesDirectory);
        var lockPath = Path.Combine(_home.PackagesDirectory, "fake-models@1.2.3.lock");
        using var held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var e = await Assert.ThrowsAsync<FaceprintException>(
            () => new NpmPackageFetcher(_home, new FakeNpmClient(_tarball), TimeSpan.FromMilliseconds(300)).EnsureAsync(source));

        Assert.Contains("waiting for another process", e.Message);
    }

    [Fact]
    public async Task Truncated_extracted_file_is_reextracted_from_downloaded_tarball_saying_why()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);
        var b = Path.Combine(dir, "b.tflite");
        File.WriteAllBytes(b, File.ReadAllBytes(b)[..10]);
        var log = new List<string>();

        await new NpmPackageFetcher(_home, npm).EnsureAsync(source, new SyncProgress(log.Add));

        Assert.Equal(TestTarball.Content("b"), File.ReadAllBytes(b));
        Assert.Contains(log, l => l.StartsWith("re-extracting fake-models@1.2.3: b.tflite has 10 bytes", StringComparison.Ordinal));
        Assert.Equal(1, npm.Calls);
    }

    [Fact]
    public async Task Bit_flipped_extracted_file_of_unchanged_size_is_reextracted()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var fetcher = new NpmPackageFetcher(_home, npm);
        var dir = await fetcher.EnsureAsync(source);
        var a = Path.Combine(dir, "a.tflite");
        var bytes = File.ReadAllBytes(a);
        bytes[0] ^= 1;
        File.WriteAllBytes(a, bytes);

        Assert.Equal("a.tflite does not match the SHA-256 recorded when extracted", await fetcher.VerifyAsync(source));
        await fetcher.EnsureAsync(source);

        Assert.Equal(TestTarball.Content("a"), File.ReadAllBytes(a));
        Assert.Null(await fetcher.VerifyAsync(source));
    }

    [Fact]
    public async Task Damaged_file_without_a_downloaded_tarball_is_downloaded_again()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);
        File.Delete(Path.Combine(_home.DownloadsDirectory, "fake-models-1.2.3.tgz"));
        File.WriteAllBytes(Path.Combine(dir, "a.tflite"), []);

        await new NpmPackageFetcher(_home, npm).EnsureAsync(source);

        Assert.Equal(TestTarball.Content("a"), File.ReadAllBytes(Path.Combine(dir, "a.tflite")));
        Assert.Equal(2, npm.Calls);
    }

    [Fact]
    public async Task Damaged_file_whose_package_cannot_be_verified_fails_with_the_checksum_error()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);
        // Both the cached download and the registry's copy now fail the pin.
        File.WriteAllBytes(Path.Combine(_home.DownloadsDirectory, "fake-models-1.2.3.tgz"), [1, 2, 3]);
        WriteTarball((Wanted[0], TestTarball.Content("evil")), (Wanted[1], TestTarball.Content("b")));
        File.WriteAllBytes(Path.Combine(dir, "a.tflite"), []);

        var e = await Assert.ThrowsAsync<FaceprintException>(() => new NpmPackageFetcher(_home, npm).EnsureAsync(source));

        Assert.Contains("checksum mismatch", e.Message);
        Assert.NotNull(await new NpmPackageFetcher(_home, npm).VerifyAsync(source));
    }

    [Fact]
    public async Task Force_downloads_and_extracts_again_over_a_sound_cache()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        await new NpmPackageFetcher(_home, npm).EnsureAsync(source);
        var log = new List<string>();

        await new NpmPackageFetcher(_home, npm).EnsureAsync(source, force: true, new SyncProgress(log.Add), CancellationToken.None);

        Assert.Equal(2, npm.Calls);
        Assert.Contains(log, l => l.StartsWith("extracted 2 files", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Marker_without_per_file_checksums_is_extracted_again_without_npm()
    {
        var npm = new FakeNpmClient(_tarball);
        var source = Source(WriteGoodTarball());
        var dir = await new NpmPackageFetcher(_home, npm).EnsureAsync(source);
        var marker = Path.Combine(dir, NpmPackageFetcher.MarkerFileName);
        File.WriteAllText(marker, source.Sha256 + "\n"); // the format before per-file checksums

        await new NpmPackageFetcher(_home, npm).EnsureAsync(source);

        Assert.Equal(3, File.ReadAllLines(marker).Length);
        Assert.Equal(1, npm.Calls);
    }

    private void AssertNothingExtracted()
    {
        var dir = Path.Combine(_home.PackagesDirectory, "fake-models@1.2.3");
        Assert.True(!Directory.Exists(dir) || Directory.GetFiles(dir).Length == 0,
            $"expected no files in {dir}");
    }

    /// <summary>Reports synchronously, unlike <see cref="Progress{T}"/>, so the log is complete when the call returns.</summary>
    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }

    /// <summary>Takes a while and counts calls thread-safely, to show that concurrent pulls serialize on the lock.</summary>
    private sealed class SlowFakeNpmClient(string tarball) : INpmClient
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public async Task<string> PackAsync(string name, string version, string destinationDirectory, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(200, cancellationToken);
            var target = Path.Combine(destinationDirectory, $"{name}-{version}.tgz");
            File.Copy(tarball, target, overwrite: true);
            return target;
        }
    }
}
