namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint compare</c>: the most prominent face of each image and the verdict.</summary>
internal sealed record CompareReport(
    string ImageA, string ImageB, string Model, float Similarity, float Threshold, bool Same, FaceJson FaceA, FaceJson FaceB);
