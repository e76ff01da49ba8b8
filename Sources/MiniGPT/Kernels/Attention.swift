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
  /// Row stride of the transposed key/value and probability tiles: T rounded up to 8, so the
  /// 8-wide score blocks never read past a tile.
  static func paddedT(_ T: Int) -> Int { (T + 7) / 8 * 8 }

  static func perWorker(T: Int, hs: Int) -> Int {
    let Tp = paddedT(T)
    return 2 * hs * Tp + 2 * T * Tp + 2 * Tp + hs + 16
  }

  /// Floats of per-worker scratch for `threads` workers.
  static func scratchCount(T: Int, hs: Int, threads: Int) -> Int {
    threads * perWorker(T: T, hs: hs)
  }

  /// s[j] = scale · Σ_d q[d]·Mt[d, j] for j < n (rounded up to 8; the extra lanes are junk).
  /// Mt is (hs, Tp). Accumulates 8 columns in registers over d.
  @inline(__always)
  static func rowTimesTile(
    _ n: Int, q: UnsafePointer<Float>, scale: Float, Mt: UnsafePointer<Float>, Tp: Int, hs: Int,
    out s: UnsafeMutablePointer<Float>
  ) {
    var jb = 0
    while jb < n {
      var a0 = F4(repeating: 0), a1 = F4(repeating: 0)
      var m = Mt + jb
      for d in 0..<hs {
        let qd = F4(repeating: q[d] * scale)
        a0 += qd * UnsafeRawPointer(m).loadUnaligned(as: F4.self)
        a1 += qd * UnsafeRawPointer(m + 4).loadUnaligned(as: F4.self)
        m += Tp
      }
      UnsafeMutableRawPointer(s + jb).storeBytes(of: a0, as: F4.self)
      UnsafeMutableRawPointer(s + jb + 4).storeBytes(of: a1, as: F4.self)
      jb += 8
    }
  }

  /// out[0..<hs] = Σ_{j<n} w[j·wStride]·rows[j·rowStride + 0..<hs], accumulated in registers
  /// 16 channels at a time (sums in j order, so the result is the same for any thread count).
  @inline(__always)
  static func weightedRows(
    _ n: Int, w: UnsafePointer<Float>, wStride: Int, rows: UnsafePointer<Float>, rowStride: Int,
    hs: Int, out: UnsafeMutablePointer<Float>
  ) {
    var c = 0
    while c + 16 <= hs {
      var a0 = F4(repeating: 0), a1 = F4(repeating: 0), a2 = F4(repeating: 0)
      var a3 = F4(repeating: 0)
      var r = rows + c
      var wp = w
      for _ in 0..<n {
        let x = F4(repeating: wp.pointee)
        let raw = UnsafeRawPointer(r)
        a0 += x * raw.loadUnaligned(as: F4.self)
        a1 += x * raw.loadUnaligned(fromByteOffset: 16, as: F4.self)
        a2 += x * raw.loadUnaligned(fromByteOffset: 32, as: F4.self)
        a3 += x * raw.loadUnaligned(fromByteOffset: 48, as: F4.self)
        r += rowStride
        wp += wStride
      }
      let o = UnsafeMutableRawPointer(out + c)
      o.storeBytes(of: a0, as: F4.self)
      o.storeBytes(of: a1, toByteOffset: 16, as: F4.self)
      o.storeBytes(of: a2, toByteOffset: 32, as: F4.self)
      o.storeBytes(of: a3, toByteOffset: 48, as: F4.self)
      c += 16
    }
    while c < hs {
      var a: Float = 0
      for j in 0..<n { a += w[j * wStride] * rows[j * rowStride + c] }
      out[c] = a
      c += 1
    }
  }

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
      let Kt = scratch + worker * stride  // (hs, Tp): keys transposed
      let s = Kt + hs * Tp  // (Tp): one row of scores, then exponentials
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let base = qkv + b * T * C3 + h * hs
        for t in 0..<T {
          let k = base + t * C3 + C
          for d in 0..<hs { Kt[d * Tp + t] = k[d] }
        }
        for d in 0..<hs { for t in T..<Tp { Kt[d * Tp + t] = 0 } }
        for t in 0..<T {
          let n = t + 1
          rowTimesTile(n, q: base + t * C3, scale: scale, Mt: Kt, Tp: Tp, hs: hs, out: s)
          var m = -Float.infinity
          for j in 0..<n { m = max(m, s[j]) }
          let sum = VectorMath.expShiftedSum(s, n, shift: m)
          let inv = 1 / sum
          for j in 0..<n { s[j] *= inv }
          weightedRows(
            n, w: s, wStride: 1, rows: base + 2 * C, rowStride: C3, hs: hs,
            out: out + (b * T + t) * C + h * hs)
          lse[(b * NH + h) * T + t] = m + log(sum)
        }
      }
    }
  }

  /// Overwrites dqkv (B, T, 3C) with the gradient of the loss with respect to qkv.
  /// Row pass: for each query t, p = e^(s − lse), ds = p ⊙ (dy·vᵀ − D)/√hs and dq; the rows of p
  /// and ds are kept (T, Tp). Column pass: dk_j = Σ_t ds[t, j]·q_t, dv_j = Σ_t p[t, j]·dy_t,
  /// accumulated in registers over t ≥ j and written once.
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
      let Kt = scratch + worker * stride  // (hs, Tp)
      let Vt = Kt + hs * Tp  // (hs, Tp)
      let P = Vt + hs * Tp  // (T, Tp) probabilities
      let DS = P + T * Tp  // (T, Tp) score gradients
      for pair in pairs {
        let b = pair / NH
        let h = pair % NH
        let base = qkv + b * T * C3 + h * hs
        let dbase = dqkv + b * T * C3 + h * hs
        let dyBase = dOut + b * T * C + h * hs
        for t in 0..<T {
          let k = base + t * C3 + C
          let v = base + t * C3 + 2 * C
          for d in 0..<hs {
            Kt[d * Tp + t] = k[d]
            Vt[d * Tp + t] = v[d]
          }
        }
        for d in 0..<hs {
          for t in T..<Tp {
            Kt[d * Tp + t] = 0
            Vt[d * Tp + t] = 0
          }
        }
        for t in 0..<T {
          let n = t + 1
          let p = P + t * Tp
          let ds = DS + t * Tp
          let dy = dyBase + t * C
          rowTimesTile(n, q: base + t * C3, scale: scale, Mt: Kt, Tp: Tp, hs: hs, out: p)
          rowTimesTile(n, q: dy, scale: 1, Mt: Vt, Tp: Tp, hs: hs, out: ds)
          let l = lse[(b * NH + h) * T + t]
          for j in 0..<n { p[j] = VectorMath.exp(p[j] - l) }
          let D = VectorMath.dot(hs, dy, out + (b * T + t) * C + h * hs)
          for j in 0..<n { ds[j] = p[j] * (ds[j] - D) * scale }
          weightedRows(
            n, w: ds, wStride: 1, rows: base + C, rowStride: C3, hs: hs, out: dbase + t * C3)
        }
        for j in 0..<T {
          let n = T - j
          weightedRows(
            n, w: DS + j * Tp + j, wStride: Tp, rows: base + j * C3, rowStride: C3, hs: hs,
            out: dbase + j * C3 + C)
          weightedRows(
            n, w: P + j * Tp + j, wStride: Tp, rows: dyBase + j * C, rowStride: C, hs: hs,
            out: dbase + j * C3 + 2 * C)
        }
      }
    }
  }
}
