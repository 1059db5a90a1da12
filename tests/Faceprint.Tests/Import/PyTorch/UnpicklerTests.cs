using CsCheck;
using Faceprint.Import.PyTorch;

namespace Faceprint.Tests.Import.PyTorch;

public sealed class UnpicklerTests
{
    private static object? Load(PickleAssembler p) => new Unpickler(p.ToArray(), new TorchPickleResolver()).Load();

    private static ModelFormatException Fails(byte[] bytes) =>
        Assert.Throws<ModelFormatException>(() => new Unpickler(bytes, new TorchPickleResolver()).Load());

    [Fact]
    public void Protocol2PlainValuesDecodeAsPythonDefinesThem()
    {
        var p = new PickleAssembler().Proto(2).EmptyDict().BinPut(0).Mark()
            .Str("small").Int(200)
            .Str("medium").Int(40000)
            .Str("negative").Int(-123456)
            .Str("huge").Int(-(1L << 40))
            .Str("pi").Float(3.25)
            .Str("yes").True().Str("no").False().Str("nothing").None()
            .Str("list").EmptyList().BinPut(1).Mark().Int(1).Int(2).Appends()
            .Str("pair").Int(7).Str("x").Tuple2()
            .Str("again").BinGet(1)
            .SetItems().Stop();

        var dict = Assert.IsType<PickleDict>(Load(p));
        var values = dict.Entries.ToDictionary(e => (string)e.Key, e => e.Value);
        Assert.Equal(200L, values["small"]);
        Assert.Equal(40000L, values["medium"]);
        Assert.Equal(-123456L, values["negative"]);
        Assert.Equal(-(1L << 40), values["huge"]);
        Assert.Equal(3.25, values["pi"]);
        Assert.Equal(true, values["yes"]);
        Assert.Equal(false, values["no"]);
        Assert.Null(values["nothing"]);
        Assert.Equal(new object?[] { 1L, 2L }, Assert.IsType<List<object?>>(values["list"]));
        Assert.Equal(new object?[] { 7L, "x" }, Assert.IsType<object?[]>(values["pair"]));
        Assert.Same(values["list"], values["again"]); // BINGET returns the memoised object itself
        Assert.Equal(["small", "medium", "negative", "huge", "pi", "yes", "no", "nothing", "list", "pair", "again"], dict.Entries.Select(e => (string)e.Key));
    }

    [Fact]
    public void Protocol2TensorCallBuildsAReferenceToItsStorage()
    {
        var p = new PickleAssembler().Proto(2).Global("collections", "OrderedDict").BinPut(0).EmptyTuple().Reduce().BinPut(1).Mark()
            .Str("fc.weight").BinPut(2).Tensor("7", "FloatStorage", 20, 4, [2, 3], [1, 2])
            .SetItems().Stop();

        var dict = Assert.IsType<PickleDict>(Load(p));
        var tensor = Assert.IsType<TorchTensorReference>(Assert.Single(dict.Entries).Value);
        Assert.Equal(new TorchStorageReference("7", Faceprint.Import.Checkpoints.TensorElementType.Float32, 20), tensor.Storage);
        Assert.Equal(4, tensor.Offset);
        Assert.Equal([2, 3], tensor.Shape);
        Assert.Equal([1L, 2L], tensor.Strides);
    }

    [Fact]
    public void Protocol4FramesMemoizeStackGlobalsAndLongStrings()
    {
        var body = new PickleAssembler()
            .StackGlobal("collections", "OrderedDict").Memoize().EmptyTuple().Reduce().Memoize().Mark()
            .Str8("blocks.0.norm.weight").Memoize().Tensor("0", "HalfStorage", 4, 0, [4], [1], protocol4: true)
            .ShortStr("blocks.0.norm.bias").Memoize().Tensor("1", "BFloat16Storage", 4, 1, [3], [1], protocol4: true)
            .SetItems().Stop();
        var p = new PickleAssembler().Proto(4).Frame(body.Length).Raw(body.ToArray());

        var dict = Assert.IsType<PickleDict>(Load(p));
        Assert.Equal(["blocks.0.norm.weight", "blocks.0.norm.bias"], dict.Entries.Select(e => (string)e.Key));
        var bias = Assert.IsType<TorchTensorReference>(dict.Entries[1].Value);
        Assert.Equal(Faceprint.Import.Checkpoints.TensorElementType.BFloat16, bias.Storage.ElementType);
        Assert.Equal(1, bias.Offset);
    }

    [Fact]
    public void StackOpcodesAndNewObjBehaveLikePython()
    {
        // NEWOBJ OrderedDict(); DUP then POP leave one copy; POP_MARK discards a marked run; APPEND adds one item.
        var p = new PickleAssembler().Proto(2).Mark()
            .Global("collections", "OrderedDict").EmptyTuple().NewObj()
            .Op('2').Op('0')
            .Mark().Int(1).Int(2).Op('1')
            .EmptyList().Int(9).Op('a')
            .Tuple().Stop();
        var tuple = Assert.IsType<object?[]>(Load(p));
        Assert.Equal(2, tuple.Length);
        Assert.Empty(Assert.IsType<PickleDict>(tuple[0]).Entries);
        Assert.Equal(new object?[] { 9L }, Assert.IsType<List<object?>>(tuple[1]));
    }

