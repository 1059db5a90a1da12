namespace Faceprint.Training.Tests.Models;

/// <summary>
/// Tests that seed libtorch's global generator and set its global thread count: they run one at a time and apart from
/// every other test, so a concurrent test cannot draw from the generator between a seed and the draws it fixes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchStateCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "libtorch global state";
}
