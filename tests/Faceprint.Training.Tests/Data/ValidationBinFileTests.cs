using Faceprint.Evaluation;
using Faceprint.Imaging;
using Faceprint.Preprocessing;
using Faceprint.Training.Data;
using Faceprint.Training.Trainer;

namespace Faceprint.Training.Tests.Data;

public sealed class ValidationBinFileTests
{
    // Python 3: pickle.dumps(([b'abc', b'\x00\xffde'], [True]), protocol=4) and protocol=2 (bytes via _codecs.encode).
    private const string Protocol4 = "80049518000000000000005d9428430361626394430400ff646594655d94886186942e";
    private const string Protocol2 =
        "80025d710028635f636f646563730a656e636f64650a71015803000000616263710258060000006c6174696e3171038671045271056801580500000000c3bf646571066803867107527108655d7109886186710a2e";

    [Theory]
    [InlineData(Protocol4)]
    [InlineData(Protocol2)]
    public void PythonThreePicklesParse(string hex)
    {
        var (images, same) = ValidationBinFile.Parse(Convert.FromHexString(hex), "test.bin");
        Assert.Equal([(byte)'a', (byte)'b', (byte)'c'], images[0]);
        Assert.Equal([0x00, 0xff, (byte)'d', (byte)'e'], images[1]);
        Assert.Equal([true], same);
    }

    [Fact]
    public void PythonTwoPickleWithStringsAndMemoParsesIntoAValidationSet()
    {
        // As Python 2 wrote lfw.bin: protocol 2, SHORT_BINSTRING/BINSTRING images, BINPUT/BINGET memo, NEWTRUE/NEWFALSE.
        var images = Enumerable.Range(0, 40).Select(i => ImageWriter.EncodePng(GlyphFaces.Render(5, i / 2, i % 2, 8))).ToList();
        var p = new List<byte> { 0x80, 2, (byte)']', (byte)'q', 0, (byte)'(' };
        foreach (var png in images)
        {
            p.Add((byte)'T');
            p.AddRange(BitConverter.GetBytes(png.Length));
            p.AddRange(png);
        }
        p.AddRange([(byte)'e', (byte)']', (byte)'q', 1, (byte)'(']);
        for (int i = 0; i < 20; i++)
            p.Add(i % 2 == 0 ? (byte)0x88 : (byte)0x89);
        p.AddRange([(byte)'e', 0x86, (byte)'q', 2, (byte)'.']); // APPENDS, TUPLE2, BINPUT, STOP
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [.. p]);
            var (parsed, same) = ValidationBinFile.Load(path);
            Assert.Equal(images, parsed);
            Assert.Equal(20, same.Count);
            var set = PairValidationSet.FromBinFile(path, 8, InputNormalization.Symmetric128);
            Assert.Equal(20, set.PairCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CodeExecutingOrBrokenPicklesAreRefused()
    {
        // cos\nsystem\n — what a malicious pickle would call.
        var evil = Convert.FromHexString("8002" + "63" + "6f730a" + "73797374656d0a");
        Assert.Contains("refusing to load global os.system", Assert.Throws<FaceprintException>(() => ValidationBinFile.Parse(evil, "evil.bin")).Message);
        var truncated = Convert.FromHexString(Protocol4)[..20];
        Assert.Contains("truncated", Assert.Throws<FaceprintException>(() => ValidationBinFile.Parse(truncated, "t.bin")).Message);
        // pickle.dumps(([b'a'], [True]), protocol=4): one image for one pair.
        var oddCount = Convert.FromHexString("8004950e000000000000005d9443016194615d94886186942e");
        Assert.Contains("two per pair", Assert.Throws<FaceprintException>(() => ValidationBinFile.Parse(oddCount, "o.bin")).Message);
    }
}
