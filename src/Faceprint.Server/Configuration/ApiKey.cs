namespace Faceprint.Server.Configuration;

/// <summary>One client credential: a public id that appears in logs and rate-limit partitions, and the secret key.</summary>
/// <param name="Id">Name of the client (letters, digits, '.', '_', '-'); logged, never secret.</param>
/// <param name="Key">The secret the client sends; at least <see cref="MinimumKeyLength"/> characters, never logged.</param>
public sealed record ApiKey(string Id, string Key)
{
    /// <summary>Shortest key accepted, so a guessable placeholder cannot end up guarding a deployment.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>Hides the key so the record can be printed or logged safely.</summary>
    public override string ToString() => $"ApiKey {{ Id = {Id} }}";
}
