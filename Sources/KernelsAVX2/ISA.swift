// KernelsAVX2's own file (everything else is `Shared/`, a link to Sources/KernelsShared): what
// x86-64-v3 gives the shared kernels. Package.swift builds this target with -march=x86-64-v3;
// MiniGPT runs it only on a CPU that reports AVX2, FMA and the rest of that level
// (`Matmul.detectVariant`).

/// The instruction set of this build, as the shared kernels read it (constants, which the optimiser
/// folds into every use in release builds).
enum ISA {
  /// Fused multiply-add (vfmadd…ps, one rounding). Every FMA build computes a·b + c the same way,
  /// so this build and KernelsAVX512 agree bit for bit.
  static let fusedMultiplyAdd = true

  /// Columns of C per GEMM micro-tile and width of a packed-B panel: 2 ymm (`SIMD8`) per row,
  /// 12 accumulators + 2 B vectors + 1 broadcast = 15 of 16 registers.
  ///
  /// Measured (process CPU time, 1 thread, this machine): 6×16 with `SIMD8` runs at 72–77 GFLOP/s
  /// on 256³–1024³ (the ymm FMA ceiling is 94.6); the AVX-512 build's 6×64 `SIMD16` kernel
  /// compiled for AVX2 needs 48 ymm accumulators, spills, and runs at 49–54.
  static let panelWidth = 16
}
