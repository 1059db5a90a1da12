using Faceprint.Import.Checkpoints;
using Faceprint.Import.PyTorch;

namespace Faceprint.Tests.Import.PyTorch;

/// <summary>
/// Pickles produced by CPython 3.11's own pickler the way torch.save produces them: a persistent_id hook turning
/// storages into ('storage', torch.&lt;Type&gt;Storage, key, 'cpu', numel), tensors reduced to
/// torch._utils._rebuild_tensor_v2, a parameter to _rebuild_parameter, and the state dict an OrderedDict carrying
/// '_metadata' (so the stream ends its items with BUILD), wrapped in a training-style dict with an int, a float,
/// a list, a LONG1 integer, a negative int, True and None. Stand-in modules named torch and torch._utils supplied
/// the globals; the bytes are exactly what pickle.Pickler(protocol=2 / 4).dump wrote.
/// </summary>
public sealed class CPythonPickleTests
{
    private const string Protocol2 = "gAJ9cQAoWAUAAABlcG9jaHEBSwdYAgAAAGxycQJHP+AAAAAAAABYCgAAAHN0YXRlX2RpY3RxA2Njb2xsZWN0aW9ucwpPcmRlcmVkRGljdApxBClScQUoWAsAAABjb252LndlaWdodHEGY3RvcmNoLl91dGlscwpfcmVidWlsZF90ZW5zb3JfdjIKcQcoKFgHAAAAc3RvcmFnZXEIY3RvcmNoCkZsb2F0U3RvcmFnZQpxCVgBAAAAMHEKWAMAAABjcHVxC0sMdHEMUUsASwJLA4ZxDUsDSwGGcQ6JaAQpUnEPdHEQUnERWA0AAABjb252LndlaWdodF90cRJoBygoaAhoCWgKaAtLDHRxE1FLAEsDSwKGcRRLAUsDhnEViWgEKVJxFnRxF1JxGFgEAAAAdGFpbHEZaAcoKGgIaAloCmgLSwx0cRpRSwZLBoVxG0sBhXEciWgEKVJxHXRxHlJxH1gHAAAAYm4uYmlhc3EgaAcoKGgIY3RvcmNoCkhhbGZTdG9yYWdlCnEhWAEAAAAxcSJoC0sDdHEjUUsASwOFcSRoHIloBClScSV0cSZScSdYFgAAAGJuLm51bV9iYXRjaGVzX3RyYWNrZWRxKGgHKChoCGN0b3JjaApMb25nU3RvcmFnZQpxKVgBAAAAMnEqaAtLAXRxK1FLACkpiWgEKVJxLHRxLVJxLlgLAAAAaGVhZC53ZWlnaHRxL2N0b3JjaC5fdXRpbHMKX3JlYnVpbGRfcGFyYW1ldGVyCnEwaAcoKGgIaAloCmgLSwx0cTFRSwpLAoVxMmgciWgEKVJxM3RxNFJxNYhoBClScTaHcTdScTh1fXE5WAkAAABfbWV0YWRhdGFxOmgEKVJxOyhYAAAAAHE8fXE9WAcAAAB2ZXJzaW9ucT5LAXNYAgAAAGJucT99cUBoPksCc3VzYlgFAAAAbmFtZXNxQV1xQihYAQAAAGFxQ1gBAAAAYnFEZVgDAAAAYmlncUWKBgAAAAAAAVgDAAAAbmVncUZK/f///1gEAAAAZmxhZ3FHiFgEAAAAbm9uZXFITnUu";

