// Causal multi-head self-attention on a fused qkv tensor (Vaswani et al. 2017, §3.2.1–3.2.2).
// Legend: B = batch, T = time, C = channels, NH = heads, hs = C/NH. qkv is (B, T, 3C) with q, k, v
// at channel offsets 0, C, 2C and head h at h·hs; out is (B, T, C).
// Per (b, h) pair, the products go through the SIMD GEMM (S = Q·Kᵀ, Yᵀ = Vᵀ·Pᵀ; the masked upper
// triangle of P is zero), and the causal softmax is one sweep per row (scale, max, exponentials,
// sum, normalise). Only each row's log-sum-exp is saved (B, NH, T), not the T×T probabilities
// (FlashAttention's trick, Dao et al. 2022, §3.1). Backward recomputes P = e^(S/√hs − lse) and
// uses D = dy·y (their Appendix B.2): dS = P ⊙ (dY·Vᵀ − D)/√hs, dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dY.
// Work is split over (b, h) pairs, each computed whole by one worker with a 1-thread GEMM, so the
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
    let stride = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let P = scratch + worker * stride  // (T, Tp): scores, then probabilities
      let Yt = P + 2 * T * Tp  // (hs, Tp): output transposed
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let q = qkv + b * T * C3 + h * hs
        gemm(
          transA: false, transB: true, M: T, N: T, K: hs, A: q, lda: C3, B: q + C, ldb: C3,
          C: P, ldc: Tp, accumulate: false, threads: 1)
        NN.attentionSoftmax(P: P, T: T, Tp: Tp, scale: scale, lse: lse + (b * NH + h) * T)
        // Yᵀ (hs, T) = Vᵀ (V stored T×hs) · Pᵀ (P stored T×T).
        gemm(
          transA: true, transB: true, M: hs, N: T, K: T, A: q + 2 * C, lda: C3, B: P, ldb: Tp,
          C: Yt, ldc: Tp, accumulate: false, threads: 1)
        NN.untranspose(Yt, Tp: Tp, T: T, hs: hs, into: out + b * T * C + h * hs, ldd: C)
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
    let stride = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let P = scratch + worker * stride  // (T, Tp) probabilities
      let dS = P + T * Tp  // (T, Tp) dY·Vᵀ, then score gradients
      let Gt = dS + T * Tp  // (hs, Tp) one transposed gradient at a time
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let q = qkv + b * T * C3 + h * hs
        let k = q + C
        let v = q + 2 * C
        let dy = dOut + b * T * C + h * hs
        let y = out + b * T * C + h * hs
        let dq = dqkv + b * T * C3 + h * hs
        gemm(
          transA: false, transB: true, M: T, N: T, K: hs, A: q, lda: C3, B: k, ldb: C3, C: P,
          ldc: Tp, accumulate: false, threads: 1)
        gemm(
          transA: false, transB: true, M: T, N: T, K: hs, A: dy, lda: C, B: v, ldb: C3, C: dS,
          ldc: Tp, accumulate: false, threads: 1)
        NN.attentionSoftmaxBackward(
          P: P, dS: dS, T: T, Tp: Tp, scale: scale, lse: lse + (b * NH + h) * T, dy: dy, y: y,
          ldy: C, hs: hs)
        // dQᵀ (hs, T) = Kᵀ · dSᵀ
        gemm(
          transA: true, transB: true, M: hs, N: T, K: T, A: k, lda: C3, B: dS, ldb: Tp, C: Gt,
          ldc: Tp, accumulate: false, threads: 1)
        NN.untranspose(Gt, Tp: Tp, T: T, hs: hs, into: dq, ldd: C3)
        // dKᵀ (hs, T) = Qᵀ · dS
        gemm(
          transA: true, transB: false, M: hs, N: T, K: T, A: q, lda: C3, B: dS, ldb: Tp, C: Gt,
          ldc: Tp, accumulate: false, threads: 1)
        NN.untranspose(Gt, Tp: Tp, T: T, hs: hs, into: dq + C, ldd: C3)
        // dVᵀ (hs, T) = dYᵀ · P
        gemm(
          transA: true, transB: false, M: hs, N: T, K: T, A: dy, lda: C, B: P, ldb: Tp, C: Gt,
          ldc: Tp, accumulate: false, threads: 1)
        NN.untranspose(Gt, Tp: Tp, T: T, hs: hs, into: dq + 2 * C, ldd: C3)
      }
    }
  }
}
