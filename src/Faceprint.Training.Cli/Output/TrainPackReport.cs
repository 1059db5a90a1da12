namespace Faceprint.Training.Cli.Output;

/// <summary>JSON of <c>faceprint train pack</c>.</summary>
internal sealed record TrainPackReport(string Images, string Rec, string Idx, int Packed, int Identities);