    private const string Protocol4 = "gASVgQIAAAAAAAB9lCiMBWVwb2NolEsHjAJscpRHP+AAAAAAAACMCnN0YXRlX2RpY3SUjAtjb2xsZWN0aW9uc5SMC09yZGVyZWREaWN0lJOUKVKUKIwLY29udi53ZWlnaHSUjAx0b3JjaC5fdXRpbHOUjBJfcmVidWlsZF90ZW5zb3JfdjKUk5QoKIwHc3RvcmFnZZSMBXRvcmNolIwMRmxvYXRTdG9yYWdllJOUjAEwlIwDY3B1lEsMdJRRSwBLAksDhpRLA0sBhpSJaAYpUpR0lFKUjA1jb252LndlaWdodF90lGgLKChoDGgPaBBoEUsMdJRRSwBLA0sChpRLAUsDhpSJaAYpUpR0lFKUjAR0YWlslGgLKChoDGgPaBBoEUsMdJRRSwZLBoWUSwGFlIloBilSlHSUUpSMB2JuLmJpYXOUaAsoKGgMaA2MC0hhbGZTdG9yYWdllJOUjAExlGgRSwN0lFFLAEsDhZRoIoloBilSlHSUUpSMFmJuLm51bV9iYXRjaGVzX3RyYWNrZWSUaAsoKGgMaA2MC0xvbmdTdG9yYWdllJOUjAEylGgRSwF0lFFLACkpiWgGKVKUdJRSlIwLaGVhZC53ZWlnaHSUaAmMEl9yZWJ1aWxkX3BhcmFtZXRlcpSTlGgLKChoDGgPaBBoEUsMdJRRSwpLAoWUaCKJaAYpUpR0lFKUiGgGKVKUh5RSlHV9lIwJX21ldGFkYXRhlGgGKVKUKIwAlH2UjAd2ZXJzaW9ulEsBc4wCYm6UfZRoR0sCc3VzYowFbmFtZXOUXZQojAFhlIwBYpRljANiaWeUigYAAAAAAAGMA25lZ5RK/f///4wEZmxhZ5SIjARub25llE51Lg==";

    private static readonly float[] Storage0 = Enumerable.Range(0, 12).Select(i => i * 0.25f - 1).ToArray();

    private static byte[] Checkpoint(string pickleBase64) => TorchArchive.Build(Convert.FromBase64String(pickleBase64), new Dictionary<string, byte[]>
    {
        ["0"] = TorchArchive.Floats(Storage0),
        ["1"] = TorchArchive.Halves(1.5f, -2f, 0.125f),
        ["2"] = TorchArchive.Longs(42),
    }, prefix: "fixture");

    [Theory]
    [InlineData(Protocol2)]
    [InlineData(Protocol4)]
    public void CPythonStateDictPicklesLoad(string pickle)
    {
        var t = PyTorchCheckpointReader.Read(new MemoryStream(Checkpoint(pickle)));

        Assert.Equal(["conv.weight", "conv.weight_t", "tail", "bn.bias", "bn.num_batches_tracked", "head.weight"], t.Keys);
        Assert.Equal(Storage0[..6], t["conv.weight"].Data);
        Assert.Equal([2, 3], t["conv.weight"].Shape);
        Assert.Equal([Storage0[0], Storage0[3], Storage0[1], Storage0[4], Storage0[2], Storage0[5]], t["conv.weight_t"].Data);
        Assert.Equal(Storage0[6..], t["tail"].Data);
        Assert.Equal([1.5f, -2f, 0.125f], t["bn.bias"].Data);
        Assert.Equal(TensorElementType.Float16, t["bn.bias"].ElementType);
        Assert.Equal([42f], t["bn.num_batches_tracked"].Data);
        Assert.Equal(Storage0[10..], t["head.weight"].Data);
    }

    [Fact]
    public void BothProtocolsDescribeTheSameObject()
    {
        static object? Load(string b64) => new Unpickler(Convert.FromBase64String(b64), new TorchPickleResolver()).Load();
        var p2 = Assert.IsType<PickleDict>(Load(Protocol2));
        var p4 = Assert.IsType<PickleDict>(Load(Protocol4));
        Assert.Equal(p2.Entries.Select(e => e.Key), p4.Entries.Select(e => e.Key));
        foreach (var dict in new[] { p2, p4 })
        {
            var v = dict.Entries.ToDictionary(e => (string)e.Key, e => e.Value);
            Assert.Equal(7L, v["epoch"]);
            Assert.Equal(0.5, v["lr"]);
            Assert.Equal(new object?[] { "a", "b" }, Assert.IsType<List<object?>>(v["names"]));
            Assert.Equal(1L << 40, v["big"]);
            Assert.Equal(-3L, v["neg"]);
            Assert.Equal(true, v["flag"]);
            Assert.Null(v["none"]);
        }
    }
}
