using TorchSharp;

namespace Faceprint.Training;

/// <summary>Where training runs: the libtorch device and its thread count, chosen once per process.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// The device to train on: CUDA when the CUDA build of TorchSharp is referenced and a GPU is visible, else the CPU.
    /// </summary>
    public static torch.Device DefaultDevice => torch.cuda.is_available() ? torch.CUDA : torch.CPU;

    /// <summary>Sets libtorch's intra-op threads (default: all cores).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(threads);
    }
}
