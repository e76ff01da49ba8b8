// The one per-target file of GemmAVX2 (not a symlink): the micro-tile this instruction set uses.

/// Columns of C per micro-tile and width of a packed-B panel: x86-64-v3 (AVX2 + FMA): 2 ymm
/// per row, 15 of 16 registers.
let panelWidth = 16
