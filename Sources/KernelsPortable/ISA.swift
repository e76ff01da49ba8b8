// KernelsPortable's own file (everything else is `Shared/`, a link to Sources/KernelsShared):
// what baseline x86-64 gives the shared kernels. Package.swift builds this target with -O only;
// it runs on any x86-64 CPU (and is the one build on other architectures).

/// The instruction set of this build, as the shared kernels read it (constants, which the optimiser
/// folds into every use in release builds).
enum ISA {
  /// No fused multiply-add: baseline x86-64 (SSE2) has none, and `addingProduct` would become a
  /// libm `fmaf` call per lane (about 35× slower), so a·b + c is a multiply, then an add (two
  /// roundings). Results therefore differ from the FMA builds' in the last bits.
  static let fusedMultiplyAdd = false

  /// Columns of C per GEMM micro-tile and width of a packed-B panel: 2 xmm (`SIMD4`) per row,
  /// 12 accumulators + 2 B vectors + 1 broadcast = 15 of 16 registers.
  ///
  /// Measured (process CPU time, 1 thread, this machine): 6×8 with `SIMD4` runs at 25–26 GFLOP/s,
  /// about the SSE2 multiply-plus-add ceiling; 6×16 with `SIMD8` spills and runs at 20–25.
  static let panelWidth = 8
}
