using SkiaSharp;

namespace Faceprint.Evaluation;

/// <summary>One legend line: a swatch in <paramref name="Color"/> (a filled box or a line, dashed or not) and its label.</summary>
internal readonly record struct PlotLegendEntry(string Label, SKColor Color, bool Filled = false, bool Dashed = false);
