using Faceprint.Training.Data;

namespace Faceprint.Training.Tests.Data;

/// <summary>A dataset of already decoded samples.</summary>
internal sealed class InMemoryDataset(IReadOnlyList<FaceSample> samples, int classCount) : IFaceDataset
{
    public int Count => samples.Count;

    public int ClassCount => classCount;

    public FaceSample Load(int index) => samples[index];
}
