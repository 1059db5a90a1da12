namespace Faceprint.Cli.Output;

/// <summary>JSON of <c>faceprint embed</c>: the model identity (embeddings of different models must not be compared) and one vector per face.</summary>
internal sealed record EmbedReport(string Image, string Model, int Dimension, IReadOnlyList<EmbeddedFaceJson> Faces);

/// <summary>One face with its L2-normalised embedding.</summary>
internal sealed record EmbeddedFaceJson(BoxJson Box, float Score, LandmarksJson Landmarks, IReadOnlyList<float> Embedding);
