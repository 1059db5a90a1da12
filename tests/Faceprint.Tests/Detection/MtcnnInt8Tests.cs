using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Weights;
using Faceprint.Detection;
using Faceprint.Engine;
using Faceprint.Imaging;
using Faceprint.Models;
using Faceprint.Tests.Imaging;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.Detection;

/// <summary>MTCNN on the int8 path: the recorded plans, the calibrator that makes them, and int8 detection against fp32.</summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class MtcnnInt8Tests
{
    // Fixture photos (the plans were calibrated on the fixtures), one clear face each.
    private static readonly string[] Photos = ["face0.jpg", "img1.jpeg", "img2.jpeg", "img3.jpeg"];
    private readonly DefaultModelsFixture _models;

    public MtcnnInt8Tests(DefaultModelsFixture models) => _models = models;

    private static (Network PNet, Network RNet, Network ONet) Nets()
    {
        var paths = DefaultModelsFixture.Paths;
        return (ModelFamilies.Build(ModelFile.Load(paths.PNet)), ModelFamilies.Build(ModelFile.Load(paths.RNet)), ModelFamilies.Build(ModelFile.Load(paths.ONet)));
    }

    private RgbImage Load(string name) => _models.Engine.LoadImageAsync(TestImages.DataPath(name)).GetAwaiter().GetResult();

    [Fact]
    public void TheRecordedPlansRunEveryConvOfEachNetInEightBits()
    {
        var fp32 = Nets();
        var int8 = DefaultDetectorQuantization.Quantization.Apply(fp32.PNet, fp32.RNet, fp32.ONet);
        foreach (var (net, quantized) in new[] { (fp32.PNet, int8.PNet), (fp32.RNet, int8.RNet), (fp32.ONet, int8.ONet) })
        {
            var convs = net.Optimized.Layers.Where(NetworkQuantizer.CanQuantize).Select(l => l.Name).ToList();
            Assert.NotEmpty(convs);
            Assert.DoesNotContain(quantized.Layers, l => convs.Contains(l.Name) && l is Conv2dLayer);
            Assert.Contains(quantized.Layers, l => l is Int8Conv2dLayer);
        }
    }

    [Fact]
    public void CalibrationOnFixturePhotosLiesInsideTheRecordedRangesAndRoundTripsAsPlans()
    {
        var fp32 = Nets();
        var calibrator = new MtcnnCalibrator(fp32.PNet, fp32.RNet, fp32.ONet);
        foreach (var name in Photos) calibrator.Observe(Load(name));
        var fresh = calibrator.Plans(CalibrationMethod.MinMax, []);
        var recorded = DefaultDetectorQuantization.Quantization;
        foreach (var (plan, known) in new[] { (fresh.PNet, recorded.PNet), (fresh.RNet, recorded.RNet), (fresh.ONet, recorded.ONet) })
        {
            Assert.Equal(Photos.Length, plan.CalibrationImages);
            Assert.Equal(known.Inputs.Keys.Order(), plan.Inputs.Keys.Order());
            var parsed = QuantizationPlan.Parse(plan.ToJson());
            Assert.Equal(plan.Inputs.OrderBy(kv => kv.Key), parsed.Inputs.OrderBy(kv => kv.Key));
            // These photos are among the calibration photos (minmax), so each range must lie inside the recorded one.
            foreach (var (layer, q) in plan.Inputs)
            {
                var r = known.Inputs[layer];
                float slack = 0.01f * 255 * r.Scale;
                float min = -q.ZeroPoint * q.Scale, max = (255 - q.ZeroPoint) * q.Scale;
                Assert.True(min >= -r.ZeroPoint * r.Scale - slack && max <= (255 - r.ZeroPoint) * r.Scale + slack, $"{layer}: [{min}, {max}] outside the recorded range");
            }
        }
    }

    [Fact]
    public void Int8DetectionFindsEveryFp32FaceWithNearbyLandmarks()
    {
        using var int8 = FaceEngine.Load(DefaultModelsFixture.Paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold,
            new FaceEngineOptions { Threads = 2, Int8Detection = true });
        int extra = 0;
        foreach (var name in Photos)
        {
            var image = Load(name);
            var expected = _models.Engine.Detect(image);
            var actual = int8.Detect(image);
            Assert.NotEmpty(expected);
            foreach (var a in expected)
            {
                var b = actual.MaxBy(f => Iou(a.Box, f.Box))!;
                Assert.True(Iou(a.Box, b.Box) >= 0.5f, $"{name}: fp32 face at {a.Box} has no int8 face overlapping it");
                float eyes = Distance(a.Landmarks[0], a.Landmarks[1]);
                // The cascade itself moves landmarks by up to ~25 % of the eye distance under one level of pixel noise.
                for (int p = 0; p < 5; p++)
                    Assert.True(Distance(a.Landmarks[p], b.Landmarks[p]) < 0.15f * eyes,
                        $"{name}: landmark {p} moved {Distance(a.Landmarks[p], b.Landmarks[p])} px, eyes {eyes} px apart");
            }
            Assert.Equal(FaceEngine.MostProminent(expected, image).Box, FaceEngine.MostProminent(actual, image).Box, BoxesNear);
            extra += actual.Count - expected.Count;
        }
        // Int8 may add a face fp32 does not find (one, scored 0.80, on these photos): why int8 detection is opt-in.
        Assert.InRange(extra, 0, 1);
    }

    private static bool BoxesNear(BoundingBox a, BoundingBox b) => Iou(a, b) >= 0.5f;

    private static float Iou(BoundingBox a, BoundingBox b)
    {
        float w = Math.Min(a.X2, b.X2) - Math.Max(a.X1, b.X1), h = Math.Min(a.Y2, b.Y2) - Math.Max(a.Y1, b.Y1);
        if (w <= 0 || h <= 0) return 0;
        return w * h / (a.Area + b.Area - w * h);
    }

    private static float Distance(PointF a, PointF b) => MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
