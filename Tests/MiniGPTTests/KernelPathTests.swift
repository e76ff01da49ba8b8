// The faster kernel paths, each against an independent naive reference:
// - SGEMM with the bias and residual fused into its store, on odd shapes, every variant this CPU
//   runs, 1 and 2 threads (same tolerance as MatmulTests: (K + 2)·u·(|seed| + Σ|a||b|)·1.01,
//   Higham §3.1 eq. 3.5, with the Float seed residual + bias as the starting value);
// - attention at contexts longer than one causal band (48 queries), with head sizes 16 and 32
//   (the narrow AVX-512 GEMM tiles stored in place) and 20 (their scratch-tile path), against a
//   Double forward and a Double backward written out here (dP = dY·Vᵀ, dS = P ⊙ (dP − rowsum(P ⊙
//   dP)), dQ = dS·K/√hs, dK = dSᵀ·Q/√hs, dV = Pᵀ·dY), within the layer tests' tolerances; and
//   bit-identical for 1 and 2 threads.

import Foundation
import Testing

@testable import MiniGPT

/// Double backward of causal attention for dOut = R: the gradient with respect to qkv.
func refAttentionBackward(_ qkv: [Double], _ R: [Double], B: Int, T: Int, C: Int, NH: Int)
  -> [Double]
{
  let hs = C / NH
  let scale = 1 / Double(hs).squareRoot()
  var dqkv = [Double](repeating: 0, count: qkv.count)
  func at(_ b: Int, _ t: Int, _ part: Int, _ h: Int, _ d: Int) -> Int {
    (b * T + t) * 3 * C + part * C + h * hs + d
  }
  for b in 0..<B {
    for h in 0..<NH {
      for t in 0..<T {
        var s = [Double](repeating: 0, count: t + 1)
        for u in 0...t {
          for d in 0..<hs { s[u] += qkv[at(b, t, 0, h, d)] * qkv[at(b, u, 1, h, d)] }
          s[u] *= scale
        }
        let m = s.max() ?? 0
        let e = s.map { exp($0 - m) }
        let z = e.reduce(0, +)
        let p = e.map { $0 / z }
        var dp = [Double](repeating: 0, count: t + 1)
        for u in 0...t {
          for d in 0..<hs {
            let dy = R[(b * T + t) * C + h * hs + d]
            dp[u] += dy * qkv[at(b, u, 2, h, d)]
            dqkv[at(b, u, 2, h, d)] += p[u] * dy
          }
        }
        let mean = zip(p, dp).reduce(0) { $0 + $1.0 * $1.1 }
        for u in 0...t {
          let ds = p[u] * (dp[u] - mean) * scale
          for d in 0..<hs {
            dqkv[at(b, t, 0, h, d)] += ds * qkv[at(b, u, 1, h, d)]
            dqkv[at(b, u, 1, h, d)] += ds * qkv[at(b, t, 0, h, d)]
          }
        }
      }
    }
  }
  return dqkv
}

@Suite("Fused and banded kernel paths")
struct KernelPathTests {
  /// [B, T, C, NH]: T spans 2–3 causal bands (ragged last band); hs = 32, 16, 20.
  @Test(arguments: [[1, 100, 64, 2], [2, 70, 64, 4], [1, 53, 40, 2]])
  func attentionAcrossCausalBands(_ shape: [Int]) {
    let B = shape[0], T = shape[1], C = shape[2], NH = shape[3]
    var rng = TestRNG(11)
    let qkv = rng.array(B * T * 3 * C, scale: 1.5), R = rng.array(B * T * C)
    let qf = qkv.map(Float.init), rf = R.map(Float.init)
    var bits: [[UInt32]] = []
    for threads in [1, 2] {
      var out = [Float](repeating: .nan, count: B * T * C)
      var lse = [Float](repeating: 0, count: B * NH * T)
      var dqkv = [Float](repeating: .nan, count: B * T * 3 * C)
      // Scratch starts as NaN: the kernels must never read what they did not write.
      var scratch = [Float](
        repeating: .nan, count: Attention.scratchCount(T: T, hs: C / NH, threads: threads))
      Attention.forward(
        out: &out, lse: &lse, qkv: qf, B: B, T: T, C: C, NH: NH, scratch: &scratch,
        threads: threads)
      Attention.backward(
        dqkv: &dqkv, dOut: rf, qkv: qf, out: out, lse: lse, B: B, T: T, C: C, NH: NH,
        scratch: &scratch, threads: threads)
      if threads == 1 {
        expectForward(
          "Attention \(shape)", out, refAttention(qkv, B: B, T: T, C: C, NH: NH), atol: fAtol,
          rtol: fRtol)
        expectForward(
          "Attention dqkv \(shape)", dqkv,
          refAttentionBackward(qkv, R, B: B, T: T, C: C, NH: NH), atol: 1e-5, rtol: 1e-4)
      }
      bits.append((out + dqkv).map(\.bitPattern))
    }
    #expect(bits[0] == bits[1], "attention \(shape): 1 and 2 threads differ")
  }

