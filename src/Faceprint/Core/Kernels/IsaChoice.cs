namespace Faceprint.Core.Kernels;

/// <summary>
/// How every kernel family picks its instruction set once at start: the fastest path this CPU supports (enum values are
/// declared slowest first), which an environment variable may lower, never raise, so paths can be compared on one machine.
/// </summary>
internal static class IsaChoice
{
    /// <summary>The best supported <typeparamref name="TIsa"/>, or the lower supported one <paramref name="variable"/> names.</summary>
    public static TIsa Choose<TIsa>(string variable, Func<TIsa, bool> isSupported) where TIsa : struct, Enum
    {
        var best = Enum.GetValues<TIsa>().Where(isSupported).Max();
        var requested = Environment.GetEnvironmentVariable(variable);
        if (Enum.TryParse<TIsa>(requested, ignoreCase: true, out var isa) && isSupported(isa) && Comparer<TIsa>.Default.Compare(isa, best) < 0) return isa;
        return best;
    }
}
