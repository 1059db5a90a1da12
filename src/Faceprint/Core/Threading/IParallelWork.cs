namespace Faceprint.Core.Threading;

/// <summary>Work split into numbered chunks that <see cref="WorkerPool"/> hands to its threads.</summary>
public interface IParallelWork
{
    /// <summary>Runs chunk <paramref name="chunk"/> on worker <paramref name="worker"/> (0 = the calling thread, then 1, 2, …).</summary>
    void RunChunk(int chunk, int worker);
}
