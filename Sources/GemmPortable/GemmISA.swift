// The one per-target file of GemmPortable (not a symlink): the micro-tile of this instruction set.

/// Columns of C per micro-tile and width of a packed-B panel: baseline x86-64 (SSE2, no
/// FMA): 2 xmm per row, 15 of 16 registers.
let panelWidth = 8
