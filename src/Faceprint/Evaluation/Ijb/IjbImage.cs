using Faceprint.Detection;

namespace Faceprint.Evaluation.Ijb;

/// <summary>One face crop of the protocol: its file, the five landmarks to align it by, and where it belongs.</summary>
/// <param name="Name">File name relative to <see cref="IjbLayout.ImagesFolder"/>.</param>
/// <param name="Landmarks">Left eye, right eye, nose, left and right mouth corner, in image pixels.</param>
/// <param name="DetectorScore">The detector's confidence in the face, an optional weight of the image.</param>
/// <param name="Template">Template id.</param>
/// <param name="Media">Media id (a photo or a video the crop comes from) within the template.</param>
public sealed record IjbImage(string Name, IReadOnlyList<PointF> Landmarks, float DetectorScore, int Template, int Media);
