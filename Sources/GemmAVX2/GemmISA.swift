// The one per-target file of GemmAVX2 (not a symlink): the micro-tile of this instruction set.

/// Columns of C per micro-tile and width of a packed-B panel: x86-64-v3 (AVX2 + FMA), 2 ymm per
/// row, 12 accumulators + 2 B vectors + 1 broadcast = 15 of 16 registers.
///
/// Measured (process CPU time, 1 thread, this machine): 6×16 with `SIMD8` runs at 72–77 GFLOP/s
/// on 256³–1024³ (the ymm FMA ceiling is 94.6); the AVX-512 build's 6×64 `SIMD16` kernel compiled
/// for AVX2 needs 48 ymm accumulators, spills, and runs at 49–54.
let panelWidth = 16
