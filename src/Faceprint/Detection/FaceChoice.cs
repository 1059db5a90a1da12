namespace Faceprint.Detection;

/// <summary>Which detected face stands for "the face of this photo" when a photo holds several.</summary>
public enum FaceChoice
{
    /// <summary>
    /// The largest box after a penalty for its distance from the image centre (see
    /// <see cref="SubjectSelection.Prominence"/>): the photo's subject rather than a bystander cut off by the border.
    /// </summary>
    Prominent,

    /// <summary>The largest box, wherever it is.</summary>
    Largest,
}
