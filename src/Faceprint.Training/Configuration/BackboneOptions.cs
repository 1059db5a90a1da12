namespace Faceprint.Training.Configuration;

/// <summary>What a backbone factory is told: the embedding length and the side of the square input.</summary>
/// <param name="EmbeddingSize">D, the length of each output embedding.</param>
/// <param name="InputSize">S: the backbone maps N×3×S×S to N×D (112 for the papers' models).</param>
public sealed record BackboneOptions(int EmbeddingSize, int InputSize = 112);
