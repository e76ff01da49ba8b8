// NNKernels: the three instruction-set builds of the non-GEMM kernels give bit-identical results
// (every build this CPU can run is compared with the baseline build), and they compute exactly
// the documented formulas: GELU against x·½(1 + erf(x/√2)) with VectorMath's erf (whose error
// `vectorExpAndErfAreAccurate` bounds), and the causal attention softmax against a Double
// reference within 4e-6 relative (exp's 1e-6 plus a few Float roundings of the row sum).

import Foundation
import Testing

@testable import MiniGPT

@Suite("Non-GEMM kernel builds")
struct NNKernelTests {
  /// Deterministic values in [−scale, scale) (SplitMix64).
  static func values(_ n: Int, seed: UInt64, scale: Float) -> [Float] {
    var s = seed
    return (0..<n).map { _ in
      s &+= 0x9E37_79B9_7F4A_7C15
      var z = s
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      z ^= z >> 31
      return (Float(z >> 40) / Float(1 << 24) * 2 - 1) * scale
    }
  }

  static func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

  @Test func geluBuildsAgreeAndMatchTheFormula() {
    let n = 1000  // not a multiple of 16: exercises the scalar tail
    let x = Self.values(n, seed: 1, scale: 6)
    let g = Self.values(n, seed: 2, scale: 1)
    var ref: [UInt32] = []
    var refBack: [UInt32] = []
    for variant in Matmul.availableVariants.reversed() {  // portable first
      var y = [Float](repeating: 0, count: n)
      var dx = [Float](repeating: 0, count: n)
      NN.geluForward(out: &y, input: x, lo: 0, hi: n, variant: variant)
      NN.geluBackward(dInput: &dx, input: x, output: y, dOut: g, lo: 0, hi: n, variant: variant)
      if ref.isEmpty {
        ref = Self.bits(y)
        refBack = Self.bits(dx)
        for i in 0..<n {
          let expected = 0.5 * x[i] * (1 + VectorMath.erf(x[i] * GELU.invSqrt2))
          #expect(y[i].bitPattern == expected.bitPattern, "gelu(\(x[i]))")
        }
      } else {
        #expect(Self.bits(y) == ref, "GELU forward, \(variant) vs portable")
        #expect(Self.bits(dx) == refBack, "GELU backward, \(variant) vs portable")
      }
    }
  }

  @Test func attentionSoftmaxBuildsAgreeAndMatchDouble() {
    let T = 37, Tp = Attention.paddedT(T)
    let scale: Float = 0.25
    let S = Self.values(T * Tp, seed: 3, scale: 8)
    let dS0 = Self.values(T * Tp, seed: 4, scale: 1)
    let hs = 5
    let dy = Self.values(T * hs, seed: 5, scale: 1)
    let y = Self.values(T * hs, seed: 6, scale: 1)
    var ref: [UInt32] = []
    var refBack: [UInt32] = []
    for variant in Matmul.availableVariants.reversed() {
      var P = S
      var lse = [Float](repeating: 0, count: T)
      NN.attentionSoftmax(P: &P, T: T, Tp: Tp, scale: scale, lse: &lse, variant: variant)
      var P2 = S
      var dS = dS0
      NN.attentionSoftmaxBackward(
        P: &P2, dS: &dS, T: T, Tp: Tp, scale: scale, lse: lse, dy: dy, y: y, ldy: hs, hs: hs,
        variant: variant)
      if ref.isEmpty {
        ref = Self.bits(P) + Self.bits(lse)
        refBack = Self.bits(P2) + Self.bits(dS)
        var worst = 0.0
        for t in 0..<T {
          let z = (0...t).map { Double(S[t * Tp + $0] * scale) }
          let m = z.max() ?? 0
          let sum = z.reduce(0) { $0 + exp($1 - m) }
          for j in 0..<Tp {
            let expected = j <= t ? exp(z[j] - m) / sum : 0
            worst = max(worst, abs(Double(P[t * Tp + j]) - expected) / max(expected, 1e-30))
            // The backward recomputes the same probabilities from the saved log-sum-exp.
            worst = max(worst, abs(Double(P2[t * Tp + j]) - expected) / max(expected, 1e-30))
          }
          #expect(abs(Double(lse[t]) - (m + log(sum))) < 1e-5 * max(1, abs(m + log(sum))))
        }
        #expect(worst < 4e-6, "softmax max relative error \(worst)")
      } else {
        #expect(Self.bits(P) + Self.bits(lse) == ref, "softmax, \(variant) vs portable")
        #expect(Self.bits(P2) + Self.bits(dS) == refBack, "softmax backward, \(variant)")
      }
    }
  }

  @Test func rowKernelBuildsAgree() {
    let rows = 70, C = 37, V = 53
    let x = Self.values(rows * C, seed: 7, scale: 3)
    let w = Self.values(C, seed: 8, scale: 1)
    let b = Self.values(C, seed: 9, scale: 1)
    let logits0 = Self.values(rows * V, seed: 10, scale: 5)
    let targets = (0..<rows).map { Int32($0 * 7 % V) }
    let p0 = Self.values(rows * C, seed: 11, scale: 1)
    let g = Self.values(rows * C, seed: 12, scale: 1)
    var ref: [UInt32] = []
    for variant in Matmul.availableVariants.reversed() {
      var out = [Float](repeating: 0, count: rows * C)
      var mean = [Float](repeating: 0, count: rows)
      var rstd = [Float](repeating: 0, count: rows)
      NN.layerNormForward(
        out: &out, mean: &mean, rstd: &rstd, input: x, weight: w, bias: b, C: C, eps: 1e-5,
        lo: 0, hi: rows, variant: variant)
      var dx = [Float](repeating: 0, count: rows * C)
      var pw = [Float](repeating: 0, count: 2 * C)
      pw.withUnsafeMutableBufferPointer { pwb in
        let base = pwb.baseAddress!
        NN.layerNormBackward(
          dInput: &dx, pw: base, pb: base + C, dOut: g, input: x, weight: w, mean: mean,
          rstd: rstd, C: C, r0: 0, r1: rows, variant: variant)
      }
      var logits = logits0
      var losses = [Float](repeating: 0, count: rows)
      NN.crossEntropyForward(
        losses: &losses, logits: &logits, targets: targets, V: V, lo: 0, hi: rows,
        variant: variant)
      NN.crossEntropyBackward(
        dLogits: &logits, targets: targets, dLoss: 0.125, V: V, lo: 0, hi: rows,
        variant: variant)
      var p = p0, m = g.map { $0 * 0.1 }, v = g.map { $0 * $0 * 0.01 }
      NN.adamwUpdate(
        p: &p, g: g, m: &m, v: &v, n: p.count, scale: 0.9, b1: 0.9, b2: 0.95, decay: 0.9999,
        stepSize: 1e-3, invSqrtBC2: 1.2, eps: 1e-8, variant: variant)
      let ss = NN.sumOfSquares(g, g.count, variant: variant)
      var seeded = [Float](repeating: 0, count: rows * C)
      NN.seedRows(out: &seeded, bias: b, residual: x, OC: C, lo: 0, hi: rows, variant: variant)
      var colSum = [Float](repeating: 0, count: C)
      NN.columnSumRows(&colSum, x, cols: C, r0: 0, r1: rows, variant: variant)
      let all =
        Self.bits(out + mean + rstd + dx + pw + logits + losses + p + m + v + [ss] + seeded
          + colSum)
      if ref.isEmpty {
        ref = all
        #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })
      } else {
        #expect(all == ref, "row kernels, \(variant) vs portable")
      }
    }
  }
}
