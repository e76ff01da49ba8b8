// Correctness checks run before any timing (llm.c dev/cpu style): the GEMM entry point against a
// naive triple loop on odd shapes in all three transpose modes the model uses (and with a bias and
// residual fused into its store), attention against a naive softmax(qkᵀ)v (one short context, one
// spanning two causal bands), and the whole model's gradient against a central-difference
// directional derivative of its own Float loss (a one-step gradient sanity check on a tiny model).

import Foundation
import Randomness

enum SelfCheck {
  /// Runs every check; returns a one-line summary.
  /// - Throws: `MiniGPTError.invalid` naming the first failed check.
  static func run(threads: Int) throws -> String {
    var rng = Xoshiro256StarStar(seed: 99)
    // GEMM: 67×45×93 (M×N×K) for (transA, transB) in the model's three modes.
    let M = 67, N = 45, K = 93
    let a = (0..<(M * K)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
    let b = (0..<(K * N)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
    var worstGemm = 0.0
    for (ta, tb) in [(false, true), (false, false), (true, false)] {
      var c = [Float](repeating: 0, count: M * N)
      gemm(
        transA: ta, transB: tb, M: M, N: N, K: K, A: a, lda: ta ? M : K, B: b, ldb: tb ? K : N,
        C: &c, ldc: N, accumulate: false, threads: threads)
      for i in 0..<M {
        for j in 0..<N {
          var s = 0.0
          for k in 0..<K {
            s += Double(ta ? a[k * M + i] : a[i * K + k]) * Double(tb ? b[j * K + k] : b[k * N + j])
          }
          worstGemm = max(worstGemm, abs(Double(c[i * N + j]) - s))
        }
      }
    }
    // The forward Linear form: bias and residual added in the GEMM's own store.
    do {
      let bias = (0..<N).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
      let res = (0..<(M * N)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
      var c = [Float](repeating: 0, count: M * N)
      Matmul.gemm(
        transA: false, transB: true, M: M, N: N, K: K, A: a, lda: K, B: b, ldb: K, C: &c,
        ldc: N, accumulate: false, threads: threads, bias: bias, residual: res, ldr: N)
      for i in 0..<M {
        for j in 0..<N {
          var s = Double(res[i * N + j] + bias[j])
          for k in 0..<K { s += Double(a[i * K + k]) * Double(b[j * K + k]) }
          worstGemm = max(worstGemm, abs(Double(c[i * N + j]) - s))
        }
      }
    }
    guard worstGemm < 1e-4 else {
      throw MiniGPTError.invalid(
        "self-check failed: GEMM differs from the naive product by \(worstGemm)")
    }
    // Attention: B 2, T 9, C 12, 3 heads (hs 4); and B 1, T 70, C 32, 2 heads (hs 16: two
    // causal bands, the narrow 16-column GEMM tiles).
    var worstAtt = 0.0
    for (B, T, C, NH) in [(2, 9, 12, 3), (1, 70, 32, 2)] {
      let hs = C / NH
      let qkv = (0..<(B * T * 3 * C)).map { _ in Float(rng.nextUnitDouble() * 2 - 1) }
      var out = [Float](repeating: 0, count: B * T * C)
      var lse = [Float](repeating: 0, count: B * NH * T)
      var scratch = [Float](
        repeating: 0, count: Attention.scratchCount(T: T, hs: hs, threads: threads))
      Attention.forward(
        out: &out, lse: &lse, qkv: qkv, B: B, T: T, C: C, NH: NH, scratch: &scratch,
        threads: threads)
      for bb in 0..<B {
        for h in 0..<NH {
          for t in 0..<T {
            var w = [Double]()
            for u in 0...t {
              var s = 0.0
              for d in 0..<hs {
                s +=
                  Double(qkv[(bb * T + t) * 3 * C + h * hs + d])
                  * Double(qkv[(bb * T + u) * 3 * C + C + h * hs + d])
              }
              w.append(s / Double(hs).squareRoot())
            }
            let m = w.max() ?? 0
            let e = w.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for d in 0..<hs {
              var y = 0.0
              for u in 0...t {
                y += e[u] / z * Double(qkv[(bb * T + u) * 3 * C + 2 * C + h * hs + d])
              }
              worstAtt = max(worstAtt, abs(y - Double(out[(bb * T + t) * C + h * hs + d])))
            }
          }
        }
      }
    }
    guard worstAtt < 1e-5 else {
      throw MiniGPTError.invalid(
        "self-check failed: attention differs from the naive one by \(worstAtt)")
    }
    // Whole model: directional derivative along a random direction u, ε = 1e-3.
    let g = GPTConfig(layers: 2, dModel: 16, heads: 2, context: 8)
    let net = GPTModel(config: g, maxBatch: 2, threads: threads, seed: 5)
    for i in 0..<16 {
      net.inputs[i] = Int32(rng.nextInt(below: 256))
      net.targets[i] = Int32(rng.nextInt(below: 256))
    }
    let n = net.P.floatCount
    let saved = (0..<n).map { net.params[$0] }
    let u = (0..<n).map { _ in Float(rng.nextNormalRejectingZero()) }
    net.forward(B: 2)
    net.backward(B: 2)
    var analytic = 0.0
    for i in 0..<n { analytic += Double(net.grads[i]) * Double(u[i]) }
    let eps: Float = 1e-3
    func loss(_ sign: Float) -> Double {
      for i in 0..<n { net.params[i] = saved[i] + sign * eps * u[i] }
      net.forward(B: 2)
      return net.meanLoss(count: 16)
    }
    let numeric = (loss(1) - loss(-1)) / (2 * Double(eps))
    for i in 0..<n { net.params[i] = saved[i] }
    let rel = abs(numeric - analytic) / max(abs(numeric), 1e-6)
    guard rel < 2e-2 else {
      throw MiniGPTError.invalid(
        "self-check failed: the model gradient's directional derivative \(analytic) differs "
          + "from the finite difference \(numeric)"
      )
    }
    return String(
      format: "gemm max |Δ| %.1e, attention max |Δ| %.1e, gradient directional rel. error %.1e",
      worstGemm, worstAtt, rel)
  }
}
