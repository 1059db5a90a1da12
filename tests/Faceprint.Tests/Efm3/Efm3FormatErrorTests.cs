using System.Buffers.Binary;
using Faceprint.Import.Efm3;
using Faceprint.Models.MobileFaceNet;

namespace Faceprint.Tests.Efm3;

/// <summary>Every way an EFM3 file can be wrong fails with a <see cref="ModelFormatException"/> that says where.</summary>
public sealed class Efm3FormatErrorTests
{
    private static readonly byte[] Valid = Efm3Writer.ToBytes(Efm3Model.Random(MobileFaceNetConfig.FaceXNano, seed: 11));

    private static int JsonLength => (int)BinaryPrimitives.ReadUInt32LittleEndian(Valid.AsSpan(88));

    private static int CountOffset => 92 + JsonLength;

    /// <summary>Byte offset of tensor <paramref name="index"/>'s byte count.</summary>
    private static int TensorOffset(int index)
    {
        int offset = CountOffset + 4;
        for (int i = 0; i < index; i++) offset += 4 + (int)BinaryPrimitives.ReadUInt32LittleEndian(Valid.AsSpan(offset));
        return offset;
    }

    private static string Fails(byte[] bytes) => Assert.Throws<ModelFormatException>(() => Efm3Reader.Parse(bytes)).Message;

    private static byte[] With(Action<byte[]> edit)
    {
        var copy = (byte[])Valid.Clone();
        edit(copy);
        return copy;
    }

    [Fact]
    public void WrongMagic() => Assert.Contains("magic", Fails(With(b => b[3] = (byte)'2')));

    [Fact]
    public void EmptyFile() => Assert.Contains("not an EFM3 file", Fails([]));

    [Fact]
    public void WrongVersion() => Assert.Matches("EFM3 version 4 at offset 4", Fails(With(b => b[4] = 4)));

    [Fact]
    public void WrongHeaderVersion() => Assert.Contains("header version 2 at offset 8", Fails(With(b => b[8] = 2)));

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void StageCountOutOfRange(byte count) => Assert.Contains($"n_stages {count} at offset 9", Fails(With(b => b[9] = count)));

    [Fact]
    public void StemTheDefinitionCannotRun() => Assert.Contains("stem 5x5", Fails(With(b => b[10] = 5)));

    [Fact]
    public void GdKernelNotCoveringTheFinalMap() => Assert.Contains("GDConv kernel 5 does not cover the 7x7", Fails(With(b => b[20] = 5)));

    [Fact]
    public void ReservedHeaderByte() => Assert.Contains("offset 22", Fails(With(b => b[22] = 1)));

    [Fact]
    public void UnusedStageSlotNotZero() => Assert.Contains("unused stage slot 6 at offset 72", Fails(With(b => b[24 + 8 * 6 + 5] = 1)));

    [Fact]
    public void StageReservedBytes() => Assert.Contains("stage 1 at offset 32: reserved", Fails(With(b => b[32 + 4] = 7)));

    [Fact]
    public void StageWithAnImpossibleStride() => Assert.Contains("s 3", Fails(With(b => b[24 + 2] = 3)));

    [Fact]
    public void StageCountChangedImpliesOtherTensors()
    {
        // One block fewer in stage 1: the header now implies 283 − 17 tensors.
        Assert.Contains("n_tensors 283 at offset", Fails(With(b => b[25] = 4)));
    }

    [Fact]
    public void JsonLengthPastTheEnd() =>
        Assert.Contains("json_len 4000000000 at offset 88", Fails(With(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(88), 4_000_000_000))));

    [Fact]
    public void TensorCountMismatch() =>
        Assert.Contains($"n_tensors 282 at offset {CountOffset}, the header implies 283",
            Fails(With(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(CountOffset), 282))));

    [Fact]
    public void TensorByteCountMismatchNamesTheTensor()
    {
        int at = TensorOffset(7); // stem_dw: weight, γ, β, mean, var, slope follow the stem's six
        string message = Fails(With(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), 4 * 25)));

        Assert.Contains($"tensor #7 (stem_dw BN gamma [24]) at offset {at} declares 100 bytes, expected 96", message);
    }

    [Fact]
    public void FirstWeightWithWrongCountNamesItsShape()
    {
        int at = TensorOffset(0);
        string message = Fails(With(b => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), 4)));

        Assert.Contains("tensor #0 (stem weight [24,3,3,3])", message);
    }

    [Fact]
    public void TruncatedInsideATensor()
    {
        int at = TensorOffset(100);
        string message = Fails(Valid[..(at + 10)]);

        Assert.StartsWith("truncated EFM3 file: tensor #100", message);
        Assert.Contains($"at offset {at + 4}", message);
    }

    [Fact]
    public void TruncatedBeforeATensorCount() => Assert.Contains("tensor #282", Fails(Valid[..TensorOffset(282)]));

    [Fact]
    public void TruncatedHeader() => Assert.StartsWith("truncated EFM3 file: the header", Fails(Valid[..50]));

    [Fact]
    public void TrailingBytes() => Assert.Contains($"3 trailing bytes after the last tensor (offset {Valid.Length})", Fails([.. Valid, 1, 2, 3]));

    [Fact]
    public void NonFiniteValue()
    {
        int at = TensorOffset(12) + 4 + 4 * 5;
        Assert.Contains("non-finite value at element 5", Fails(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), float.NaN))));
    }

    [Fact]
    public void NegativeVariance()
    {
        int at = TensorOffset(4) + 4;
        Assert.Contains("stem BN running var) at offset", Fails(With(b => BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(at), -1f))));
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        var e = Assert.Throws<ModelFormatException>(() => Efm3Reader.Read("/nonexistent/x.efm3"));
        Assert.Contains("/nonexistent/x.efm3", e.Message);
    }
}
