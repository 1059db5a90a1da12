namespace Faceprint.Evaluation.Ijb;

/// <summary>One 1:1 verification comparison of two templates.</summary>
/// <param name="Template1">First template id.</param>
/// <param name="Template2">Second template id.</param>
/// <param name="Same">True when both templates show the same subject.</param>
public readonly record struct IjbTemplatePair(int Template1, int Template2, bool Same);
