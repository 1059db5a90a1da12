using System.Security.Cryptography;
using System.Text;
using Faceprint.Server.Configuration;

namespace Faceprint.Server.Security;

/// <summary>
/// The configured API keys, held only as SHA-256 digests. A presented key is hashed and compared with every
/// digest in constant time, so neither the comparison nor an early exit tells an attacker how much of a key matched.
/// </summary>
internal sealed class ApiKeyRing
{
    private readonly (string Id, byte[] Digest)[] _keys;

    /// <summary>Hashes <paramref name="keys"/>; the plain keys are not kept.</summary>
    public ApiKeyRing(IEnumerable<ApiKey> keys) =>
        _keys = keys.Select(k => (k.Id, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key)))).ToArray();

    /// <summary>The id of the key equal to <paramref name="presented"/>, or null.</summary>
    public string? FindId(string presented)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? found = null;
        // Every entry is compared, whether or not an earlier one matched.
        foreach (var (id, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, expected))
                found ??= id;
        }

        return found;
    }
}