  @Test(
    "Bias and residual fused into the GEMM store agree with the naive product",
    arguments: [(67, 45, 93), (5, 300, 7), (64, 64, 64), (70, 13, 200), (29, 90, 70),
      (13, 77, 1537), (200, 32, 48), (100, 16, 64), (301, 513, 129),
      // Large enough for 2 threads: split by rows, then by columns (the seed pointers move).
      (2053, 40, 400), (70, 1100, 600)])
  func seededGemmAgreesWithNaive(shape: (Int, Int, Int)) {
    let (M, N, K) = shape
    let bias = GemmTestMatrix(rows: 1, cols: N, pad: 0, seed: 77)
    let residual = GemmTestMatrix(rows: M, cols: N, pad: 5, seed: 78)
    for layout in GemmTestLayout.allCases {
      let problem = GemmProblem(layout, M, N, K)
      let absA = GemmTestMatrix(copying: problem.a) { abs($0) }
      let absB = GemmTestMatrix(copying: problem.b) { abs($0) }
      for (useBias, useResidual) in [(true, false), (false, true), (true, true)] {
        let b = useBias ? UnsafePointer(bias.data) : nil
        let r = useResidual ? UnsafePointer(residual.data) : nil
        let reference = GemmTestMatrix(copying: problem.c)
        Matmul.naive(
          transA: layout.transA, transB: layout.transB, M: M, N: N, K: K, A: problem.a.data,
          lda: problem.a.ld, B: problem.b.data, ldb: problem.b.ld, C: reference.data,
          ldc: reference.ld, accumulate: false, threads: 1, bias: b, residual: r,
          ldr: residual.ld)
        // |seed| + Σ|a||b| per element.
        let magnitude = GemmTestMatrix(copying: problem.c)
        for i in 0..<M {
          for j in 0..<N {
            let seed = (r.map { $0[i * residual.ld + j] } ?? 0) + (b.map { $0[j] } ?? 0)
            magnitude.data[i * magnitude.ld + j] = abs(seed)
          }
        }
        Matmul.naive(
          transA: layout.transA, transB: layout.transB, M: M, N: N, K: K, A: absA.data,
          lda: absA.ld, B: absB.data, ldb: absB.ld, C: magnitude.data, ldc: magnitude.ld,
          accumulate: true, threads: 1)
        for variant in Matmul.availableVariants {
          var runs: [[UInt32]] = []
          for threads in [1, 2] {
            let got = GemmTestMatrix(copying: problem.c)
            Matmul.gemm(
              variant: variant, transA: layout.transA, transB: layout.transB, M: M, N: N, K: K,
              A: problem.a.data, lda: problem.a.ld, B: problem.b.data, ldb: problem.b.ld,
              C: got.data, ldc: got.ld, accumulate: false, threads: threads, bias: b,
              residual: r, ldr: residual.ld)
            let (worst, padOK) = gemmErrorBound(
              got: got, reference: reference, magnitude: magnitude, original: problem.c, N: N, K: K)
            let label =
              "\(variant) \(layout) \(M)×\(N)×\(K) bias=\(useBias) residual=\(useResidual) "
              + "threads=\(threads)"
            #expect(worst <= 1, "\(label): error/bound = \(worst)")
            #expect(padOK, "\(label): wrote outside C's M×N region")
            runs.append(got.bitPattern())
          }
          #expect(runs[0] == runs[1], "\(variant) \(layout) \(M)×\(N)×\(K): threads differ")
          if M * N * K > 25_000_000 {
            let split = Matmul.threadSplit(
              variant: variant, transA: layout.transA, M: M, N: N, K: K, threads: 2)
            #expect(split != "single", "\(M)×\(N)×\(K) ran on one thread: vacuous")
          }
        }
      }
    }
  }
}
