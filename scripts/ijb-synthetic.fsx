// Writes a synthetic IJB-C-layout tree of N image entries for throughput and memory measurements of
// `faceprint eval ijb`: loose crops (about 250 px) cut around the face of a few fixture photos, landmarks from the
// project's detector, then repeated as symbolic links so N costs no disk. Templates hold 8 images in 2 media of 4;
// pairs compare neighbouring templates with alternating labels, so the TAR numbers mean nothing. Build the tests first:
//   dotnet build tests/Faceprint.Tests -c Release
//   dotnet fsi scripts/ijb-synthetic.fsx ROOT N
#r "../tests/Faceprint.Tests/bin/Release/net10.0/Faceprint.dll"
#r "../tests/Faceprint.Tests/bin/Release/net10.0/SkiaSharp.dll"

open System
open System.IO
open System.Globalization
open Faceprint.Detection
open Faceprint.Engine
open Faceprint.Imaging
open Faceprint.Storage

// fsi does not probe the build's runtimes/ folder: point SkiaSharp's imports at its native library there.
let skia = System.Runtime.InteropServices.NativeLibrary.Load(__SOURCE_DIRECTORY__ + "/../tests/Faceprint.Tests/bin/Release/net10.0/runtimes/linux-x64/native/libSkiaSharp.so")
System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof<SkiaSharp.SKImage>.Assembly, fun _ _ _ -> skia)
let args = fsi.CommandLineArgs |> Array.skip 1
let root = Path.GetFullPath args[0]
let n = int args[1]
let fixtures = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "..", "..", "shared", "fixtures", "deepface"))
let inv (x: float32) = x.ToString("R", CultureInfo.InvariantCulture)

let home = FaceprintHome(Path.Combine(__SOURCE_DIRECTORY__, "..", ".cache", "faceprint"))
let paths = DefaultModels.EnsureAsync(home).Result
let engine = FaceEngine.Load(paths, DefaultModels.EmbedderId, DefaultModels.EmbedderThreshold, FaceEngineOptions(Threads = 2))
let crops = Path.Combine(root, "loose_crop")
Directory.CreateDirectory crops |> ignore
Directory.CreateDirectory(Path.Combine(root, "meta")) |> ignore

// One loose crop per photo: a square 1.8 face widths wide around the box, scaled to 250 px.
let bases =
    [ for i in [1; 2; 4; 5; 13; 14; 16; 17; 20; 21; 22; 23; 24; 25] do
        let image = engine.LoadImageAsync(Path.Combine(fixtures, $"img{i}.jpg")).Result
        let face = FaceEngine.MostProminent(engine.Detect image)
        let side = min (int (1.8f * max face.Box.Width face.Box.Height)) (min image.Width image.Height)
        let cx, cy = (face.Box.X1 + face.Box.X2) / 2.0f, (face.Box.Y1 + face.Box.Y2) / 2.0f
        let x = Math.Clamp(int cx - side / 2, 0, image.Width - side)
        let y = Math.Clamp(int cy - side / 2, 0, image.Height - side)
        let scale = 250.0f / float32 side
        let crop = ImageOps.Resize(ImageOps.Crop(image, x, y, side, side), 250, 250)
        let name = $"base{i}.png"
        ImageWriter.SavePng(crop, Path.Combine(root, name))
        let marks = face.Landmarks |> Seq.collect (fun p -> [ (p.X - float32 x) * scale; (p.Y - float32 y) * scale ]) |> Seq.map inv
        name, String.Join(" ", marks), inv face.Score ]

let landmarks = ResizeArray()
let tidMid = ResizeArray()
for i in 0 .. n - 1 do
    let baseName, marks, score = bases[i % bases.Length]
    let name = $"{i + 1}.png"
    let target = Path.Combine(crops, name)
    if not (File.Exists target) then File.CreateSymbolicLink(target, Path.Combine(root, baseName)) |> ignore
    landmarks.Add $"{name} {marks} {score}"
    tidMid.Add $"{name} {i / 8} {i / 4}"
File.WriteAllLines(Path.Combine(root, "meta", "ijbc_name_5pts_score.txt"), landmarks)
File.WriteAllLines(Path.Combine(root, "meta", "ijbc_face_tid_mid.txt"), tidMid)
let templates = (n + 7) / 8
File.WriteAllLines(Path.Combine(root, "meta", "ijbc_template_pair_label.txt"),
    [ for t in 0 .. templates - 2 -> $"{t} {t + 1} {t % 2}" ])
printfn "%s: %d images, %d templates, %d distinct crops" root n templates bases.Length
