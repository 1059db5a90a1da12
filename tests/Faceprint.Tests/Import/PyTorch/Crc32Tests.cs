using CsCheck;
using Faceprint.Import.PyTorch;

namespace Faceprint.Tests.Import.PyTorch;

public sealed class Crc32Tests
{
    /// <summary>Bit-at-a-time CRC-32, the definition the table-driven version must agree with.</summary>
    private static uint Reference(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void MatchesTheStandardCheckValue() => Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void MatchesTheBitwiseDefinitionAtEveryLength() =>
        Gen.Byte.Array[0, 100].Sample(data => Assert.Equal(Reference(data), Crc32.Compute(data)), iter: 2000);
}
