namespace Faceprint.Training.Cli.Output;

/// <summary>JSON of <c>faceprint train</c>: how far the run got, how it ended, and where its files are.</summary>
internal sealed record TrainReport(
    string Network,
    int Images,
    int Identities,
    long Steps,
    long TotalSteps,
    double? LastLoss,
    double? BestAccuracy,
    long? BestStep,
    double Seconds,
    string LastCheckpoint,
    string? BestCheckpoint,
    string Curve);
