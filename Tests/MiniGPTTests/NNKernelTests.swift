// The instruction-set builds of the kernels (KernelsPortable, KernelsAVX2, KernelsAVX512) agree,
// and they compute exactly the documented formulas. The FMA builds (AVX2, AVX-512) give
// bit-identical results to each other; the baseline build (multiply then add in the exp and erf
// polynomials) is bit-identical to them wherever no polynomial is involved, and otherwise within a
// stated tolerance. GELU is checked against x·½(1 + erf(x/√2)) and its backward against
// dOut·(Φ + x·φ), both with the documented exp and erf written out below (`ReferenceMath`): bit
// for bit in the baseline build, whose operations are those; within 2e-6 + 1e-6·|y| in the FMA
// builds, a few roundings of erf's polynomial. `referenceExpAndErfAreAccurate` bounds the
// formulas' error against libm; the causal attention softmax is checked against a Double
// reference within 4e-6 relative (exp's 1e-6 plus a few Float roundings of the row sum) in every
// build.

import Foundation
import Randomness
import Testing

@testable import MiniGPT

@Suite("Non-GEMM kernel builds")
struct NNKernelTests {
  /// Deterministic values in [−scale, scale) (SplitMix64).
  static func values(_ n: Int, seed: UInt64, scale: Float) -> [Float] {
    // k/2²⁴·2 − 1 is k/2²³ − 1 exactly (scaling by powers of two is exact).
    var rng = SplitMix64(seed: seed)
    return (0..<n).map { _ in rng.nextSymmetricFloat24() * scale }
  }

