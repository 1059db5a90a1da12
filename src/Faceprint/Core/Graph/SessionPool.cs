using System.Collections.Concurrent;

namespace Faceprint.Core.Graph;

/// <summary>
/// Hands each concurrent caller its own <see cref="InferenceSession"/> of a shared network and takes it
/// back afterwards, so buffers are reused across calls without locking the network.
/// </summary>
public sealed class SessionPool(Network network, int threads)
{
    private readonly ConcurrentBag<InferenceSession> _idle = [];

    /// <summary>The pooled network.</summary>
    public Network Network => network;

    /// <summary>Rents a session; dispose the lease to return it.</summary>
    public Lease Rent() => new(this, _idle.TryTake(out var s) ? s : new InferenceSession(network, threads));

    /// <summary>A rented session, returned on dispose.</summary>
    public readonly struct Lease(SessionPool pool, InferenceSession session) : IDisposable
    {
        /// <summary>The session.</summary>
        public InferenceSession Session => session;

        /// <inheritdoc />
        public void Dispose() => pool._idle.Add(session);
    }
}
