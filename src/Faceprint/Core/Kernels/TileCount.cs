namespace Faceprint.Core.Kernels;

/// <summary>
/// A compile-time count for generic kernels: the JIT specialises a kernel per struct type argument and drops the
/// code for rows/vectors beyond <see cref="Count"/>, so one source serves every tile size without runtime branches.
/// </summary>
internal interface ITileCount
{
    static abstract int Count { get; }
}

#pragma warning disable CS1591 // one-line markers: the name is the value
internal readonly struct T1 : ITileCount { public static int Count => 1; }
internal readonly struct T2 : ITileCount { public static int Count => 2; }
internal readonly struct T3 : ITileCount { public static int Count => 3; }
internal readonly struct T4 : ITileCount { public static int Count => 4; }
internal readonly struct T5 : ITileCount { public static int Count => 5; }
internal readonly struct T6 : ITileCount { public static int Count => 6; }
internal readonly struct T7 : ITileCount { public static int Count => 7; }
internal readonly struct T8 : ITileCount { public static int Count => 8; }
internal readonly struct T9 : ITileCount { public static int Count => 9; }
internal readonly struct T10 : ITileCount { public static int Count => 10; }
internal readonly struct T11 : ITileCount { public static int Count => 11; }
internal readonly struct T12 : ITileCount { public static int Count => 12; }
#pragma warning restore CS1591
