// Matmul: which kernel build this CPU runs (`variant`, asked once per process through the `flags`
// line of /proc/cpuinfo on Linux), and the GEMM entry points on top of it. Three builds of the
// kernels are linked in (KernelsPortable: baseline x86-64 without FMA; KernelsAVX2: x86-64-v3;
// KernelsAVX512: x86-64-v4); `KernelSet.swift` dispatches to them. Row-major Float32
// throughout; layouts as in Sources/KernelsShared/Gemm.swift (`Kernels.sgemm`).

#if canImport(Glibc)
  import Glibc
#endif

/// One instruction-set build of MiniGPT's kernels (the GEMM and every other kernel alike).
public enum GemmVariant: String, Sendable, CaseIterable {
  /// x86-64-v4: AVX-512 F/BW/VL with FMA, 6×64 micro-tile.
  case avx512
  /// x86-64-v3: AVX2 with FMA, 6×16 micro-tile.
  case avx2
  /// Baseline x86-64 (SSE2, separate multiply and add), 6×8 micro-tile; runs anywhere.
  case portable
}

/// Matrix products for MiniGPT, dispatched to the fastest build this CPU can run.
public enum Matmul {
  /// Which kernel build runs on this CPU (chosen once; `NN` is its kernels).
  public static let variant: GemmVariant = detectVariant(cpuFlags: readCPUFlags())

  /// Every variant this CPU can run, fastest first (always ends with `.portable`).
  public static let availableVariants: [GemmVariant] = GemmVariant.allCases.filter {
    isSupported($0, by: variant)
  }

  /// C = op(A)·op(B) (+C if accumulate), row-major Float32; see `Kernels.sgemm` for layouts.
  ///
  /// `op(A)` is M×K (stored K×M when `transA`), `op(B)` is K×N (stored N×K when `transB`), `C` is
  /// M×N; `lda`, `ldb`, `ldc` are row strides in elements. With `bias` (N floats) and/or
  /// `residual` (M×N, row stride `ldr`), C = (residual + bias) + op(A)·op(B) in one store (not
  /// with `accumulate`). `threads` (1 or 2) never changes the result: output is bit-identical for
  /// any thread count.
  public static func gemm(
    transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
    A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
    C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
    bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
  ) {
    NN.sgemm(
      transA: transA, transB: transB, M: M, N: N, K: K, A: A, lda: lda, B: B, ldb: ldb, C: C,
      ldc: ldc, accumulate: accumulate, threads: threads, bias: bias, residual: residual,
      ldr: ldr)
  }

  /// Same as `gemm`, forcing a variant (for tests and benchmarks).
  ///
  /// Variants the CPU lacks must not be called (they would die of an illegal instruction); a
  /// precondition stops that. Use `availableVariants` to choose.
  public static func gemm(
    variant: GemmVariant, transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
    A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
    C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
    bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
  ) {
    precondition(isSupported(variant, by: Self.variant), "Matmul: \(variant) not supported here")
    variant.kernels.sgemm(
      transA: transA, transB: transB, M: M, N: N, K: K, A: A, lda: lda, B: B, ldb: ldb, C: C,
      ldc: ldc, accumulate: accumulate, threads: threads, bias: bias, residual: residual,
      ldr: ldr)
  }

  /// Reference triple loop with the same arguments as `gemm`, for tests and benchmark checks.
  ///
  /// Sums each dot product in Double, in k order, and rounds once to Float, so it is accurate to
  /// about one Float rounding (plus the rounding of adding the old C when `accumulate`, or the
  /// Float sum residual + bias). Slow (about 1 GFLOP/s); `threads` is ignored.
  public static func naive(
    transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
    A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
    C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
    bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, ldr: Int = 0
  ) {
    for i in 0..<M {
      for j in 0..<N {
        let seed = (residual.map { $0[i * ldr + j] } ?? 0) + (bias.map { $0[j] } ?? 0)
        var s = accumulate ? Double(C[i * ldc + j]) : Double(seed)
        for k in 0..<K {
          let a = transA ? A[k * lda + i] : A[i * lda + k]
          let b = transB ? B[j * ldb + k] : B[k * ldb + j]
          s += Double(a) * Double(b)
        }
        C[i * ldc + j] = Float(s)
      }
    }
  }

  /// How `gemm(variant:…)` divides this product between threads: `"single"`, `"rows"` or
  /// `"columns"` (for tests and benchmarks; the split never changes the result).
  public static func threadSplit(
    variant: GemmVariant, transA: Bool, M: Int, N: Int, K: Int, threads: Int
  ) -> String {
    variant.kernels.sgemmThreadSplit(transA: transA, M: M, N: N, K: K, threads: threads)
  }

  /// The micro-tile (rows × columns of C held in registers) of a variant's build.
  public static func microTile(_ variant: GemmVariant) -> (rows: Int, columns: Int) {
    variant.kernels.sgemmMicroTile()
  }

  /// The best variant for a set of `/proc/cpuinfo` flags (`nil`: unknown CPU → `.portable`).
  ///
  /// AVX-512 needs avx512f, avx512bw and avx512vl (x86-64-v4 also assumes avx512cd and
  /// avx512dq, which every CPU with BW/VL has); AVX2 needs avx2, fma, and the rest of x86-64-v3
  /// (bmi1, bmi2, f16c, movbe, lzcnt/abm) that `-march=x86-64-v3` may emit.
  public static func detectVariant(cpuFlags: Set<Substring>?) -> GemmVariant {
    #if arch(x86_64)
      guard let f = cpuFlags else { return .portable }
      let v3: [Substring] = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe"]
      let hasV3 = v3.allSatisfy { f.contains($0) } && (f.contains("abm") || f.contains("lzcnt"))
      let v4: [Substring] = ["avx512f", "avx512bw", "avx512vl", "avx512cd", "avx512dq"]
      if hasV3 && v4.allSatisfy({ f.contains($0) }) { return .avx512 }
      if hasV3 { return .avx2 }
      return .portable
    #else
      return .portable
    #endif
  }

  /// The words of the first `flags` line of /proc/cpuinfo, or nil where it cannot be read.
  static func readCPUFlags() -> Set<Substring>? {
    #if os(Linux) && canImport(Glibc)
      guard let file = fopen("/proc/cpuinfo", "r") else { return nil }
      defer { fclose(file) }
      var line: UnsafeMutablePointer<CChar>? = nil
      var capacity = 0
      defer { free(line) }
      while getline(&line, &capacity, file) > 0 {
        guard let l = line else { break }
        let text = String(cString: l)
        if text.hasPrefix("flags") {
          guard let colon = text.firstIndex(of: ":") else { return nil }
          let words = text[text.index(after: colon)...].split(whereSeparator: \.isWhitespace)
          return Set(words)
        }
      }
      return nil
    #else
      return nil
    #endif
  }

  /// Whether a CPU whose best variant is `best` can run `variant`.
  static func isSupported(_ variant: GemmVariant, by best: GemmVariant) -> Bool {
    switch best {
    case .avx512: true
    case .avx2: variant != .avx512
    case .portable: variant == .portable
    }
  }
}
