using System.Globalization;

namespace Faceprint.Evaluation;

/// <summary>One plot axis: its range, linear or base-10 logarithmic scale, title and tick marks.</summary>
internal sealed class PlotAxis
{
    internal PlotAxis(double min, double max, bool logarithmic, string title)
    {
        if (!(max > min) || (logarithmic && !(min > 0)))
            throw new ArgumentException($"invalid axis range [{min}, {max}]");
        Min = min;
        Max = max;
        Logarithmic = logarithmic;
        Title = title;
    }

    internal double Min { get; }

    internal double Max { get; }

    internal bool Logarithmic { get; }

    internal string Title { get; }

    /// <summary>Position of <paramref name="value"/> along the axis, 0 at Min and 1 at Max; values outside are clamped.</summary>
    internal double Fraction(double value)
    {
        value = Math.Clamp(value, Min, Max);
        return Logarithmic
            ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
            : (value - Min) / (Max - Min);
    }

    /// <summary>Tick positions with labels; minor ticks (label <c>null</c>) get a grid line only.</summary>
    internal IReadOnlyList<(double Value, string? Label)> Ticks() => Logarithmic ? LogTicks() : LinearTicks();

    private List<(double, string?)> LinearTicks()
    {
        var step = NiceStep((Max - Min) / 5);
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        var ticks = new List<(double, string?)>();
        for (var k = Math.Ceiling(Min / step - 1e-9); k * step <= Max + step * 1e-9; k++)
        {
            var value = k * step;
            if (Math.Abs(value) < step * 1e-6)
                value = 0; // k·step can land a hair off zero and print as "-0.0"
            ticks.Add((value, value.ToString("F" + decimals, CultureInfo.InvariantCulture)));
        }
        return ticks;
    }

    private List<(double, string?)> LogTicks()
    {
        var ticks = new List<(double, string?)>();
        for (var e = (int)Math.Floor(Math.Log10(Min)); e <= (int)Math.Ceiling(Math.Log10(Max)); e++)
        {
            var decade = Math.Pow(10, e);
            for (var m = 1; m <= 9; m++)
            {
                var value = m * decade;
                if (value < Min * (1 - 1e-9) || value > Max * (1 + 1e-9))
                    continue;
                ticks.Add((value, m == 1 ? DecadeLabel(e) : null));
            }
        }
        return ticks;
    }

    private static string DecadeLabel(int exponent) => exponent switch
    {
        >= 0 => Math.Pow(10, exponent).ToString("0", CultureInfo.InvariantCulture),
        >= -2 => Math.Pow(10, exponent).ToString("0.##", CultureInfo.InvariantCulture),
        _ => $"1e{exponent}",
    };

    /// <summary>The step of 1, 2 or 5 times a power of ten closest to <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var mantissa = rough / power;
        return (mantissa < 1.5 ? 1 : mantissa < 3 ? 2 : mantissa < 7 ? 5 : 10) * power;
    }
}
