namespace Faceprint.Training.Configuration;

/// <summary>
/// A training run as written in a JSON (or YAML) file, with InsightFace-style snake_case keys mirroring the papers'
/// configs. Relative paths are resolved against the config file's folder. See <see cref="TrainingConfigFile"/>.
/// </summary>
public sealed record TrainingConfig
{
    /// <summary>Backbone name, as registered in <see cref="BackboneRegistry"/>.</summary>
    public string Network { get; init; } = "";

    /// <summary>Embedding length D.</summary>
    public int EmbeddingSize { get; init; } = 512;

    /// <summary>Side of the square network input (112 for the papers' models).</summary>
    public int InputSize { get; init; } = 112;

    /// <summary>Combined margin (m1, m2, m3): ArcFace [1.0, 0.5, 0.0], CosFace [1.0, 0.0, 0.4].</summary>
    public double[] MarginList { get; init; } = [1.0, 0.5, 0.0];

    /// <summary>Logit scale s.</summary>
    public double Scale { get; init; } = 64;

    /// <summary>PartialFC sample rate (1.0 = full softmax).</summary>
    public double SampleRate { get; init; } = 1.0;

    /// <summary>"sgd" or "adamw".</summary>
    public string Optimizer { get; init; } = "sgd";

    /// <summary>Peak learning rate.</summary>
    public double Lr { get; init; } = 0.1;

    /// <summary>Learning rate at the end.</summary>
    public double MinLr { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Epochs.</summary>
    public int NumEpoch { get; init; } = 20;

    /// <summary>Warm-up epochs (fractions allowed).</summary>
    public double WarmupEpoch { get; init; }

    /// <summary>"polynomial" or "cosine".</summary>
    public string Schedule { get; init; } = "polynomial";

    /// <summary>Global gradient-norm clip of the backbone; null or 0 turns it off.</summary>
    public double? GradientClip { get; init; } = 5;

    /// <summary>Seed of initial weights, data order, flips and PartialFC sampling.</summary>
    public long Seed { get; init; }

    /// <summary>Batches decoded in parallel.</summary>
    public int NumWorkers { get; init; } = 2;

    /// <summary>libtorch intra-op threads; null = all cores.</summary>
    public int? Threads { get; init; }

    /// <summary>Random horizontal flips.</summary>
    public bool RandomFlip { get; init; } = true;

    /// <summary>Training pack <c>train.rec</c> (its <c>train.idx</c> next to it); or use <see cref="ImageFolder"/>.</summary>
    public string? Rec { get; init; }

    /// <summary>Folder of identity sub-folders of aligned faces, instead of <see cref="Rec"/>.</summary>
    public string? ImageFolder { get; init; }

    /// <summary>LFW-format pairs file for validation (images under <see cref="ValRoot"/>, already aligned).</summary>
    public string? ValPairs { get; init; }

    /// <summary>Root folder of the validation images.</summary>
    public string? ValRoot { get; init; }

    /// <summary>InsightFace validation file (lfw.bin, cfp_fp.bin, agedb_30.bin) instead of <see cref="ValPairs"/>.</summary>
    public string? ValBin { get; init; }

    /// <summary>Validate every this many steps (0: at each epoch end).</summary>
    public int ValEvery { get; init; }

    /// <summary>Checkpoint every this many steps (0: at each epoch end).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Distillation teacher, or null.</summary>
    public TeacherConfig? Teacher { get; init; }

    /// <summary>LVFace: first epoch of the expectation stage, or null for none.</summary>
    public int? LvfaceSwitchEpoch { get; init; }

    /// <summary>LVFace: momentum α of the class expectations.</summary>
    public double LvfaceMomentum { get; init; } = 0.9;

    /// <summary>Output folder: checkpoints (last/, best/), curve.csv and plots.</summary>
    public string Output { get; init; } = "work_dirs/run";
}
