namespace Faceprint.Tests.Storage;

/// <summary>Tests that change process environment variables: they run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(ProcessEnvironmentCollection), DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection;
