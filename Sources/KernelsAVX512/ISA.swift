// KernelsAVX512's own file (everything else is `Shared/`, a link to Sources/KernelsShared): what
// x86-64-v4 gives the shared kernels. Package.swift builds this target with -march=x86-64-v4;
// MiniGPT runs it only on a CPU that reports AVX-512 F/BW/VL/CD/DQ and x86-64-v3
// (`Matmul.detectVariant`).

/// The instruction set of this build, as the shared kernels read it (constants, which the optimiser
/// folds into every use in release builds).
enum ISA {
  /// Fused multiply-add (vfmadd…ps, one rounding). Every FMA build computes a·b + c the same way,
  /// so this build and KernelsAVX2 agree bit for bit.
  static let fusedMultiplyAdd = true

  /// Columns of C per GEMM micro-tile and width of a packed-B panel: 4 zmm (`SIMD16`) per row,
  /// 24 accumulators of 32 registers (6×64 with A read in place: 150–165 GFLOP/s, 1 thread).
  /// Narrow edge panels use the 6×32 and 6×16 kernels.
  static let panelWidth = 64
}
