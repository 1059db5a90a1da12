namespace Faceprint.Core.Kernels.Int8.Native;

/// <summary>
/// Writes the AVX-512 VNNI int8 GEMM micro-kernel for one row count as machine code. The function (System V ABI) is
/// <c>void kernel(byte* a, nint lda, byte* b, nint steps, int* sums, nint panels)</c>: for each of
/// <c>panels</c> consecutive 16-column panels of packed B (<see cref="Int8GemmWeights"/>' layout, 64 bytes per K step)
/// it sums u8 rows of A (<c>lda</c> bytes apart, <c>steps</c>·4 codes each) against the panel in 32-bit lanes and
/// stores the rows×16 sums to <c>sums</c>, [panel][row][16]. The sums live in zmm registers for the whole K loop:
/// one 512-bit <c>vpdpbusd</c> adds 64 products, twice the 256-bit AVX-VNNI form .NET exposes.
/// <para>
/// Registers: accumulators zmm0–23 (rows × panels per pass), broadcast A words in zmm24–29, B panels in zmm30–31;
/// rdi/rsi/rdx/rcx/r8/r9 hold the arguments, rax/r10/r11/rbx point at rows 0, 3, 6 and 9 of A (rows in between are
/// reached with rsi·1 and rsi·2), r12 counts steps and r13 holds one panel's bytes. rbx, r12 and r13 are callee-saved
/// and pushed; zmm registers are all caller-saved in the System V ABI.
/// </para>
/// </summary>
internal static class Int8VnniKernelEmitter
{
    /// <summary>Most rows one kernel handles: four row pointers of three rows each.</summary>
    public const int MaxRows = 12;

    private const int PanelBytesPerStep = 64;
    private static readonly Gpr[] RowGroups = [Gpr.Rax, Gpr.R10, Gpr.R11, Gpr.Rbx];
    private static readonly Zmm BFirst = new(30), BSecond = new(31);

    /// <summary>
    /// Appends the kernel for <paramref name="rows"/> rows to <paramref name="asm"/>, computing <paramref name="panelsPerPass"/>
    /// (1 or 2) panels per sweep of K and <paramref name="unroll"/> (1 or 2) K steps per loop iteration.
    /// </summary>
    public static void Emit(X64Assembler asm, int rows, int panelsPerPass, int unroll)
    {
        if (rows is < 1 or > MaxRows) throw new ArgumentOutOfRangeException(nameof(rows), rows, $"rows are 1 to {MaxRows}");
        if (panelsPerPass is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(panelsPerPass), panelsPerPass, "1 or 2 panels per pass");
        if (unroll is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(unroll), unroll, "1 or 2 steps per iteration");
        asm.Push(Gpr.Rbx);
        asm.Push(Gpr.R12);
        asm.Push(Gpr.R13);
        asm.Mov(Gpr.R13, Gpr.Rcx);
        asm.Shl(Gpr.R13, 6);
        var done = asm.CreateLabel();
        if (panelsPerPass == 2)
        {
            // Pairs of panels while two remain, then the odd one.
            var pair = asm.CreateLabel();
            var single = asm.CreateLabel();
            asm.Bind(pair);
            asm.Cmp(Gpr.R9, 2);
            asm.Jb(single);
            Pass(asm, rows, 2, unroll);
            asm.Sub(Gpr.R9, 2);
            asm.Jmp(pair);
            asm.Bind(single);
            asm.Test(Gpr.R9, Gpr.R9);
            asm.Jz(done);
            Pass(asm, rows, 1, unroll);
        }
        else
        {
            var panel = asm.CreateLabel();
            asm.Bind(panel);
            Pass(asm, rows, 1, unroll);
            asm.Dec(Gpr.R9);
            asm.Jnz(panel);
        }
        asm.Bind(done);
        asm.Pop(Gpr.R13);
        asm.Pop(Gpr.R12);
        asm.Pop(Gpr.Rbx);
        asm.Vzeroupper();
        asm.Ret();
    }

    /// <summary>One sweep of K over <paramref name="width"/> panels starting at rdx; leaves rdx at the next panel and r8 past the stored sums.</summary>
    private static void Pass(X64Assembler asm, int rows, int width, int unroll)
    {
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++)
                asm.Vpxord(Accumulator(r, c, width), Accumulator(r, c, width), Accumulator(r, c, width));
        int groups = (rows + 2) / 3;
        asm.Mov(RowGroups[0], Gpr.Rdi);
        for (int g = 1; g < groups; g++)
        {
            asm.Lea(RowGroups[g], new Mem(RowGroups[g - 1], index: Gpr.Rsi, scale: 2));
            asm.Add(RowGroups[g], Gpr.Rsi);
        }
        asm.Mov(Gpr.R12, Gpr.Rcx);
        if (unroll == 2)
        {
            // r12 = steps − 2 per pair left; after the loop r12 + 2 is the 0 or 1 step still to do.
            var loop = asm.CreateLabel();
            var tail = asm.CreateLabel();
            var end = asm.CreateLabel();
            asm.Sub(Gpr.R12, 2);
            asm.Jb(tail);
            asm.Align(16);
            asm.Bind(loop);
            Step(asm, rows, width, 0);
            Step(asm, rows, width, 1);
            Advance(asm, groups, 2);
            asm.Sub(Gpr.R12, 2);
            asm.Jae(loop);
            asm.Bind(tail);
            asm.Add(Gpr.R12, 2);
            asm.Jz(end);
            Step(asm, rows, width, 0);
            Advance(asm, groups, 1);
            asm.Bind(end);
        }
        else
        {
            var loop = asm.CreateLabel();
            asm.Align(16);
            asm.Bind(loop);
            Step(asm, rows, width, 0);
            Advance(asm, groups, 1);
            asm.Dec(Gpr.R12);
            asm.Jnz(loop);
        }
        for (int c = 0; c < width; c++)
            for (int r = 0; r < rows; r++)
                asm.Vmovdqu32(new Mem(Gpr.R8, (c * rows + r) * 64), Accumulator(r, c, width));
        asm.Add(Gpr.R8, width * rows * 64);
        // rdx moved one panel along K; a pair skips the second panel too.
        if (width == 2) asm.Add(Gpr.Rdx, Gpr.R13);
    }

    /// <summary>K step <paramref name="step"/> (relative to the pointers) for every row and panel.</summary>
    private static void Step(X64Assembler asm, int rows, int width, int step)
    {
        asm.Vmovdqu32(BFirst, new Mem(Gpr.Rdx, step * PanelBytesPerStep));
        if (width == 2) asm.Vmovdqu32(BSecond, new Mem(Gpr.Rdx, step * PanelBytesPerStep, Gpr.R13));
        for (int r = 0; r < rows; r++)
        {
            var a = new Zmm(24 + r % 6);
            Gpr group = RowGroups[r / 3];
            asm.Vpbroadcastd(a, r % 3 == 0 ? new Mem(group, step * 4) : new Mem(group, step * 4, Gpr.Rsi, r % 3));
            asm.Vpdpbusd(Accumulator(r, 0, width), a, BFirst);
            if (width == 2) asm.Vpdpbusd(Accumulator(r, 1, width), a, BSecond);
        }
    }

    private static void Advance(X64Assembler asm, int groups, int steps)
    {
        asm.Add(Gpr.Rdx, steps * PanelBytesPerStep);
        for (int g = 0; g < groups; g++) asm.Add(RowGroups[g], steps * 4);
    }

    private static Zmm Accumulator(int row, int panel, int width) => new(row * width + panel);
}