    [Fact]
    public void LongMemoIndicesWork()
    {
        var p = new PickleAssembler().Proto(2).Mark().Str("kept").LongBinPut(70000).LongBinGet(70000).Tuple().Stop();
        Assert.Equal(new object?[] { "kept", "kept" }, Assert.IsType<object?[]>(Load(p)));
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_qtensor")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    public void GlobalsOutsideTheAllowlistAreRefusedByName(string module, string name)
    {
        var viaGlobal = new PickleAssembler().Proto(2).Global(module, name).Str("echo pwned").Tuple1().Reduce().Stop();
        Assert.Contains($"'{module}.{name}'", Fails(viaGlobal.ToArray()).Message);

        var viaStack = new PickleAssembler().Proto(4).StackGlobal(module, name).Str("echo pwned").Tuple1().Reduce().Stop();
        Assert.Contains($"'{module}.{name}'", Fails(viaStack.ToArray()).Message);
    }

    [Fact]
    public void StorageClassesAreNotCallable()
    {
        var p = new PickleAssembler().Proto(2).Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop();
        Assert.Contains("not callable", Fails(p.ToArray()).Message);
    }

    [Fact]
    public void PersistentIdsMustBeStorageTuples()
    {
        var p = new PickleAssembler().Proto(2).Mark().Str("module").Str("x").Tuple().BinPersId().Stop();
        Assert.Contains("persistent id", Fails(p.ToArray()).Message);
        var badKey = new PickleAssembler().Proto(2).Mark().Str("storage").Global("torch", "FloatStorage").Str("../../etc/passwd").Str("cpu").Int(1).Tuple().BinPersId().Stop();
        Assert.Contains("invalid storage key", Fails(badKey.ToArray()).Message);
    }

    [Fact]
    public void EveryTruncationOfAValidPickleIsAFormatError()
    {
        byte[] whole = new PickleAssembler().Proto(2).Global("collections", "OrderedDict").EmptyTuple().Reduce().Mark()
            .Str("w").Tensor("0", "FloatStorage", 6, 0, [2, 3], [3, 1]).SetItems().Stop().ToArray();
        Assert.IsType<PickleDict>(new Unpickler(whole, new TorchPickleResolver()).Load());
        for (int cut = 0; cut < whole.Length; cut++)
            Assert.Contains("pickle:", Fails(whole[..cut]).Message);
    }

    [Fact]
    public void MalformedStreamsNameTheProblemAndOffset()
    {
        Assert.Contains("pickle is truncated", Fails([0x80, 2, (byte)'c', (byte)'o', (byte)'s']).Message);
        Assert.Contains("unsupported pickle opcode 0xff (at byte 2)", Fails([0x80, 2, 0xff]).Message);
        Assert.Contains("memo entry 5", Fails(new PickleAssembler().Proto(2).BinGet(5).Stop().ToArray()).Message);
        Assert.Contains("STOP with 2 values", Fails(new PickleAssembler().Proto(2).Int(1).Int(2).Stop().ToArray()).Message);
        Assert.Contains("stack underflow", Fails(new PickleAssembler().Proto(2).Mark().Tuple1().Stop().ToArray()).Message);
        Assert.Contains("odd number", Fails(new PickleAssembler().Proto(2).EmptyDict().Mark().Int(1).SetItems().Stop().ToArray()).Message);
        Assert.Contains("does not fit 64 bits", Fails(new PickleAssembler().Proto(2).Raw(0x8a, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9).Stop().ToArray()).Message);
        Assert.Contains("UTF-8", Fails(new PickleAssembler().Proto(2).Raw(0x8c, 2, 0xc3, 0x28).Stop().ToArray()).Message);
        Assert.Contains("frame runs past", Fails(new PickleAssembler().Proto(4).Frame(1000).Int(1).Stop().ToArray()).Message);
        Assert.Contains("unsupported pickle protocol 6", Fails([0x80, 6, (byte)'.']).Message);
        Assert.Contains("unsupported dict key", Fails(new PickleAssembler().Proto(2).EmptyDict().EmptyList().Int(1).SetItem().Stop().ToArray()).Message);
    }

    [Fact]
    public void ArbitraryBytesNeverEscapeAsAnythingButAFormatError()
    {
        Gen.Byte.Array[0, 64].Select(tail => (byte[])[0x80, 2, .. tail]).Sample(bytes =>
        {
            try
            {
                new Unpickler(bytes, new TorchPickleResolver()).Load();
            }
            catch (ModelFormatException)
            {
                // the only acceptable failure
            }
        }, iter: 20000);
    }
}