  static func bits(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

  /// Whether a build multiplies and adds with one rounding (FMA) in its polynomials.
  static func fused(_ v: GemmVariant) -> Bool { v != .portable }

  /// Largest |a − b| / (atol + rtol·|b|) over two arrays (≤ 1 means within tolerance).
  static func worst(_ a: [Float], _ b: [Float], atol: Double, rtol: Double) -> Double {
    zip(a, b).reduce(0) { w, p in
      max(w, abs(Double(p.0) - Double(p.1)) / (atol + rtol * abs(Double(p.1))))
    }
  }

  @Test func geluBuildsAgreeAndMatchTheFormula() {
    let n = 1000  // not a multiple of 16: exercises the scalar tail
    let x = Self.values(n, seed: 1, scale: 6)
    let g = Self.values(n, seed: 2, scale: 1)
    var fusedRef: ([UInt32], [UInt32])? = nil
    var portable: ([Float], [Float])? = nil
    var outputs: [(GemmVariant, [Float], [Float])] = []
    for variant in Matmul.availableVariants.reversed() {  // portable first
      var y = [Float](repeating: 0, count: n)
      var dx = [Float](repeating: 0, count: n)
      variant.kernels.geluForward(out: &y, input: x, lo: 0, hi: n)
      variant.kernels.geluBackward(dInput: &dx, input: x, output: y, dOut: g, lo: 0, hi: n)
      outputs.append((variant, y, dx))
      for i in 0..<n {
        let expected = 0.5 * x[i] * (1 + ReferenceMath.erf(x[i] * GELU.invSqrt2))
        if Self.fused(variant) {
          let e = abs(Double(y[i]) - Double(expected))
          #expect(e <= 2e-6 + 1e-6 * abs(Double(expected)), "\(variant) gelu(\(x[i]))")
        } else {
          #expect(y[i].bitPattern == expected.bitPattern, "gelu(\(x[i]))")
        }
      }
      if !Self.fused(variant) {
        // The backward of the baseline build: the formula with its operations, bit for bit.
        for i in 0..<n {
          let cdf = abs(x[i]) < 1e-3 ? 0.5 + GELU.invSqrt2Pi * x[i] : y[i] / x[i]
          let pdf = GELU.invSqrt2Pi * ReferenceMath.exp(-0.5 * x[i] * x[i])
          let expected = g[i] * (cdf + x[i] * pdf)
          #expect(dx[i].bitPattern == expected.bitPattern, "gelu'(\(x[i]))")
        }
        portable = (y, dx)
      } else if let (ry, rdx) = fusedRef {
        #expect(Self.bits(y) == ry, "GELU forward, \(variant) vs the other FMA build")
        #expect(Self.bits(dx) == rdx, "GELU backward, \(variant) vs the other FMA build")
      } else {
        fusedRef = (Self.bits(y), Self.bits(dx))
      }
    }
    // The backward of every build against the baseline's (exp's and erf's last bits differ).
    if let (_, pdx) = portable {
      for (variant, _, dx) in outputs where Self.fused(variant) {
        let w = Self.worst(dx, pdx, atol: 1e-5, rtol: 1e-5)
        #expect(w <= 1, "GELU backward, \(variant) vs portable: \(w)")
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
    var fusedRef: [UInt32] = []
    for variant in Matmul.availableVariants.reversed() {
      var P = S
      var lse = [Float](repeating: 0, count: T)
      variant.kernels.attentionSoftmax(P: &P, T: T, Tp: Tp, scale: scale, lse: &lse)
      var P2 = S
      var dS = dS0
      variant.kernels.attentionSoftmaxBackward(
        P: &P2, dS: &dS, T: T, Tp: Tp, scale: scale, lse: lse, dy: dy, y: y, ldy: hs, hs: hs)
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
      #expect(worst < 4e-6, "\(variant): softmax max relative error \(worst)")
      if Self.fused(variant) {
        let all = Self.bits(P) + Self.bits(lse) + Self.bits(P2) + Self.bits(dS)
        if fusedRef.isEmpty {
          fusedRef = all
        } else {
          #expect(all == fusedRef, "softmax, \(variant) vs the other FMA build")
        }
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
    var refCE: [Float] = []
    var fusedCE: [UInt32] = []
    for variant in Matmul.availableVariants.reversed() {
      var out = [Float](repeating: 0, count: rows * C)
      var mean = [Float](repeating: 0, count: rows)
      var rstd = [Float](repeating: 0, count: rows)
      variant.kernels.layerNormForward(
        out: &out, mean: &mean, rstd: &rstd, input: x, weight: w, bias: b, C: C, eps: 1e-5,
        lo: 0, hi: rows)
      var dx = [Float](repeating: 0, count: rows * C)
      var pw = [Float](repeating: 0, count: 2 * C)
      pw.withUnsafeMutableBufferPointer { pwb in
        let base = pwb.baseAddress!
        variant.kernels.layerNormBackward(
          dInput: &dx, pw: base, pb: base + C, dOut: g, input: x, weight: w, mean: mean,
          rstd: rstd, C: C, r0: 0, r1: rows)
      }
      var logits = logits0
      var losses = [Float](repeating: 0, count: rows)
      variant.kernels.crossEntropyForward(
        losses: &losses, logits: &logits, targets: targets, V: V, lo: 0, hi: rows)
      variant.kernels.crossEntropyBackward(
        dLogits: &logits, targets: targets, dLoss: 0.125, V: V, lo: 0, hi: rows)
      var p = p0, m = g.map { $0 * 0.1 }, v = g.map { $0 * $0 * 0.01 }
      variant.kernels.adamwUpdate(
        p: &p, g: g, m: &m, v: &v, n: p.count, scale: 0.9, b1: 0.9, b2: 0.95, decay: 0.9999,
        stepSize: 1e-3, invSqrtBC2: 1.2, eps: 1e-8)
      let ss = variant.kernels.sumOfSquares(g, g.count)
      var colSum = [Float](repeating: 0, count: C)
      variant.kernels.columnSumRows(&colSum, x, cols: C, r0: 0, r1: rows)
      // No polynomial in these: identical in every build.
      let exact = Self.bits(out + mean + rstd + dx + pw + p + m + v + [ss] + colSum)
      #expect(losses.allSatisfy { $0.isFinite && $0 > 0 })
      if ref.isEmpty {
        ref = exact
        refCE = logits + losses
      } else {
        #expect(exact == ref, "row kernels, \(variant) vs portable")
        // Cross-entropy goes through exp: bit-identical among FMA builds, close to baseline.
        let w = Self.worst(logits + losses, refCE, atol: 1e-6, rtol: 1e-5)
        #expect(w <= 1, "cross-entropy, \(variant) vs portable: \(w)")
        if Self.fused(variant) {
          if fusedCE.isEmpty {
            fusedCE = Self.bits(logits + losses)
          } else {
            #expect(Self.bits(logits + losses) == fusedCE, "cross-entropy, FMA builds differ")
          }
        }
      }
    }
  }

  @Test func referenceExpAndErfAreAccurate() {
    var maxExp = 0.0, maxErf = 0.0
    for i in 0..<4000 {
      let x = Double(Float(-80 + Double(i) * 0.0425))  // −80 … 90, exactly representable
      let v = ReferenceMath.exp(Float(x))
      if x < 88 { maxExp = max(maxExp, abs(Double(v) - exp(x)) / exp(x)) }
      let y = -6 + Double(i) * 0.003
      let e = ReferenceMath.erf(Float(y))
      maxErf = max(maxErf, abs(Double(e) - erf(Double(Float(y)))))
    }
    #expect(maxExp < 1e-6, "exp max relative error \(maxExp)")
    #expect(maxErf < 1e-6, "erf max absolute error \(maxErf)")
  }
}

/// The kernels' exp and erf as documented in Sources/KernelsShared/NNKernels.swift, written out
/// with a separate multiply and add per step (the baseline build's operations), for the checks
/// above. exp: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 Taylor polynomial
/// and 2^n built in the exponent bits. erf: the float32 rational approximation x·P(x²)/Q(x²) on
/// [−4, 4] of Eigen and XLA (erf(±4) rounds to ±1 in float32, so clamping loses nothing).
enum ReferenceMath {
  static func exp(_ xIn: Float) -> Float {
    let x = min(max(xIn, -87), 88)
    // n = round(x / ln2) by the 1.5·2^23 trick.
    let t = x * 1.442_695_04 + 12_582_912.0
    let n = t - 12_582_912.0
    var r = x - n * 0.693_145_751_953_125
    r = r - n * 1.428_606_765_330_187e-06
    var p: Float = 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    // 2^n as float bits: n sits in the low mantissa bits of t; shift it into the exponent.
    let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
    return p * Float(bitPattern: bits)
  }

  static func erf(_ xIn: Float) -> Float {
    let x = min(max(xIn, -4), 4)
    let x2 = x * x
    var p: Float = -2.726_142_258_013_06e-10
    p = p * x2 + 2.770_681_424_959_02e-08
    p = p * x2 + -2.101_024_020_825_08e-06
    p = p * x2 + -5.692_506_394_623_46e-05
    p = p * x2 + -7.349_906_303_268_55e-04
    p = p * x2 + -2.954_599_808_540_25e-03
    p = p * x2 + -1.609_603_332_624_15e-02
    var q: Float = -1.456_607_184_649_96e-05
    q = q * x2 + -2.133_740_552_789_05e-04
    q = q * x2 + -1.682_826_974_382_03e-03
    q = q * x2 + -7.373_329_167_204_68e-03
    q = q * x2 + -1.426_473_905_141_89e-02
    return x * p / q
  }
}
