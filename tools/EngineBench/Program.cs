// Engine throughput per model, without the image pipeline around it:
//   dotnet run -c Release --project tools/EngineBench -- THREADS BATCH [--layers] [MODEL...]
// MODEL: default (the pulled 192-d MobileFaceNet), nano, tiny, standard, xs (FaceX sizes with seeded random
// weights), pnet (one 384x288 level), rnet, onet (BATCH crops), or any built-in configuration by name (facelivt-s-la,
// vit-t, ...; seeded random weights). Prints median wall time per image and, because the
// build machines are shared, the calling thread's CPU time too (a steadier number for A/B comparisons on a loaded
// machine). --layers times each layer of the optimised graph alone on one thread instead.
using System.Diagnostics;
using System.Runtime.InteropServices;
using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Optimization;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models;
using Faceprint.Models.MobileFaceNet;
using Faceprint.Storage;

int threads = int.Parse(args[0]), batch = int.Parse(args[1]);
bool layers = args.Contains("--layers");
var names = args.Skip(2).Where(a => a != "--layers").ToArray();
if (names.Length == 0) names = ["default", "nano", "tiny", "standard", "xs"];
var paths = await DefaultModels.EnsureAsync(FaceprintHome.Default);

foreach (string name in names)
{
    var (network, input) = Load(name, batch, paths);
    if (layers)
    {
        TimeLayers(network, input);
        continue;
    }
    long macs = network.CountMacs(input with { N = 1 });
    var session = new InferenceSession(network, threads);
    var data = session.PrepareInput(input);
    var random = new Random(2);
    for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
    for (int i = 0; i < 10; i++) session.Run();
    int runs = Math.Max(7, 400 / batch);
    var wall = new double[runs];
    var cpu = new double[runs];
    for (int i = 0; i < runs; i++)
    {
        double cpu0 = ThreadCpuMs();
        long start = Stopwatch.GetTimestamp();
        session.Run();
        wall[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds / batch;
        cpu[i] = (ThreadCpuMs() - cpu0) / batch;
    }
    Array.Sort(wall);
    Array.Sort(cpu);
    double median = wall[runs / 2];
    Console.WriteLine($"{name,-9} {input} threads {threads}: median {median,7:F3} ms/image, {2.0 * macs / (median * 1e6),6:F1} GFLOP/s " +
        $"({macs / 1e6:F1} M MACs/image); calling thread CPU median {cpu[runs / 2]:F3} ms/image");
}

static (Network, TensorShape) Load(string name, int batch, FaceModelPaths paths)
{
    var face = new TensorShape(batch, 112, 112, 3);
    switch (name)
    {
        case "default": return (ModelFamilies.Build(ModelFile.Load(paths.Embedder)), face);
        case "pnet": return (ModelFamilies.Build(ModelFile.Load(paths.PNet)), new TensorShape(1, 384, 288, 3));
        case "rnet": return (ModelFamilies.Build(ModelFile.Load(paths.RNet)), new TensorShape(batch, 24, 24, 3));
        case "onet": return (ModelFamilies.Build(ModelFile.Load(paths.ONet)), new TensorShape(batch, 48, 48, 3));
    }
    if (BuiltInModels.Find(name) is { } blueprint)
        return (blueprint.Build(RandomWeights.Create(blueprint.Parameters, 1)), face);
    var config = name switch
    {
        "nano" => MobileFaceNetConfig.FaceXNano,
        "tiny" => MobileFaceNetConfig.FaceXTiny,
        "standard" => MobileFaceNetConfig.FaceXStandard,
        "xs" => MobileFaceNetConfig.FaceXXs,
        _ => throw new ArgumentException($"unknown model {name}"),
    };
    // Random weights time the same as trained ones; He-style scaling keeps activations finite through the depth.
    var specs = MobileFaceNetDefinition.Parameters(config).ToList();
    var random = new Random(1);
    var values = specs.Select(s =>
    {
        var v = new float[NamedTensor.Count(s.Shape)];
        float scale = s.Name.EndsWith(".alpha") ? 0.25f : s.Name.EndsWith(".bias") ? 0.1f
            : (float)Math.Sqrt(3.0 / s.Shape.Skip(1).Aggregate(1, (a, b) => a * b));
        for (int i = 0; i < v.Length; i++) v[i] = scale * (float)(random.NextDouble() * 2 - 1);
        return v;
    }).ToList();
    return (MobileFaceNetDefinition.Build(config, WeightSet.FromOrdered(specs, values, name)), face);
}

static void TimeLayers(Network network, TensorShape input)
{
    var graph = NetworkOptimizer.Optimize(network);
    var shapes = graph.InferShapes(input);
    var random = new Random(1);
    var values = shapes.Select(s => Enumerable.Range(0, Math.Max(1, s.Size)).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
    // Whole passes first, so every kernel has tiered up before any layer is timed.
    for (int pass = 0; pass < 40; pass++)
        foreach (var layer in graph.Layers) layer.Run(new LayerArgs(values, shapes, layer, 1));
    double total = 0;
    var inputs = new TensorShape[4];
    foreach (var layer in graph.Layers)
    {
        for (int i = 0; i < layer.Inputs.Length; i++) inputs[i] = shapes[layer.Inputs[i]];
        long macs = layer.CountMacs(inputs.AsSpan(0, layer.Inputs.Length));
        for (int i = 0; i < 5; i++) layer.Run(new LayerArgs(values, shapes, layer, 1));
        double best = double.MaxValue;
        for (int i = 0; i < 20; i++)
        {
            double cpu0 = ThreadCpuMs();
            layer.Run(new LayerArgs(values, shapes, layer, 1));
            best = Math.Min(best, ThreadCpuMs() - cpu0);
        }
        total += best;
        Console.WriteLine($"{layer.Name,-22} {best * 1000,8:F0} us {2.0 * macs / (best * 1e6),6:F1} GFLOP/s  {shapes[layer.Inputs[0]]} -> {shapes[layer.Output]}");
    }
    Console.WriteLine($"{network.Name}: sum of per-layer best CPU times {total:F3} ms");
}

static double ThreadCpuMs()
{
    const int ClockThreadCpuTime = 3;
    clock_gettime(ClockThreadCpuTime, out var ts);
    return ts.Seconds * 1e3 + ts.Nanoseconds / 1e6;
}

[DllImport("libc")]
static extern int clock_gettime(int clock, out TimeSpec value);

internal struct TimeSpec
{
    public long Seconds;
    public long Nanoseconds;
}
