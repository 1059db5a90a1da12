namespace Faceprint.Evaluation.Ijb;

/// <summary>The images (with their templates and media) and the template pairs of an IJB 1:1 verification run.</summary>
/// <param name="Images">Every image of the landmarks file, in its order.</param>
/// <param name="Pairs">The template comparisons, in file order.</param>
public sealed record IjbProtocol(IReadOnlyList<IjbImage> Images, IReadOnlyList<IjbTemplatePair> Pairs);
