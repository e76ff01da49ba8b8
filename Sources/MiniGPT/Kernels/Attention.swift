// Causal multi-head self-attention on a fused qkv tensor (Vaswani et al. 2017, §3.2.1–3.2.2).
// Legend: B = batch, T = time, C = channels, NH = heads, hs = C/NH. qkv is (B, T, 3C) with q, k, v
// at channel offsets 0, C, 2C and head h at h·hs; out is (B, T, C).
// Forward, per query row: scores s = q·kᵀ/√hs over keys ≤ t, the max-shifted exponentials, their
// sum and the weighted sum of values in one sweep over an L1-resident row; only the row's
// log-sum-exp is saved (B, NH, T), not the T×T probabilities (FlashAttention's trick, Dao et al.
// 2022, §3.1). Backward recomputes p = e^(s − lse) and uses D = dy·y (their eq. in §B.2):
// ds = p ⊙ (dy·vᵀ − D), dq = ds·k/√hs, dk += dsᵀ·q/√hs, dv += pᵀ·dy.
// Work is split over (b, h) pairs; each pair's arithmetic is the same for any thread count.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

enum Attention {
  /// Floats of per-worker scratch for `threads` workers.
  static func scratchCount(T: Int, hs: Int, threads: Int) -> Int {
    threads * perWorker(T: T, hs: hs)
  }

  static func perWorker(T: Int, hs: Int) -> Int { (2 * hs + 3) * T + 3 * hs + 16 }

  static func forward(
    out: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, B: Int, T: Int, C: Int, NH: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let hs = C / NH
    let C3 = 3 * C
    let scale = 1 / Float(hs).squareRoot()
    let stride = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let Kt = scratch + worker * stride  // (hs, T): keys transposed
      let s = Kt + hs * T  // (T): one row of scores, then exponentials
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let base = qkv + b * T * C3 + h * hs
        for t in 0..<T {
          let k = base + t * C3 + C
          for d in 0..<hs { Kt[d * T + t] = k[d] }
        }
        for t in 0..<T {
          let n = t + 1
          let q = base + t * C3
          s.update(repeating: 0, count: n)
          for d in 0..<hs { VectorMath.axpy(n, q[d] * scale, Kt + d * T, s) }
          var m = -Float.infinity
          for j in 0..<n { m = max(m, s[j]) }
          let sum = VectorMath.expShiftedSum(s, n, shift: m)
          let inv = 1 / sum
          let y = out + (b * T + t) * C + h * hs
          y.update(repeating: 0, count: hs)
          for j in 0..<n { VectorMath.axpy(hs, s[j] * inv, base + j * C3 + 2 * C, y) }
          lse[(b * NH + h) * T + t] = m + log(sum)
        }
      }
    }
  }

  /// Overwrites dqkv (B, T, 3C) with the gradient of the loss with respect to qkv.
  static func backward(
    dqkv: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, qkv: UnsafePointer<Float>,
    out: UnsafePointer<Float>, lse: UnsafePointer<Float>, B: Int, T: Int, C: Int, NH: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let hs = C / NH
    let C3 = 3 * C
    let scale = 1 / Float(hs).squareRoot()
    let stride = perWorker(T: T, hs: hs)
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let Kt = scratch + worker * stride  // (hs, T)
      let Vt = Kt + hs * T  // (hs, T)
      let p = Vt + hs * T  // (T) probabilities
      let ds = p + T  // (T) dy·v, then score gradients
      let dq = ds + T  // (hs)
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let base = qkv + b * T * C3 + h * hs
        let dbase = dqkv + b * T * C3 + h * hs
        for t in 0..<T {
          let k = base + t * C3 + C
          let v = base + t * C3 + 2 * C
          for d in 0..<hs {
            Kt[d * T + t] = k[d]
            Vt[d * T + t] = v[d]
          }
          (dbase + t * C3 + C).update(repeating: 0, count: hs)
          (dbase + t * C3 + 2 * C).update(repeating: 0, count: hs)
        }
        for t in 0..<T {
          let n = t + 1
          let q = base + t * C3
          let dy = dOut + (b * T + t) * C + h * hs
          let y = out + (b * T + t) * C + h * hs
          p.update(repeating: 0, count: n)
          ds.update(repeating: 0, count: n)
          for d in 0..<hs {
            VectorMath.axpy(n, q[d] * scale, Kt + d * T, p)
            VectorMath.axpy(n, dy[d], Vt + d * T, ds)
          }
          let l = lse[(b * NH + h) * T + t]
          for j in 0..<n { p[j] = VectorMath.exp(p[j] - l) }
          let D = VectorMath.dot(hs, dy, y)
          for j in 0..<n { ds[j] = p[j] * (ds[j] - D) * scale }
          dq.update(repeating: 0, count: hs)
          for j in 0..<n {
            VectorMath.axpy(hs, ds[j], base + j * C3 + C, dq)
            VectorMath.axpy(hs, ds[j], q, dbase + j * C3 + C)
            VectorMath.axpy(hs, p[j], dy, dbase + j * C3 + 2 * C)
          }
          (dbase + t * C3).update(from: dq, count: hs)
        }
      }
    }
  }
}
