using System.Globalization;
using Faceprint.Evaluation;

namespace Faceprint.Training.Trainer;

/// <summary>
/// The training curve: one CSV row per step (step, epoch, learning rate, loss, validation accuracy when validated) appended
/// to <c>curve.csv</c>, so a resumed run continues the same file, and PNG plots of loss and validation accuracy.
/// </summary>
public sealed class TrainingCurve
{
    private const string Header = "step,epoch,lr,loss,val_accuracy";
    private readonly string _csvPath;
    private readonly List<(double X, double Y)> _loss = [];
    private readonly List<(double X, double Y)> _accuracy = [];

    /// <summary>A curve in <paramref name="folder"/>; nothing is read or written before <see cref="StartAt"/>.</summary>
    public TrainingCurve(string folder)
    {
        Directory.CreateDirectory(folder);
        _csvPath = Path.Combine(folder, "curve.csv");
        LossPlotPath = Path.Combine(folder, "curve-loss.png");
        AccuracyPlotPath = Path.Combine(folder, "curve-accuracy.png");
    }

    /// <summary>The loss plot's path.</summary>
    public string LossPlotPath { get; }

    /// <summary>The validation accuracy plot's path (written once there is a validation).</summary>
    public string AccuracyPlotPath { get; }

    /// <summary>
    /// Continues the curve of a run that has done <paramref name="step"/> steps: rows up to that step are kept (a resumed
    /// run), later ones dropped (they are redone, or belong to an earlier run in the same folder when starting at 0).
    /// </summary>
    public void StartAt(long step)
    {
        List<string> kept = File.Exists(_csvPath) ? [.. File.ReadLines(_csvPath).Skip(1).Where(line => StepOf(line) <= step)] : [];
        _loss.Clear();
        _accuracy.Clear();
        foreach (var line in kept)
            ReadRow(line);
        File.WriteAllLines(_csvPath, [Header, .. kept]);
    }

    /// <summary>Appends the row of step <paramref name="step"/> (1-based count of steps done).</summary>
    public void Add(long step, int epoch, double learningRate, double loss, double? accuracy)
    {
        var row = string.Create(CultureInfo.InvariantCulture, $"{step},{epoch},{learningRate:G6},{loss:G6},{(accuracy is { } a ? a.ToString("F6", CultureInfo.InvariantCulture) : "")}\n");
        File.AppendAllText(_csvPath, row);
        _loss.Add((step, loss));
        if (accuracy is { } acc)
            _accuracy.Add((step, acc));
    }

    /// <summary>Redraws the plots.</summary>
    public void WritePlots()
    {
        if (_loss.Count > 0)
            LineChart.Write(LossPlotPath, "Training loss", "Step", "Loss", [("loss", _loss)]);
        if (_accuracy.Count > 0)
            LineChart.Write(AccuracyPlotPath, "Validation accuracy (10-fold)", "Step", "Accuracy", [("pair accuracy", _accuracy)]);
    }

    private long StepOf(string line)
    {
        int comma = line.IndexOf(',');
        return comma > 0 && long.TryParse(line.AsSpan(0, comma), CultureInfo.InvariantCulture, out long step)
            ? step
            : throw new FaceprintException($"{_csvPath}: malformed row '{line}'");
    }

    private void ReadRow(string line)
    {
        var f = line.Split(',');
        if (f.Length != 5 || !double.TryParse(f[3], CultureInfo.InvariantCulture, out double loss))
            throw new FaceprintException($"{_csvPath}: malformed row '{line}'");
        long step = StepOf(line);
        _loss.Add((step, loss));
        if (double.TryParse(f[4], CultureInfo.InvariantCulture, out double accuracy))
            _accuracy.Add((step, accuracy));
    }
}
