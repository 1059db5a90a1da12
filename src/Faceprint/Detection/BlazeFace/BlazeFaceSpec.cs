namespace Faceprint.Detection.BlazeFace;

/// <summary>
/// What MediaPipe's face detection graphs say about each model: input side, SSD anchor strides (layers of equal
/// stride share one grid), whether an extra interpolated-scale anchor is added per layer, and the default score
/// threshold. Anchors have a fixed size of 1 (the model regresses boxes in input pixels), so only their centres matter.
/// </summary>
internal sealed record BlazeFaceSpec(int InputSize, int[] Strides, bool InterpolatedAnchor, float DefaultMinScore)
{
    /// <summary>Values per anchor in the regressor output: box (x, y, w, h) then six (x, y) keypoints.</summary>
    public const int Coordinates = 16;

    /// <summary>Keypoints per face.</summary>
    public const int Keypoints = 6;

    /// <summary>MediaPipe clips raw scores to ±100 before the sigmoid.</summary>
    public const float ScoreClip = 100f;

    public static BlazeFaceSpec For(BlazeFaceModel model) => model switch
    {
        BlazeFaceModel.ShortRange => new(128, [8, 16, 16, 16], InterpolatedAnchor: true, DefaultMinScore: 0.5f),
        BlazeFaceModel.FullRange => new(192, [4], InterpolatedAnchor: false, DefaultMinScore: 0.6f),
        _ => throw new ArgumentOutOfRangeException(nameof(model), model, "unknown BlazeFace model"),
    };
}
