using System.Runtime.InteropServices;

namespace Faceprint.Training;

/// <summary>
/// The one libtorch global setting TorchSharp does not wrap: whether CPU convolutions may use oneDNN (PyTorch's
/// <c>torch.backends.mkldnn.enabled</c>). Reached through <c>at::Context</c>'s exported methods in libtorch_cpu, whose
/// Itanium C++ ABI names are stable on Linux and macOS; with oneDNN off, libtorch convolves with its own im2col + GEMM kernels.
/// </summary>
internal static partial class LibTorchContext
{
    private const string Library = "torch_cpu";

    /// <summary>Whether libtorch routes CPU convolutions to oneDNN.</summary>
    public static bool OneDnnEnabled
    {
        get => UserEnabledMkldnn(GlobalContext());
        set => SetUserEnabledMkldnn(GlobalContext(), value);
    }

    [LibraryImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledMkldnn(IntPtr context);

    [LibraryImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static partial void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);
}
