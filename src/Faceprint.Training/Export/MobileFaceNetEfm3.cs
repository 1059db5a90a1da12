using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;
using Faceprint.Import.Efm3;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Training.Checkpoints;
using Faceprint.Training.Models.MobileFaceNet;

namespace Faceprint.Training.Export;

/// <summary>
/// Maps a trained MobileFaceNet state_dict (names of <see cref="MobileFaceNetModule.Parameters"/>) onto FaceX's EFM3
/// train form, conv by conv in file order; the engine's EFM3 path then folds BatchNorm into its deploy form.
/// </summary>
public static class MobileFaceNetEfm3
{
    /// <summary>The EFM3 model of a MobileFaceNet checkpoint (what FaceX's runtime loads once written by <see cref="Efm3Writer"/>).</summary>
    public static Efm3Model FromCheckpoint(BackboneCheckpoint checkpoint)
    {
        if (checkpoint.Family != MobileFaceNetDefinition.Family)
            throw new ModelFormatException($"EFM3 holds MobileFaceNet weights only, not {checkpoint.Family}");
        var config = ModelFamilies.ReadConfig<MobileFaceNetConfig>(new ModelFile(checkpoint.Family, checkpoint.Config, []));
        return FromStateDict(config, checkpoint.Tensors);
    }

    /// <summary>The EFM3 model of <paramref name="tensors"/>, checked strictly against the state_dict contract.</summary>
    public static Efm3Model FromStateDict(MobileFaceNetConfig config, TensorDictionary tensors)
    {
        Efm3Header header;
        try
        {
            header = Efm3Header.FromConfig(config);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(e.Message, e);
        }
        var weights = tensors.ToWeightSet(MobileFaceNetModule.Parameters(config), "MobileFaceNet", TensorDictionary.IsBatchNormCounter);
        var convs = Efm3Layout.Convs(config).Select(spec => new Efm3Conv(spec,
            weights[spec.Name + ".conv.weight"],
            weights[spec.Name + ".bn.weight"],
            weights[spec.Name + ".bn.bias"],
            weights[spec.Name + ".bn.running_mean"],
            weights[spec.Name + ".bn.running_var"],
            spec.HasPRelu ? weights[spec.Name + ".prelu.weight"] : null)).ToList();
        return new Efm3Model(header, convs);
    }
}
