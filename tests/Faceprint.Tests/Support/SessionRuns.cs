using Faceprint.Core.Graph;
using Faceprint.Core.Tensors;

namespace Faceprint.Tests.Support;

/// <summary>What a session allocates once it is warm: the check behind every "no allocation per inference" test.</summary>
internal static class SessionRuns
{
    /// <summary>
    /// Runs <paramref name="session"/> <paramref name="warmUp"/> times (enough for tiered compilation to settle the hot
    /// methods), then returns the managed bytes the calling thread allocates over 5 runs that each prepare
    /// <paramref name="shape"/> again.
    /// </summary>
    public static long AllocatedBytes(InferenceSession session, TensorShape shape, int warmUp = 40)
    {
        for (int i = 0; i < warmUp; i++) session.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++)
        {
            session.PrepareInput(shape);
            session.Run();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
