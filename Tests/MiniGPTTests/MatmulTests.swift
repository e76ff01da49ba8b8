// Matmul: every SGEMM build this CPU runs agrees with the naive product on odd shapes in all
// layouts, leaves memory outside C alone, and gives bit-identical results on 1 and 2 threads.
//
// Tolerance (stated once, used everywhere): for each element,
//   |C − C_ref| ≤ (K + 2)·u·(|C₀| + Σₖ|a_ik||b_kj|)·1.01, with u = 2⁻²⁴ (Float32 roundoff),
// the worst-case bound γ_K·|a|ᵀ|b| for a Float dot product in any summation order (Higham,
// Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1, eq. 3.5), one more term for the
// accumulated C₀ and one for the Double-accumulated reference's final rounding to Float. A kernel
// that drops, repeats or misplaces one product misses by about |a||b| ≈ Σ/K, far above it.

import MiniGPT
import Randomness
import Testing

/// A Float matrix buffer with a leading dimension, filled from a seed (SplitMix64).
final class GemmTestMatrix {
  let rows: Int
  let cols: Int
  let ld: Int
  let data: UnsafeMutablePointer<Float>
  var count: Int { max(rows * ld, 1) }

  init(rows: Int, cols: Int, pad: Int, seed: UInt64) {
    self.rows = rows
    self.cols = cols
    ld = max(cols + pad, 1)
    data = .allocate(capacity: max(rows * ld, 1))
    var rng = SplitMix64(seed: seed)
    for i in 0..<count {
      // Uniform in [-1, 1), except the padding columns hold a sentinel (one draw per slot).
      let x = rng.nextSymmetricFloat24()
      data[i] = i % ld < cols ? x : 12345
    }
  }

  init(copying other: GemmTestMatrix, transform: (Float) -> Float = { $0 }) {
    rows = other.rows
    cols = other.cols
    ld = other.ld
    data = .allocate(capacity: other.count)
    for i in 0..<other.count { data[i] = transform(other.data[i]) }
  }

  deinit { data.deallocate() }

  func bitPattern() -> [UInt32] { (0..<count).map { data[$0].bitPattern } }
}

enum GemmTestLayout: String, CaseIterable, CustomStringConvertible {
  case nn = "NN", nt = "NT", tn = "TN", tt = "TT"
  var transA: Bool { self == .tn || self == .tt }
  var transB: Bool { self == .nt || self == .tt }
  var description: String { rawValue }
}

/// Operands of op(A)·op(B) for an M×N×K product, with padded leading dimensions.
struct GemmProblem {
  let layout: GemmTestLayout
  let M: Int, N: Int, K: Int
  let a: GemmTestMatrix, b: GemmTestMatrix, c: GemmTestMatrix

  init(_ layout: GemmTestLayout, _ M: Int, _ N: Int, _ K: Int, seed: UInt64 = 42) {
    self.layout = layout
    self.M = M
    self.N = N
    self.K = K
    a =
      layout.transA
      ? GemmTestMatrix(rows: K, cols: M, pad: 2, seed: seed)
      : GemmTestMatrix(rows: M, cols: K, pad: 2, seed: seed)
    b =
      layout.transB
      ? GemmTestMatrix(rows: N, cols: K, pad: 1, seed: seed &+ 1)
      : GemmTestMatrix(rows: K, cols: N, pad: 1, seed: seed &+ 1)
    c = GemmTestMatrix(rows: M, cols: N, pad: 3, seed: seed &+ 2)
  }

  /// Runs `variant` (or the naive reference when nil) on copies and returns C.
  func run(
    _ variant: GemmVariant?, accumulate: Bool, threads: Int,
    a: GemmTestMatrix? = nil, b: GemmTestMatrix? = nil, c: GemmTestMatrix? = nil
  ) -> GemmTestMatrix {
    let out = GemmTestMatrix(copying: c ?? self.c)
    let a = a ?? self.a
    let b = b ?? self.b
    if let variant {
      Matmul.gemm(
        variant: variant, transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
        A: a.data, lda: a.ld, B: b.data, ldb: b.ld, C: out.data, ldc: out.ld,
        accumulate: accumulate, threads: threads)
    } else {
      Matmul.naive(
        transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
        A: a.data, lda: a.ld, B: b.data, ldb: b.ld, C: out.data, ldc: out.ld,
        accumulate: accumulate, threads: threads)
    }
    return out
  }

