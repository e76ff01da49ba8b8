// The one per-target file of GemmAVX512 (not a symlink): the micro-tile of this instruction set.

/// Columns of C per micro-tile and width of a packed-B panel: x86-64-v4 (AVX-512), 4 zmm per
/// row, 24 accumulators of 32 registers (SWIFT-NOTES §2: 6×64 unpacked-A, 150–165 GFLOP/s).
let panelWidth = 64
