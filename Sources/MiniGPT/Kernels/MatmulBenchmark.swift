// Correctness check and timing of the Matmul variants, for `scaleplan bench gemm` (and the
// trainer benchmark's "check each kernel before timing it"). Timing is never asserted in tests.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Randomness

/// One of the three operand layouts MiniGPT uses.
public enum MatmulLayout: String, Sendable, CaseIterable {
  /// C = A·B (forward of x·W with W stored in×out; dX = dY·W with W stored out×in).
  case nn = "NN"
  /// C = A·Bᵀ (forward of a Linear layer with W stored out×in: y = x·Wᵀ).
  case nt = "NT"
  /// C = Aᵀ·B (weight gradient dW = Xᵀ·dY, with K = batch·tokens).
  case tn = "TN"
  /// C = Aᵀ·Bᵀ (attention backward computes transposed per-head gradients this way).
  case tt = "TT"

  /// Whether A is stored transposed (K×M).
  public var transA: Bool { self == .tn || self == .tt }
  /// Whether B is stored transposed (N×K).
  public var transB: Bool { self == .nt || self == .tt }
}

/// Checks and times Matmul variants on random matrices.
public enum MatmulBenchmark {
  /// A Float buffer owned by Swift (freed on deinit), so no optional base addresses.
  final class Buffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int
    init(count: Int, _ value: (Int) -> Float) {
      self.count = count
      pointer = .allocate(capacity: max(count, 1))
      for i in 0..<count { pointer[i] = value(i) }
    }
    func copy() -> Buffer { Buffer(count: count) { self.pointer[$0] } }
    deinit { pointer.deallocate() }
  }

  /// Operands for one product: A, B and C with tight leading dimensions, uniform in [-1, 1).
  struct Operands {
    let a: Buffer
    let b: Buffer
    let c: Buffer
    let lda: Int
    let ldb: Int

    init(layout: MatmulLayout, M: Int, N: Int, K: Int, seed: UInt64) {
      // SplitMix64 (Randomness), top 24 bits → uniform in [-1, 1).
      var rng = SplitMix64(seed: seed)
      func next() -> Float { rng.nextSymmetricFloat24() }
      a = Buffer(count: M * K) { _ in next() }
      b = Buffer(count: K * N) { _ in next() }
      c = Buffer(count: M * N) { _ in next() }
      lda = max(1, layout.transA ? M : K)
      ldb = max(1, layout.transB ? K : N)
    }
  }

  /// The worst error of `variant` against `Matmul.naive`, as a fraction of the allowed bound.
  ///
  /// For each element the bound is (K + 2)·u·(|C₀| + Σₖ|a||b|) with u = 2⁻²⁴: the classical
  /// worst-case bound γₙ·|a|ᵀ|b| for a floating-point dot product in any summation order
  /// (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1, eq. 3.5), with one
  /// more term for the accumulated C and one for the reference's own rounding. A result ≤ 1
  /// passes; a wrong kernel misses by whole products and gives results far above 1.
  public static func errorRatio(
    variant: GemmVariant, layout: MatmulLayout, M: Int, N: Int, K: Int, accumulate: Bool,
    threads: Int, seed: UInt64 = 1
  ) -> Double {
    let ops = Operands(layout: layout, M: M, N: N, K: K, seed: seed)
    let got = ops.c.copy()
    let want = ops.c.copy()
    let bound = Buffer(count: M * N) { accumulate ? abs(ops.c.pointer[$0]) : 0 }
    let absA = Buffer(count: M * K) { abs(ops.a.pointer[$0]) }
    let absB = Buffer(count: K * N) { abs(ops.b.pointer[$0]) }
    let ldc = max(1, N)
    Matmul.gemm(
      variant: variant, transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
      A: ops.a.pointer, lda: ops.lda, B: ops.b.pointer, ldb: ops.ldb,
      C: got.pointer, ldc: ldc, accumulate: accumulate, threads: threads)
    Matmul.naive(
      transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
      A: ops.a.pointer, lda: ops.lda, B: ops.b.pointer, ldb: ops.ldb,
      C: want.pointer, ldc: ldc, accumulate: accumulate, threads: 1)
    Matmul.naive(
      transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
      A: absA.pointer, lda: ops.lda, B: absB.pointer, ldb: ops.ldb,
      C: bound.pointer, ldc: ldc, accumulate: true, threads: 1)
    let u = Double(Float.ulpOfOne) / 2
    var worst = 0.0
    for i in 0..<(M * N) {
      let allowed =
        Double(K + 2) * u * Double(bound.pointer[i]) * 1.01 + Double(Float.leastNormalMagnitude)
      let err = abs(Double(got.pointer[i]) - Double(want.pointer[i]))
      if !(err <= allowed * 1e9) { return .infinity }  // NaN, or wrong by orders of magnitude
      worst = max(worst, err / allowed)
    }
    return worst
  }

  /// Median seconds per call of `variant` on one shape, over `repeats` timed repeats.
  ///
  /// Each repeat runs enough calls to last at least `minimumSeconds`; one untimed warm-up call
  /// comes first. A checksum of C is returned so the work cannot be optimised away. With
  /// `cpuTime`, the process's CPU time (all threads) is measured instead of wall time: on a busy
  /// machine that approximates what one thread would take on an idle one.
  public static func time(
    variant: GemmVariant, layout: MatmulLayout, M: Int, N: Int, K: Int, threads: Int,
    repeats: Int = 5, minimumSeconds: Double = 0.05, cpuTime: Bool = false
  ) -> (seconds: Double, checksum: Double) {
    let ops = Operands(layout: layout, M: M, N: N, K: K, seed: 7)
    let clock = cpuTime ? BenchClock.cpu : BenchClock.wall
    func call() {
      Matmul.gemm(
        variant: variant, transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
        A: ops.a.pointer, lda: ops.lda, B: ops.b.pointer, ldb: ops.ldb,
        C: ops.c.pointer, ldc: max(1, N), accumulate: false, threads: threads)
    }
    let start = clock.now
    call()
    let once = clock.now - start
    let calls = max(1, Int((minimumSeconds / max(once, 1e-7)).rounded(.up)))
    var checksum = 0.0
    var samples: [Double] = []
    for _ in 0..<max(1, repeats) {
      let t0 = clock.now
      for _ in 0..<calls { call() }
      samples.append((clock.now - t0) / Double(calls))
      checksum += Double(ops.c.pointer[0]) + Double(ops.c.pointer[max(0, ops.c.count - 1)])
    }
    samples.sort()
    return (samples[samples.count / 2], checksum)
  }

  /// Wall-clock or process CPU-time seconds.
  enum BenchClock {
    case wall, cpu
    var now: Double {
      var ts = timespec()
      clock_gettime(self == .wall ? CLOCK_MONOTONIC : CLOCK_PROCESS_CPUTIME_ID, &ts)
      return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
  }
}
