using TorchSharp;

namespace Faceprint.Training;

/// <summary>Where training runs: the libtorch device and its thread count, chosen once per process.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<CpuConvolutions> Convolutions = new(ChooseConvolutions, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The device to train on: CUDA when the CUDA build of TorchSharp is referenced and a GPU is visible, else the CPU.
    /// </summary>
    public static torch.Device DefaultDevice => torch.cuda.is_available() ? torch.CUDA : torch.CPU;

    /// <summary>
    /// How libtorch convolves on this CPU, checked once per process (the first call, or the first training network or
    /// trainer created, runs the check). Some CPUs get wrong float32 convolutions from the oneDNN build inside libtorch:
    /// on AMD Zen 5 (family 26) its direct 3×3 kernels (<c>jit:avx512_core</c>, and <c>jit:avx2</c> under
    /// <c>ONEDNN_MAX_CPU_ISA=AVX2</c>) return results off by tens of percent whenever the input channels are not a
    /// multiple of the kernel's block width, e.g. FaceLiVT-S's 20→40 stem conv. Where <see cref="ConvolutionCheck"/>
    /// finds that, oneDNN convolutions are switched off for the process and libtorch's own kernels are used; if those are
    /// wrong too, training cannot be trusted and this throws.
    /// </summary>
    public static CpuConvolutions EnsureCorrectConvolutions() => Convolutions.Value;

    /// <summary>Sets libtorch's intra-op threads (default: all cores).</summary>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(threads);
    }

    private static CpuConvolutions ChooseConvolutions()
    {
        // TorchSharp loads libtorch on first use; the context calls below need it loaded.
        torch.InitializeDeviceType(DeviceType.CPU);
        bool oneDnn = LibTorchContext.OneDnnEnabled;
        double error = ConvolutionCheck.WorstRelativeError();
        if (!oneDnn || error <= ConvolutionCheck.Tolerance) return new CpuConvolutions(oneDnn, error, null);
        LibTorchContext.OneDnnEnabled = false;
        double native = ConvolutionCheck.WorstRelativeError();
        if (!(native <= ConvolutionCheck.Tolerance))
            throw new FaceprintException(FormattableString.Invariant(
                $"libtorch computes wrong float32 convolutions on this CPU (relative error {error:G3} with oneDNN, {native:G3} without)"));
        return new CpuConvolutions(false, native, error);
    }
}
