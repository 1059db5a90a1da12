using Faceprint.Core.Graph;
using Faceprint.Core.Graph.Quantization;
using Faceprint.Core.Kernels.Int8;
using Faceprint.Core.Kernels.Int8.Native;
using Faceprint.Core.Tensors;
using Faceprint.Core.Weights;
using Faceprint.Engine;
using Faceprint.Models;
using Faceprint.Tests.Core;
using Faceprint.Tests.Support;

namespace Faceprint.Tests.EndToEnd;

/// <summary>
/// The default int8 MobileFaceNet on the emitted AVX-512 VNNI kernel gives the very bits the 256-bit path gives. Where the
/// emitted kernel cannot run (no avx512_vnni, not Linux x64) the test passes without running it, as its name says.
/// </summary>
[Collection(DefaultModelsCollection.Name)]
public sealed class DefaultInt8EmittedKernelTests
{
    [Fact]
    public void DefaultInt8NetworkIsBitIdenticalOnTheEmittedKernelWhereTheCpuHasAvx512Vnni()
    {
        if (Int8VnniKernels.Instance is null) return;
        var other = Int8Isas.IsSupported(Int8Isa.AvxVnni) ? Int8Isa.AvxVnni : Int8Isa.Avx2;
        var network = ModelFamilies.Build(ModelFile.Load(DefaultModelsFixture.Paths.Embedder));
        var plan = DefaultEmbedderQuantization.Plan;
        var shape = new TensorShape(3, 112, 112, 3);
        var faces = CoreReference.RandomFloats(new Random(5), shape.Size);
        float[] Run(Int8Isa isa)
        {
            var int8 = NetworkQuantizer.Quantize(network, plan.Inputs, plan.KeepFp32.ToHashSet(), isa: isa, channelInputs: plan.ChannelInputs);
            var session = new InferenceSession(int8, 2);
            faces.CopyTo(session.PrepareInput(shape));
            session.Run();
            return session.Output(0).ToArray();
        }
        var emitted = Run(Int8Isa.Avx512Vnni);
        Assert.Equal(Run(other), emitted);
        Assert.Contains(emitted, v => v != 0);
    }
}
