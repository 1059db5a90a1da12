// Training throughput of a built-in backbone on the CPU: forward + backward + AdamW step with a CosFace head
// (s 64, m 0.4), as steps/s. Every step sees the same random batch, so the printed loss falling shows the steps learn. Reuses the Release build of the training tests (no copy of
// libtorch of its own), so build that first:
//   dotnet build tests/Faceprint.Training.Tests -c Release
//   dotnet fsi scripts/training-steps.fsx [MODEL=facelivt-s-la] [BATCH=64] [THREADS=2] [STEPS=5]
#r "../tests/Faceprint.Training.Tests/bin/Release/net10.0/TorchSharp.dll"
#r "../tests/Faceprint.Training.Tests/bin/Release/net10.0/Faceprint.dll"
#r "../tests/Faceprint.Training.Tests/bin/Release/net10.0/Faceprint.Training.dll"

open System.Diagnostics
open TorchSharp
open Faceprint.Models
open Faceprint.Training.Models

let args = fsi.CommandLineArgs |> Array.skip 1
let arg i fallback = if args.Length > i then args[i] else fallback
let name = arg 0 "facelivt-s-la"
let batch = int64 (arg 1 "64")
let threads = int (arg 2 "2")
let steps = int (arg 3 "5")
let classes = 1000L
let scalar (x: float) : Scalar = Scalar.op_Implicit x

// The build's patched native library (see build/TorchSharpNativeFix.targets), loaded before TorchSharp looks for one;
// left to itself, TorchSharp under fsi would copy the unpatched package binaries next to the dll.
System.Runtime.InteropServices.NativeLibrary.Load(__SOURCE_DIRECTORY__ + "/../tests/Faceprint.Training.Tests/bin/Release/net10.0/runtimes/linux-x64/native/libLibTorchSharp.so") |> ignore
torch.set_num_threads threads
torch.manual_seed 1L |> ignore
let model = FaceBackbones.Create(BuiltInModels.Find(name))
model.train() |> ignore
let centres = torch.nn.Parameter(torch.randn(classes, int64 model.EmbeddingSize).mul_(scalar 0.01))
let parameters = Seq.append (model.parameters()) [ centres ]
let optimizer = torch.optim.AdamW(parameters, 6e-3, weight_decay = 1e-4)

let faces = torch.rand(batch, 3L, int64 model.InputSize, int64 model.InputSize).mul_(scalar 2.0).sub_(scalar 1.0)
let labels = torch.randint(classes, [| batch |])

let step () =
    use scope = torch.NewDisposeScope()
    optimizer.zero_grad()
    let features = torch.nn.functional.normalize(model.forward(faces), p = 2.0, dim = 1L)
    let cosine = features.matmul(torch.nn.functional.normalize(centres, p = 2.0, dim = 1L).t())
    let margin = torch.nn.functional.one_hot(labels, classes).to_type(torch.float32).mul_(scalar 0.4)
    let loss = torch.nn.functional.cross_entropy((cosine - margin).mul_(scalar 64.0), labels)
    loss.backward()
    optimizer.step() |> ignore
    loss.item<float32>()

let warm = step ()
let watch = Stopwatch.StartNew()
let losses = [ for _ in 1 .. steps -> step () ]
let seconds = watch.Elapsed.TotalSeconds
printfn "%s batch %d, %d threads: %d steps in %.2f s = %.3f steps/s (%.1f faces/s); loss %.3f -> %.3f" name batch threads steps seconds (float steps / seconds) (float steps * float batch / seconds) warm (List.last losses)
