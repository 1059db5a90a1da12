using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

/// <summary>Sets FACEPRINT_HOME for real, so it is in the non-parallel <see cref="ProcessEnvironmentCollection"/>.</summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class FaceprintHomeEnvironmentTests
{
    [Fact]
    public void Default_reads_FACEPRINT_HOME_from_the_process_environment()
    {
        var saved = Environment.GetEnvironmentVariable(FaceprintHome.EnvironmentVariable);
        var root = Path.Combine(Path.GetTempPath(), "fp-env-" + Guid.NewGuid().ToString("N"));
        try
        {
            Environment.SetEnvironmentVariable(FaceprintHome.EnvironmentVariable, root);
            Assert.Equal(root, FaceprintHome.Default.Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(FaceprintHome.EnvironmentVariable, saved);
        }
    }
}
