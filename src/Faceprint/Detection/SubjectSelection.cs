namespace Faceprint.Detection;

/// <summary>
/// Picks the subject among the faces of one photo. Prominence is the box area minus twice the squared distance
/// (in pixels) from the box centre to the image centre: the rule InsightFace's and FaceNet's dataset alignment
/// scripts use, so a large face near the border (a bystander cut off by the frame) loses to a slightly smaller
/// centred one, while a much larger face still wins wherever it is.
/// </summary>
public static class SubjectSelection
{
    /// <summary>Weight of the squared centre distance against the box area.</summary>
    public const float CentreDistanceWeight = 2f;

    /// <summary>Centre-weighted prominence of <paramref name="face"/> in an image of the given size.</summary>
    public static double Prominence(DetectedFace face, int imageWidth, int imageHeight)
    {
        var box = face.Box;
        double dx = (box.X1 + box.X2) / 2.0 - imageWidth / 2.0;
        double dy = (box.Y1 + box.Y2) / 2.0 - imageHeight / 2.0;
        return box.Area - CentreDistanceWeight * (dx * dx + dy * dy);
    }

    /// <summary>
    /// Index in <paramref name="faces"/> of the face <paramref name="choice"/> picks; ties go to the higher detector
    /// score, then to the earlier face. Throws when <paramref name="faces"/> is empty.
    /// </summary>
    public static int IndexOf(IReadOnlyList<DetectedFace> faces, int imageWidth, int imageHeight, FaceChoice choice)
    {
        if (faces.Count == 0) throw new ArgumentException("no faces to choose from", nameof(faces));
        int best = 0;
        double bestKey = Key(faces[0]);
        for (int i = 1; i < faces.Count; i++)
        {
            double key = Key(faces[i]);
            if (key > bestKey || (key == bestKey && faces[i].Score > faces[best].Score))
            {
                best = i;
                bestKey = key;
            }
        }
        return best;

        double Key(DetectedFace f) => choice switch
        {
            FaceChoice.Prominent => Prominence(f, imageWidth, imageHeight),
            FaceChoice.Largest => f.Box.Area,
            _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "unknown face choice"),
        };
    }
}
