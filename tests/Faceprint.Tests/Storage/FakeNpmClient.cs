using Faceprint.Storage;

namespace Faceprint.Tests.Storage;

/// <summary>Stands in for npm: copies a prepared tarball into the destination and counts calls.</summary>
internal sealed class FakeNpmClient(string tarball) : INpmClient
{
    public int Calls { get; private set; }

    public Task<string> PackAsync(string name, string version, string destinationDirectory, CancellationToken cancellationToken)
    {
        Calls++;
        var target = Path.Combine(destinationDirectory, $"{name}-{version}.tgz");
        File.Copy(tarball, target, overwrite: true);
        return Task.FromResult(target);
    }
}
