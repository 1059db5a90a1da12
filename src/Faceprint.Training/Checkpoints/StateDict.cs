using Faceprint.Core.Weights;
using Faceprint.Import.Checkpoints;
using Faceprint.Training.Models;
using static TorchSharp.torch;

namespace Faceprint.Training.Checkpoints;

/// <summary>
/// Moves a <see cref="FaceBackbone"/>'s state_dict to and from checkpoint tensors, strictly by the backbone's
/// <see cref="FaceBackbone.StateDictSpecs"/>. Tensors are listed in that contract's order (PyTorch's state_dict order),
/// each BatchNorm's <c>num_batches_tracked</c> counter right after its running variance, stored as int64 as PyTorch does.
/// </summary>
public static class StateDict
{
    private const string RunningVar = ".running_var";
    private const string Counter = ".num_batches_tracked";

    /// <summary>The backbone's state as checkpoint tensors (copied to the CPU as fp32).</summary>
    public static IReadOnlyList<CheckpointTensor> Export(FaceBackbone model)
    {
        var state = model.state_dict();
        var expected = ExpectedNames(model).ToHashSet(StringComparer.Ordinal);
        var unexpected = state.Keys.Where(k => !expected.Contains(k)).ToList();
        var missing = expected.Where(k => !state.ContainsKey(k)).ToList();
        if (unexpected.Count > 0 || missing.Count > 0)
            throw new InvalidOperationException($"{model.GetType().Name}: state_dict differs from its contract (unexpected: {string.Join(", ", unexpected)}; missing: {string.Join(", ", missing)})");
        var tensors = new List<CheckpointTensor>(state.Count);
        foreach (var spec in model.StateDictSpecs)
        {
            tensors.Add(new CheckpointTensor(spec.Name, ShapeOf(state[spec.Name]), TensorElementType.Float32, Values(state[spec.Name])));
            string counter = CounterOf(spec.Name);
            if (counter.Length > 0 && state.TryGetValue(counter, out var steps))
                tensors.Add(new CheckpointTensor(counter, [], TensorElementType.Int64, [steps.to_type(ScalarType.Float32).item<float>()]));
        }
        return tensors;
    }

    /// <summary>
    /// Copies <paramref name="tensors"/> into the backbone. Every contract tensor must be there with its shape and
    /// nothing else may be, except BatchNorm counters (restored when present); a <c>module.</c> prefix on every name
    /// (DataParallel) is removed. All mismatches are reported in one <see cref="ModelFormatException"/>.
    /// </summary>
    public static void Load(FaceBackbone model, TensorDictionary tensors)
    {
        if (tensors.Count > 0 && tensors.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal))) tensors = tensors.WithoutPrefix("module.");
        var weights = tensors.ToWeightSet(model.StateDictSpecs, model.GetType().Name, TensorDictionary.IsBatchNormCounter);
        var state = model.state_dict();
        using var noGrad = no_grad();
        foreach (var spec in model.StateDictSpecs)
        {
            using var source = tensor(weights[spec.Name], spec.Shape.Select(d => (long)d).ToArray());
            state[spec.Name].copy_(source);
        }
        foreach (var t in tensors.Tensors.Where(t => TensorDictionary.IsBatchNormCounter(t.Name)))
            if (state.TryGetValue(t.Name, out var counter)) counter.fill_((long)t.Data[0]);
    }

    /// <summary>Every name the backbone's state_dict must hold: the contract plus one counter per BatchNorm.</summary>
    private static IEnumerable<string> ExpectedNames(FaceBackbone model)
    {
        foreach (var spec in model.StateDictSpecs)
        {
            yield return spec.Name;
            string counter = CounterOf(spec.Name);
            if (counter.Length > 0) yield return counter;
        }
    }

    private static string CounterOf(string name) =>
        name.EndsWith(RunningVar, StringComparison.Ordinal) ? name[..^RunningVar.Length] + Counter : "";

    private static int[] ShapeOf(Tensor t) => t.shape.Select(d => checked((int)d)).ToArray();

    private static float[] Values(Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return cpu.data<float>().ToArray();
    }
}
