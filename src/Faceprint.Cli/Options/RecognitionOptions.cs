using System.CommandLine;
using System.Globalization;
using Faceprint.Detection;

namespace Faceprint.Cli.Options;

/// <summary>Options that shape how a photo becomes an embedding: which face, flip averaging, operating point.</summary>
internal static class RecognitionOptions
{
    /// <summary><c>--face prominent|largest</c>: which face stands for the photo.</summary>
    public static Option<string> Face()
    {
        var option = new Option<string>("--face")
        {
            Description = "Which face stands for a photo with several: 'prominent' (largest box after a penalty for distance from the centre) or 'largest'",
            DefaultValueFactory = _ => FaceChoiceNames.Prominent,
        };
        option.AcceptOnlyFromAmong(FaceChoiceNames.Prominent, FaceChoiceNames.Largest);
        return option;
    }

    /// <summary><c>--precision fp32|int8</c>: arithmetic of the embedding network.</summary>
    public static Option<string> Precision()
    {
        var option = new Option<string>("--precision")
        {
            Description = "Embedding network arithmetic: 'fp32', or 'int8' (the default model ships an int8 form; a --model file needs 'faceprint models quantize')",
            DefaultValueFactory = _ => "fp32",
        };
        option.AcceptOnlyFromAmong("fp32", "int8");
        return option;
    }

    /// <summary><c>--detector-precision fp32|int8</c>: arithmetic of the face detector's networks.</summary>
    public static Option<string> DetectorPrecision()
    {
        var option = new Option<string>("--detector-precision")
        {
            Description = "Face detector arithmetic: 'fp32', or 'int8' (about 0.8x the detection time, but landmarks move about twice as far as under one level of pixel noise and a few faces are lost or gained)",
            DefaultValueFactory = _ => "fp32",
        };
        option.AcceptOnlyFromAmong("fp32", "int8");
        return option;
    }

    /// <summary><c>--flip</c>: average each face's embedding with its mirror image's.</summary>
    public static Option<bool> Flip() => new("--flip")
    {
        Description = "Embed each face and its mirror image and average them (twice the embedding cost)",
    };

    /// <summary><c>--far X</c>: use the model's threshold measured for this false-accept rate.</summary>
    public static Option<double?> Far()
    {
        var option = new Option<double?>("--far")
        {
            Description = "Use the default model's threshold calibrated for this false-accept rate (e.g. 1e-3) instead of its default threshold",
            HelpName = "RATE",
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } x && !(x > 0 && x < 1))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--far must be a rate in (0, 1), got {x}"));
        });
        return option;
    }
}
