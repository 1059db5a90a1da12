namespace Faceprint.Training;

/// <summary>
/// The outcome of <see cref="TorchRuntime.EnsureCorrectConvolutions"/>: whether libtorch convolves with oneDNN, the
/// worst relative error of the convolutions in use (against float64), and, when oneDNN was switched off, the error it
/// had shown.
/// </summary>
/// <param name="OneDnn">True when oneDNN convolutions are in use (they passed the check).</param>
/// <param name="RelativeError">Worst relative error of the convolutions in use.</param>
/// <param name="RejectedOneDnnError">oneDNN's worst relative error when it failed the check and was switched off; otherwise null.</param>
public sealed record CpuConvolutions(bool OneDnn, double RelativeError, double? RejectedOneDnnError);
