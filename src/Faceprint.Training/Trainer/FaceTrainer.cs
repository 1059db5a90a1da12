using System.Diagnostics;
using Faceprint.Training.Data;
using Faceprint.Training.Heads;
using Faceprint.Training.Losses;
using Faceprint.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Faceprint.Training.Trainer;

/// <summary>
/// Trains a face-embedding backbone with a margin softmax over PartialFC class centres (optionally LVFace's staged loss
/// and feature distillation), with warm-up + decay schedule, gradient clipping, periodic pair validation keeping the
/// best checkpoint, a training-curve CSV/PNG and exact resume. Runs in fp32 (on the CPU there is no faster precision).
/// </summary>
public sealed class FaceTrainer : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _backbone;
    private readonly TrainerOptions _options;
    private readonly BatchLoader _loader;
    private readonly MarginClassificationLoss _loss;
    private readonly DistillationLoss? _distillation;
    private readonly PairValidationSet? _validation;
    private readonly OptimizerHelper _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly Parameter[] _backboneParameters;
    private readonly TrainingCurve? _curve;
    private readonly Device _device;
    private TrainerState _state;
    private double? _lastAccuracy;

    /// <summary>
    /// Sets up training of <paramref name="backbone"/> on <paramref name="data"/>. The class centres are drawn from torch's
    /// global generator, so seed it (with the backbone's creation) for a reproducible start.
    /// </summary>
    public FaceTrainer(nn.Module<Tensor, Tensor> backbone, IFaceDataset data, TrainerOptions options,
        PairValidationSet? validation = null, DistillationLoss? distillation = null, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Epochs, 1);
        // Any backbone, not only the built-in ones, must train on correct convolutions.
        TorchRuntime.EnsureCorrectConvolutions();
        _device = device ?? TorchRuntime.DefaultDevice;
        _backbone = backbone;
        _backbone.to(_device);
        _options = options;
        _loader = new BatchLoader(data, options.Loader with { Seed = options.Seed });
        Head = new PartialFC(data.ClassCount, options.EmbeddingSize, options.SampleRate, _device);
        _loss = new MarginClassificationLoss(Head, options.Margin, options.Seed, options.Stable);
        _distillation = distillation;
        _validation = validation;
        _backboneParameters = [.. backbone.parameters()];
        _optimizer = OptimizerFactory.Create([.. _backboneParameters, .. Head.parameters()], options.Optimizer);
        TotalSteps = (long)_loader.BatchesPerEpoch * options.Epochs;
        _schedule = new LearningRateSchedule(options.Schedule, options.Optimizer.LearningRate, TotalSteps,
            Math.Min(TotalSteps, (long)Math.Round(options.WarmupEpochs * _loader.BatchesPerEpoch)), options.MinLearningRate);
        _state = new TrainerState { Seed = options.Seed };
        if (options.OutputFolder is { } folder)
            _curve = new TrainingCurve(folder);
    }

    /// <summary>The class centres.</summary>
    public PartialFC Head { get; }

    /// <summary>Steps of the whole run.</summary>
    public long TotalSteps { get; }

    /// <summary>Where the run stands.</summary>
    public TrainerState State => _state;

    /// <summary>Folder of the latest checkpoint, <c>null</c> without an output folder.</summary>
    public string? LastCheckpointFolder => _options.OutputFolder is { } f ? Path.Combine(f, "last") : null;

    /// <summary>Folder of the best-validating checkpoint, <c>null</c> without an output folder.</summary>
    public string? BestCheckpointFolder => _options.OutputFolder is { } f ? Path.Combine(f, "best") : null;

    /// <summary>
    /// Trains until the last epoch ends, <paramref name="stopAfterStep"/> steps have been done, or cancellation (checked
    /// between steps; the run then stops cleanly and can be saved and resumed).
    /// </summary>
    public TrainingSummary Run(long? stopAfterStep = null, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        double lastLoss = double.NaN;
        long stop = Math.Min(TotalSteps, stopAfterStep ?? TotalSteps);
        _curve?.StartAt(_state.Step);
        _backbone.train();
        while (_state.Step < stop && !ct.IsCancellationRequested)
        {
            int epoch = _state.Epoch;
            if (_state.Batch == 0)
                _loss.OnEpochStart(epoch);
            foreach (var batch in _loader.Epoch(epoch, _state.Batch, ct))
            {
                lastLoss = TrainStep(batch);
                bool epochEnd = batch.Index + 1 == _loader.BatchesPerEpoch;
                _state = _state with
                {
                    Step = _state.Step + 1,
                    Epoch = epochEnd ? epoch + 1 : epoch,
                    Batch = epochEnd ? 0 : batch.Index + 1,
                };
                double? accuracy = null;
                bool validate = _options.ValidateEvery > 0 ? _state.Step % _options.ValidateEvery == 0 : epochEnd;
                if (_validation is not null && (validate || _state.Step == TotalSteps))
                    accuracy = Validate();
                _curve?.Add(_state.Step, epoch, _schedule.At(_state.Step - 1), lastLoss, accuracy);
                bool checkpoint = _options.CheckpointEvery > 0 ? _state.Step % _options.CheckpointEvery == 0 : epochEnd;
                if (LastCheckpointFolder is { } last && (checkpoint || _state.Step == TotalSteps))
                    SaveCheckpoint(last);
                progress?.Report(new TrainingProgress(_state.Step, TotalSteps, epoch, lastLoss, _schedule.At(_state.Step - 1), accuracy));
                if (_state.Step >= stop || ct.IsCancellationRequested)
                    break;
            }
        }
        _curve?.WritePlots();
        return new TrainingSummary(_state.Step, _state.Step >= TotalSteps, lastLoss, _lastAccuracy, _state.BestAccuracy, _state.BestStep, clock.Elapsed);
    }

    /// <summary>Validates now (when a validation set was given) and returns the 10-fold mean accuracy.</summary>
    public double? Validate()
    {
        if (_validation is null)
            return null;
        double accuracy = _validation.Evaluate(_backbone, _device).MeanAccuracy;
        _lastAccuracy = accuracy;
        if (_state.BestAccuracy is not { } best || accuracy > best)
        {
            _state = _state with { BestAccuracy = accuracy, BestStep = _state.Step };
            if (BestCheckpointFolder is { } folder)
                SaveCheckpoint(folder);
        }
        return accuracy;
    }

    /// <summary>Writes a resumable checkpoint of the current state to <paramref name="folder"/>.</summary>
    public void SaveCheckpoint(string folder)
    {
        using var rng = torch.random.get_rng_state();
        var state = _state with { TorchRngState = Convert.ToBase64String(rng.data<byte>().ToArray()) };
        TrainingCheckpoint.Save(folder, _backbone, Head, _optimizer, state);
    }

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/> by a trainer with the same configuration.</summary>
    /// <exception cref="FaceprintException">The checkpoint is incomplete, does not fit, or was written with another seed.</exception>
    public void LoadCheckpoint(string folder)
    {
        var state = TrainingCheckpoint.Load(folder, _backbone, Head, _optimizer);
        if (state.Seed != _options.Seed)
            throw new FaceprintException($"checkpoint {folder} was trained with seed {state.Seed}, this run has seed {_options.Seed}; the data order would differ");
        if (state.TorchRngState.Length > 0)
        {
            using var rng = tensor(Convert.FromBase64String(state.TorchRngState));
            torch.random.set_rng_state(rng);
        }
        _state = state;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        Head.Dispose();
    }

    private double TrainStep(TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        _schedule.Apply(_optimizer, _state.Step);
        _optimizer.zero_grad();
        var x = tensor(batch.Pixels, [batch.Count, 3, batch.ImageSize, batch.ImageSize]).to(_device);
        var embeddings = _backbone.forward(x);
        var loss = _loss.Forward(embeddings, batch.Labels, batch.Epoch, _state.Step);
        if (_distillation is not null)
            loss = loss + _distillation.Forward(x, embeddings);
        loss.backward();
        if (_options.GradientClip is { } clip)
            nn.utils.clip_grad_norm_(_backboneParameters, clip); // the backbone only, as InsightFace clips
        _optimizer.step();
        _loss.AfterStep(embeddings, batch.Labels, batch.Epoch);
        double value = loss.item<float>();
        if (!double.IsFinite(value))
            throw new FaceprintException($"training diverged: loss is {value} at step {_state.Step + 1} (lower the learning rate or enable gradient clipping)");
        return value;
    }
}
