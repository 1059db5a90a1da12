namespace Faceprint.Cli.Output;

/// <summary>What <c>faceprint models quantize</c> did and how closely the int8 embeddings follow the fp32 ones.</summary>
internal sealed record ModelsQuantizeReport(string Input, string Output, string Method, int CalibrationFaces, int CalibrationPhotos,
    int QuantizedLayers, IReadOnlyList<string> KeptFp32, IReadOnlyList<string> PerChannel, int CheckedFaces, double MeanCosine, double MinCosine);
