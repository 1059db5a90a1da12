using Faceprint.Core.Kernels;

namespace Faceprint.Tests.Core;

/// <summary>The one rule every kernel family picks its instruction set by: the best supported, lowered (never raised) by a variable.</summary>
public sealed class IsaChoiceTests
{
    /// <summary>A fake instruction-set ladder, slowest first.</summary>
    public enum Level
    {
        /// <summary>Slowest.</summary>
        Low,
        /// <summary>Middle.</summary>
        Mid,
        /// <summary>Best supported.</summary>
        High,
        /// <summary>Not supported.</summary>
        Top,
    }

    // Top is "unsupported" here, so the best this fake CPU runs is High.
    private static bool Supported(Level level) => level != Level.Top;

    [Theory]
    [InlineData(null, Level.High)]
    [InlineData("low", Level.Low)]
    [InlineData("MID", Level.Mid)]
    [InlineData("high", Level.High)]
    [InlineData("top", Level.High)]
    [InlineData("nonsense", Level.High)]
    public void TheVariableMayOnlyLowerTheBestSupportedChoice(string? requested, Level expected)
    {
        string variable = "FACEPRINT_TEST_ISA_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, requested);
        try
        {
            Assert.Equal(expected, IsaChoice.Choose<Level>(variable, Supported));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
