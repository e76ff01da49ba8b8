// The one per-target file of GemmAVX512 (not a symlink): the micro-tile this instruction set uses.

/// Columns of C per micro-tile and width of a packed-B panel: x86-64-v4 (AVX-512): 4 zmm per
/// row, 24 accumulators of 32 registers.
let panelWidth = 64
