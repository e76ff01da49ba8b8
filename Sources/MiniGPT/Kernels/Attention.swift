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
    threads * ((2 * hs + 3) * T + 16)
  }

  static func forward(
    out: UnsafeMutablePointer<Float>, lse: UnsafeMutablePointer<Float>,
    qkv: UnsafePointer<Float>, B: Int, T: Int, C: Int, NH: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let hs = C / NH
    let C3 = 3 * C
    let scale = 1 / Float(hs).squareRoot()
    let perWorker = (2 * hs + 3) * T + 16
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let Kt = scratch + worker * perWorker  // (hs, T): keys transposed
      let s = Kt + 2 * hs * T  // (T): one row of scores, then probabilities
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
          for j in 0..<n { s[j] = 0 }
          for d in 0..<hs {
            let qd = q[d] * scale
            let kt = Kt + d * T
            for j in 0..<n { s[j] += qd * kt[j] }
          }
          var m = -Float.infinity
          for j in 0..<n { m = max(m, s[j]) }
          var j = 0
          while j < n {
            let w = min(16, n - j)
            VectorMath.store(VectorMath.exp(VectorMath.load(s + j, w) - m), s + j, w)
            j += 16
          }
          var sum: Float = 0
          for j in 0..<n { sum += s[j] }
          let inv = 1 / sum
          let y = out + (b * T + t) * C + h * hs
          for d in 0..<hs { y[d] = 0 }
          for j in 0..<n {
            let pj = s[j] * inv
            let v = base + j * C3 + 2 * C
            for d in 0..<hs { y[d] += pj * v[d] }
          }
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
    let perWorker = (2 * hs + 3) * T + 16
    Parallel.forEach(B * NH, threads: threads) { pairs, worker in
      let Kt = scratch + worker * perWorker  // (hs, T)
      let Vt = Kt + hs * T  // (hs, T)
      let p = Vt + hs * T  // (T) probabilities
      let ds = p + T  // (T) dy·v, then score gradients
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
          let dk = dbase + t * C3 + C
          let dv = dbase + t * C3 + 2 * C
          for d in 0..<hs {
            dk[d] = 0
            dv[d] = 0
          }
        }
        for t in 0..<T {
          let n = t + 1
          let q = base + t * C3
          let dy = dOut + (b * T + t) * C + h * hs
          let y = out + (b * T + t) * C + h * hs
          for j in 0..<n {
            p[j] = 0
            ds[j] = 0
          }
          for d in 0..<hs {
            let qd = q[d] * scale
            let dyd = dy[d]
            let kt = Kt + d * T
            let vt = Vt + d * T
            for j in 0..<n {
              p[j] += qd * kt[j]
              ds[j] += dyd * vt[j]
            }
          }
          let l = lse[(b * NH + h) * T + t]
          var j = 0
          while j < n {
            let w = min(16, n - j)
            VectorMath.store(VectorMath.exp(VectorMath.load(p + j, w) - l), p + j, w)
            j += 16
          }
          var D: Float = 0
          for d in 0..<hs { D += dy[d] * y[d] }
          for j in 0..<n { ds[j] = p[j] * (ds[j] - D) * scale }
          let dq = dbase + t * C3
          for d in 0..<hs { dq[d] = 0 }
          for j in 0..<n {
            let k = base + j * C3 + C
            let dk = dbase + j * C3 + C
            let dv = dbase + j * C3 + 2 * C
            let g = ds[j]
            let pj = p[j]
            for d in 0..<hs {
              dq[d] += g * k[d]
              dk[d] += g * q[d]
              dv[d] += pj * dy[d]
            }
          }
        }
      }
    }
  }
}
