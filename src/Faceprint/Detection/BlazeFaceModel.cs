namespace Faceprint.Detection;

/// <summary>Which of MediaPipe's two BlazeFace detectors a <see cref="BlazeFaceDetector"/> runs.</summary>
public enum BlazeFaceModel
{
    /// <summary>128×128 input, made for faces within about 2 m of a phone camera (selfies); 896 anchors on 16×16 and 8×8 grids.</summary>
    ShortRange,

    /// <summary>192×192 input, made for faces at various distances in photos; 2304 anchors on one 48×48 grid.</summary>
    FullRange,
}
