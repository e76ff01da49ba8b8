// The one per-target file of GemmPortable (not a symlink): the micro-tile of this instruction set.

/// Columns of C per micro-tile and width of a packed-B panel: baseline x86-64 (SSE2, no FMA),
/// 2 xmm per row, 12 accumulators + 2 B vectors + 1 broadcast = 15 of 16 registers.
///
/// Measured (process CPU time, 1 thread, this machine): 6×8 with `SIMD4` runs at 25–26 GFLOP/s,
/// about the SSE2 multiply-plus-add ceiling; 6×16 with `SIMD8` spills and runs at 20–25.
let panelWidth = 8
