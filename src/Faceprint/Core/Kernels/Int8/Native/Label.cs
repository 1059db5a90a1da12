namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>A jump target of an <see cref="X64Assembler"/>, by its number there.</summary>
internal readonly record struct Label(int Id);
