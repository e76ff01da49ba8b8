// Causal multi-head self-attention on a fused qkv tensor (Vaswani et al. 2017, §3.2.1–3.2.2).
// Legend: B = batch, T = time, C = channels, NH = heads, hs = C/NH. qkv is (B, T, 3C) with q, k, v
// at channel offsets 0, C, 2C and head h at h·hs; out is (B, T, C).
// Per (b, h) pair, the products go through the SIMD GEMM, reading q, k, v in place and writing
// y (and in backward dq, dk, dv) in place: S = Q·Kᵀ, Y = P·V. They run in causal row bands of
// `band` queries: band [r0, r1) only needs keys 0..<r1, and keys [r0, r1) only queries r0..<T,
// which skips about a third of the T×T work at T = 128 (the masked upper triangle of P is zero,
// so the skipped products are exact zeros). The causal softmax is one sweep per row (max, then
// exponentials summed in 16 lanes, then normalise). Only each row's log-sum-exp is saved
// (B, NH, T), not the T×T probabilities (FlashAttention's trick, Dao et al. 2022, §3.1). Backward
// recomputes P = e^(S/√hs − lse) and uses D = dy·y (their Appendix B.2):
// dS = P ⊙ (dY·Vᵀ − D)/√hs, dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dY.
// Work is split over (b, h) pairs, each computed whole by one worker with 1-thread GEMMs, so the
// result does not depend on the thread count.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

enum Attention {
  /// Row stride of the T×T tiles: T rounded up to 16 floats (64 bytes).
  static func paddedT(_ T: Int) -> Int { (T + 15) / 16 * 16 }

  static func perWorker(T: Int, hs: Int) -> Int {
    let Tp = paddedT(T)
    return 2 * T * Tp + hs * Tp + 16
  }

  /// Floats of per-worker scratch for `threads` workers.
  static func scratchCount(T: Int, hs: Int, threads: Int) -> Int {
    threads * perWorker(T: T, hs: hs)
  }

  /// Queries per causal band (a multiple of the 6-row GEMM tile and of 16 floats).
  static let band = 64

  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, B: Int, T: Int, C: Int, NH: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let hs = C / NH
    let C3 = 3 * C
    let scale = 1 / Float(hs).squareRoot()
    let Tp = paddedT(T)
    let perPair = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let P = scratch + worker * perPair  // (T, Tp): scores, then probabilities
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let q = qkv + b * T * C3 + h * hs
        let y = out + b * T * C + h * hs
        // S[r0..<r1, 0..<r1] = Q·Kᵀ per band; the softmax reads no further than column r1
        // rounded up to 16 (masked), and zeroes the rest of each padded row.
        for r0 in stride(from: 0, to: T, by: band) {
          let r1 = min(T, r0 + band)
          gemm(
            transA: false, transB: true, M: r1 - r0, N: r1, K: hs, A: q + r0 * C3, lda: C3,
            B: q + C, ldb: C3, C: P + r0 * Tp, ldc: Tp, accumulate: false, threads: 1)
        }
        NN.attentionSoftmax(P: P, T: T, Tp: Tp, scale: scale, lse: lse + (b * NH + h) * T)
        // Y[r0..<r1] = P[r0..<r1, 0..<r1]·V[0..<r1], straight into `out`.
        for r0 in stride(from: 0, to: T, by: band) {
          let r1 = min(T, r0 + band)
          gemm(
            transA: false, transB: false, M: r1 - r0, N: hs, K: r1, A: P + r0 * Tp, lda: Tp,
            B: q + 2 * C, ldb: C3, C: y + r0 * C, ldc: C, accumulate: false, threads: 1)
        }
      }
    }
  }

  /// Overwrites dqkv (B, T, 3C) with the gradient of the loss with respect to qkv.
  @inline(never)
  static func backward(
    dqkv: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
    out: UnsafePointer<Float>, lse: UnsafePointer<Float>, B: Int, T: Int, C: Int, NH: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let hs = C / NH
    let C3 = 3 * C
    let scale = 1 / Float(hs).squareRoot()
    let Tp = paddedT(T)
    let perPair = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let P = scratch + worker * perPair  // (T, Tp) probabilities
      let dS = P + T * Tp  // (T, Tp) dY·Vᵀ, then score gradients
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let q = qkv + b * T * C3 + h * hs
        let k = q + C
        let v = q + 2 * C
        let dy = dOut + b * T * C + h * hs
        let y = out + b * T * C + h * hs
        let dq = dqkv + b * T * C3 + h * hs
        for r0 in stride(from: 0, to: T, by: band) {
          let r1 = min(T, r0 + band)
          gemm(
            transA: false, transB: true, M: r1 - r0, N: r1, K: hs, A: q + r0 * C3, lda: C3,
            B: k, ldb: C3, C: P + r0 * Tp, ldc: Tp, accumulate: false, threads: 1)
          gemm(
            transA: false, transB: true, M: r1 - r0, N: r1, K: hs, A: dy + r0 * C, lda: C,
            B: v, ldb: C3, C: dS + r0 * Tp, ldc: Tp, accumulate: false, threads: 1)
        }
        NN.attentionSoftmaxBackward(
          P: P, dS: dS, T: T, Tp: Tp, scale: scale, lse: lse + (b * NH + h) * T, dy: dy, y: y,
          ldy: C, hs: hs)
        for r0 in stride(from: 0, to: T, by: band) {
          let r1 = min(T, r0 + band)
          // dQ[r0..<r1] = dS[r0..<r1, 0..<r1]·K[0..<r1]
          gemm(
            transA: false, transB: false, M: r1 - r0, N: hs, K: r1, A: dS + r0 * Tp, lda: Tp,
            B: k, ldb: C3, C: dq + r0 * C3, ldc: C3, accumulate: false, threads: 1)
          // dK[r0..<r1] = dS[r0..<T, r0..<r1]ᵀ·Q[r0..<T]
          gemm(
            transA: true, transB: false, M: r1 - r0, N: hs, K: T - r0, A: dS + r0 * Tp + r0,
            lda: Tp, B: q + r0 * C3, ldb: C3, C: dq + C + r0 * C3, ldc: C3, accumulate: false,
            threads: 1)
          // dV[r0..<r1] = P[r0..<T, r0..<r1]ᵀ·dY[r0..<T]
          gemm(
            transA: true, transB: false, M: r1 - r0, N: hs, K: T - r0, A: P + r0 * Tp + r0,
            lda: Tp, B: dy + r0 * C, ldb: C, C: dq + 2 * C + r0 * C3, ldc: C3,
            accumulate: false, threads: 1)
        }
      }
    }
  }
}