  /// |C₀| (if accumulating) + Σₖ|a||b| for every element, by the naive product of |A| and |B|.
  func magnitude(accumulate: Bool) -> GemmTestMatrix {
    let absA = GemmTestMatrix(copying: a) { abs($0) }
    let absB = GemmTestMatrix(copying: b) { abs($0) }
    let absC = GemmTestMatrix(copying: c) { accumulate ? abs($0) : 0 }
    return run(nil, accumulate: true, threads: 1, a: absA, b: absB, c: absC)
  }
}

/// Shapes with edge tiles in every direction: M < 6, N < 8/16/64, K over several 512 blocks;
/// B read in place (small ldb or M) and packed; Aᵀ read in place (lda < 384) and packed;
/// edge panels 16 and 32 columns wide (the narrow AVX-512 kernels).
let gemmOddShapes: [(Int, Int, Int)] = [
  (1, 1, 1), (67, 45, 93), (5, 300, 7), (301, 513, 129), (64, 64, 64), (3, 130, 70),
  (70, 13, 200), (40, 70, 1100), (13, 77, 1537), (7, 5, 3), (400, 30, 530), (29, 90, 70),
]

@Suite("Matmul")
struct MatmulTests {
  @Test("The naive reference matches a product worked by hand, in every layout")
  func naiveMatchesHandWorkedProduct() {
    // op(A) = [[1, 2, 3], [4, 5, 6]], op(B) = [[7, 8], [9, 10], [11, 12]]
    // op(A)·op(B) = [[58, 64], [139, 154]]; with C₀ = [[1, 1], [1, 1]] accumulated: +1.
    let opA: [[Float]] = [[1, 2, 3], [4, 5, 6]]
    let opB: [[Float]] = [[7, 8], [9, 10], [11, 12]]
    let expected: [Float] = [58, 64, 139, 154]
    for layout in GemmTestLayout.allCases {
      let aStored = layout.transA ? (0..<3).map { k in opA.map { $0[k] } } : opA
      let bStored = layout.transB ? (0..<2).map { j in opB.map { $0[j] } } : opB
      let a = aStored.flatMap { $0 }
      let b = bStored.flatMap { $0 }
      for accumulate in [false, true] {
        var c: [Float] = [1, 1, 1, 1]
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
              guard let A = pa.baseAddress, let B = pb.baseAddress, let C = pc.baseAddress
              else { return }
              Matmul.naive(
                transA: layout.transA, transB: layout.transB, M: 2, N: 2, K: 3,
                A: A, lda: aStored[0].count, B: B, ldb: bStored[0].count, C: C, ldc: 2,
                accumulate: accumulate, threads: 1)
            }
          }
        }
        #expect(c == expected.map { $0 + (accumulate ? 1 : 0) }, "\(layout) acc=\(accumulate)")
      }
    }
  }

  @Test("Variant detection from /proc/cpuinfo flags")
  func detectsVariantFromFlags() {
    let v3: Set<Substring> = ["sse2", "avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"]
    let v4 = v3.union(["avx512f", "avx512bw", "avx512vl", "avx512cd", "avx512dq"])
    #if arch(x86_64)
      #expect(Matmul.detectVariant(cpuFlags: v4) == .avx512)
      #expect(Matmul.detectVariant(cpuFlags: v3) == .avx2)
      #expect(Matmul.detectVariant(cpuFlags: v4.subtracting(["avx512bw"])) == .avx2)
      #expect(Matmul.detectVariant(cpuFlags: v3.subtracting(["fma"])) == .portable)
    #endif
    #expect(Matmul.detectVariant(cpuFlags: ["sse2", "sse4_2"]) == .portable)
    #expect(Matmul.detectVariant(cpuFlags: nil) == .portable)
    #expect(Matmul.availableVariants.first == Matmul.variant)
    #expect(Matmul.availableVariants.last == .portable)
    let skipped = GemmVariant.allCases.filter { !Matmul.availableVariants.contains($0) }
    if !skipped.isEmpty { print("Matmul: this CPU cannot run \(skipped); those are not tested.") }
  }

  @Test("Every variant agrees with the naive product on odd shapes", arguments: gemmOddShapes)
  func agreesWithNaive(shape: (Int, Int, Int)) {
    let (M, N, K) = shape
    for layout in GemmTestLayout.allCases {
      let problem = GemmProblem(layout, M, N, K)
      for accumulate in [false, true] {
        let reference = problem.run(nil, accumulate: accumulate, threads: 1)
        let magnitude = problem.magnitude(accumulate: accumulate)
        for variant in Matmul.availableVariants {
          for threads in [1, 2] {
            let got = problem.run(variant, accumulate: accumulate, threads: threads)
            let (worst, padOK) = gemmErrorBound(
              got: got, reference: reference, magnitude: magnitude, original: problem.c, N: N, K: K)
            let label = "\(variant) \(layout) \(M)×\(N)×\(K) acc=\(accumulate) threads=\(threads)"
            #expect(worst <= 1, "\(label): error/bound = \(worst)")
            #expect(padOK, "\(label): wrote outside C's M×N region")
          }
        }
      }
    }
  }

  @Test(
    "1 and 2 threads give bit-identical C",
    arguments: [(2053, 40, 400, "rows"), (70, 1100, 600, "columns"), (301, 513, 257, nil)])
  func threadCountDoesNotChangeBits(case c: (Int, Int, Int, String?)) {
    let (M, N, K, expectedSplit) = c
    for variant in Matmul.availableVariants {
      for layout in GemmTestLayout.allCases {
        let split = Matmul.threadSplit(
          variant: variant, transA: layout.transA, M: M, N: N, K: K, threads: 2)
        let label = "\(variant) \(layout) \(M)×\(N)×\(K)"
        #expect(split != "single", "\(label) ran on one thread: the test would be vacuous")
        if let expectedSplit { #expect(split == expectedSplit, "\(label)") }
        let problem = GemmProblem(layout, M, N, K, seed: 9)
        for accumulate in [false, true] {
          let one = problem.run(variant, accumulate: accumulate, threads: 1).bitPattern()
          let two = problem.run(variant, accumulate: accumulate, threads: 2).bitPattern()
          #expect(one == two, "\(variant) \(layout) \(M)×\(N)×\(K) acc=\(accumulate) \(split)")
        }
      }
    }
  }

  @Test("K = 0 gives C = 0, or leaves C alone when accumulating")
  func emptyInnerDimension() {
    for variant in Matmul.availableVariants {
      let problem = GemmProblem(.nn, 7, 9, 0)
      let stored = problem.run(variant, accumulate: false, threads: 1)
      let added = problem.run(variant, accumulate: true, threads: 1)
      for i in 0..<stored.count where i % stored.ld < 9 {
        #expect(stored.data[i] == 0)
        #expect(added.data[i] == problem.c.data[i])
      }
    }
  }

  @Test("The default entry point runs the detected variant with the same bits")
  func defaultEntryPointUsesDetectedVariant() {
    let problem = GemmProblem(.nt, 37, 150, 90)
    let forced = problem.run(Matmul.variant, accumulate: false, threads: 1).bitPattern()
    let out = GemmTestMatrix(copying: problem.c)
    Matmul.gemm(
      transA: false, transB: true, M: 37, N: 150, K: 90, A: problem.a.data, lda: problem.a.ld,
      B: problem.b.data, ldb: problem.b.ld, C: out.data, ldc: out.ld, accumulate: false,
      threads: 1)
    #expect(out.bitPattern() == forced)
  }
}

/// The worst ratio of |got − reference| to the forward-error bound (K + 2)·u·|A|·|B| (+|C|),
/// over C's M×N region, and whether the padding columns past N kept `original`'s bits.
func gemmErrorBound(
  got: GemmTestMatrix, reference: GemmTestMatrix, magnitude: GemmTestMatrix,
  original: GemmTestMatrix, N: Int, K: Int
) -> (worst: Double, padOK: Bool) {
  let u = Double(Float.ulpOfOne) / 2
  var worst = 0.0
  var padOK = true
  for i in 0..<got.count {
    if i % got.ld >= N {
      padOK = padOK && got.data[i].bitPattern == original.data[i].bitPattern
      continue
    }
    let allowed = Double(K + 2) * u * Double(magnitude.data[i]) * 1.01
    let err = abs(Double(got.data[i]) - Double(reference.data[i]))
    worst = max(worst, err <= allowed ? err / max(allowed, 1e-300) : .infinity)
  }
  return (worst, padOK)
}
