namespace Faceprint.Evaluation.Ijb;

/// <summary>
/// Where the files of an IJB release live in the layout InsightFace's evaluation reads: the face crops in
/// <c>loose_crop/</c> and three space-separated files in <c>meta/</c>, named after the target.
/// </summary>
/// <param name="Root">The release folder (holding <c>loose_crop</c> and <c>meta</c>).</param>
/// <param name="Target">IJB-B or IJB-C.</param>
public sealed record IjbLayout(string Root, IjbTarget Target)
{
    /// <summary>"ijbb" or "ijbc", the prefix of the meta file names.</summary>
    public string Prefix => Target == IjbTarget.IJBB ? "ijbb" : "ijbc";

    /// <summary>The folder of face crops the landmarks refer to.</summary>
    public string ImagesFolder => Path.Combine(Root, "loose_crop");

    /// <summary>Per image: name, five landmarks (x y ×5) and the detector score.</summary>
    public string LandmarksFile => Path.Combine(Root, "meta", $"{Prefix}_name_5pts_score.txt");

    /// <summary>Per image, in the same order: name, template id, media id.</summary>
    public string TemplateMediaFile => Path.Combine(Root, "meta", $"{Prefix}_face_tid_mid.txt");

    /// <summary>Per comparison: template id, template id, label (1 same subject, 0 different).</summary>
    public string PairsFile => Path.Combine(Root, "meta", $"{Prefix}_template_pair_label.txt");

    /// <summary>The path of an image named in the landmarks file.</summary>
    public string ImagePath(string name) => Path.Combine(ImagesFolder, name);
}
