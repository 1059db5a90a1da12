namespace Faceprint.Import.TfJs;

/// <summary>
/// A per-channel input convention put in front of an imported graph, for models whose graph starts at the first conv
/// while their origin prepares pixels outside it: network input channel c becomes in[c']·Scale[c] + Shift[c], where
/// c' = c or, with <see cref="ReverseChannels"/>, C−1−c (RGB pixels fed to a BGR model).
/// </summary>
public sealed record TfJsInputTransform(float[] Scale, float[] Shift, bool ReverseChannels);
