// The non-GEMM inner loops of MiniGPT (LayerNorm, attention softmax, GELU, softmax-cross-entropy,
// AdamW, column sums), single-threaded over a range of rows or elements. Like every file of
// Sources/KernelsShared, this one is compiled into KernelsPortable (baseline x86-64),
// KernelsAVX2 (x86-64-v3) and KernelsAVX512 (x86-64-v4), and MiniGPT calls the build the CPU can
// run (`Matmul.variant`), so the wide builds never run on a CPU without those instructions.
// MiniGPT owns the threading; these functions never start threads.
//
// Bit-identical across the FMA builds (AVX2 and AVX-512): Swift never contracts a·b + c on its
// own and never reassociates float sums, so each element is computed by the same IEEE operations
// in both; the exp and erf polynomials use `madd`, a fused multiply-add where the target's
// ISA.swift says `fusedMultiplyAdd` and a multiply then an add in the baseline build, whose
// results therefore differ from the FMA builds' in the last bits (as its GEMM's do, for the same
// reason). Element-wise work runs on SIMD16 vectors (one zmm register on AVX-512, two ymm on
// AVX2, four xmm on baseline: the same per-lane arithmetic); every reduction (row sums, dot
// products) runs in 16 lanes combined in one fixed tree order (`sum16`), then the tail in order,
// in every build.
// exp: Cody–Waite range reduction x = n·ln2 + r, a degree-6 Taylor polynomial and 2^n built in the
// exponent bits (relative error < 1e-6 on [−87, 88]); erf: the float32 rational approximation
// x·P(x²)/Q(x²) on [−4, 4] used by Eigen and XLA (absolute error < 1e-6). MiniGPT's
// NNKernelTests check both bounds on every build.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

typealias F16 = SIMD16<Float>

/// a·b + c: fused (one rounding) where the build has FMA, else a multiply then an add.
@_transparent
func madd(_ a: F16, _ b: F16, _ c: F16) -> F16 {
  ISA.fusedMultiplyAdd ? c.addingProduct(a, b) : a * b + c
}

/// a·b + c: fused (one rounding) where the build has FMA, else a multiply then an add.
@_transparent
func madd(_ a: Float, _ b: Float, _ c: Float) -> Float {
  ISA.fusedMultiplyAdd ? c.addingProduct(a, b) : a * b + c
}

@_transparent
func expScalar(_ xIn: Float) -> Float {
  let x = Swift.min(Swift.max(xIn, -87), 88)
  let t = madd(x, 1.442_695_04, 12_582_912.0)
  let n = t - 12_582_912.0
  var r = madd(n, -0.693_145_751_953_125, x)
  r = madd(n, -1.428_606_765_330_187e-06, r)
  var p: Float = 1.0 / 720.0
  p = madd(p, r, 1.0 / 120.0)
  p = madd(p, r, 1.0 / 24.0)
  p = madd(p, r, 1.0 / 6.0)
  p = madd(p, r, 0.5)
  p = madd(p, r, 1.0)
  p = madd(p, r, 1.0)
  let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
  return p * Float(bitPattern: bits)
}

@_transparent
func erfScalar(_ xIn: Float) -> Float {
  let x = Swift.min(Swift.max(xIn, -4), 4)
  let x2 = x * x
  var p: Float = -2.726_142_258_013_06e-10
  p = madd(p, x2, 2.770_681_424_959_02e-08)
  p = madd(p, x2, -2.101_024_020_825_08e-06)
  p = madd(p, x2, -5.692_506_394_623_46e-05)
  p = madd(p, x2, -7.349_906_303_268_55e-04)
  p = madd(p, x2, -2.954_599_808_540_25e-03)
  p = madd(p, x2, -1.609_603_332_624_15e-02)
  var q: Float = -1.456_607_184_649_96e-05
  q = madd(q, x2, -2.133_740_552_789_05e-04)
  q = madd(q, x2, -1.682_826_974_382_03e-03)
  q = madd(q, x2, -7.373_329_167_204_68e-03)
  q = madd(q, x2, -1.426_473_905_141_89e-02)
  return x * p / q
}

@_transparent
func clamp16(_ x: F16, _ lo: Float, _ hi: Float) -> F16 {
  var y = x.replacing(with: F16(repeating: lo), where: x .< F16(repeating: lo))
  y.replace(with: F16(repeating: hi), where: y .> F16(repeating: hi))
  return y
}

/// Sixteen-lane exp, lane by lane the same operations as `expScalar`. (`@_transparent`, as every
/// helper here: `@inline(__always)` was not always honoured, and a call passes vectors through
/// memory.)
@_transparent
func exp16(_ xIn: F16) -> F16 {
  typealias V = F16
  let x = clamp16(xIn, -87, 88)
  let t = madd(x, V(repeating: 1.442_695_04), V(repeating: 12_582_912.0))
  let n = t - V(repeating: 12_582_912.0)
  var r = madd(n, V(repeating: -0.693_145_751_953_125), x)
  r = madd(n, V(repeating: -1.428_606_765_330_187e-06), r)
  var p = V(repeating: 1.0 / 720.0)
  p = madd(p, r, V(repeating: 1.0 / 120.0))
  p = madd(p, r, V(repeating: 1.0 / 24.0))
  p = madd(p, r, V(repeating: 1.0 / 6.0))
  p = madd(p, r, V(repeating: 0.5))
  p = madd(p, r, V(repeating: 1.0))
  p = madd(p, r, V(repeating: 1.0))
  let ti = unsafeBitCast(t, to: SIMD16<Int32>.self)
  let bits = (ti &- 0x4B40_0000 &+ 127) &<< 23
  return p * unsafeBitCast(bits, to: F16.self)
}

/// Sixteen-lane erf, lane by lane the same operations as `erfScalar`.
@_transparent
func erf16(_ xIn: F16) -> F16 {
  typealias V = F16
  let x = clamp16(xIn, -4, 4)
  let x2 = x * x
  var p = V(repeating: -2.726_142_258_013_06e-10)
  p = madd(p, x2, V(repeating: 2.770_681_424_959_02e-08))
  p = madd(p, x2, V(repeating: -2.101_024_020_825_08e-06))
  p = madd(p, x2, V(repeating: -5.692_506_394_623_46e-05))
  p = madd(p, x2, V(repeating: -7.349_906_303_268_55e-04))
  p = madd(p, x2, V(repeating: -2.954_599_808_540_25e-03))
  p = madd(p, x2, V(repeating: -1.609_603_332_624_15e-02))
  var q = V(repeating: -1.456_607_184_649_96e-05)
  q = madd(q, x2, V(repeating: -2.133_740_552_789_05e-04))
  q = madd(q, x2, V(repeating: -1.682_826_974_382_03e-03))
  q = madd(q, x2, V(repeating: -7.373_329_167_204_68e-03))
  q = madd(q, x2, V(repeating: -1.426_473_905_141_89e-02))
  return x * p / q
}

@_transparent
func load16(_ p: UnsafePointer<Float>, _ i: Int) -> F16 {
  UnsafeRawPointer(p + i).loadUnaligned(as: F16.self)
}

@_transparent
func store16(_ v: F16, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
  UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: F16.self)
}

/// max x[i] (exact, so the lane count does not matter).
@_transparent
func maximum16(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
  var acc = F16(repeating: -.infinity)
  var i = 0
  while i + 16 <= n {
    let v = load16(x, i)
    acc.replace(with: v, where: v .> acc)
    i += 16
  }
  var m = max16(acc)
  while i < n {
    m = Swift.max(m, x[i])
    i += 1
  }
  return m
}

/// The largest of a vector's 16 lanes (exact, so the order does not matter), by halving with
/// vector compares (the generic `max()` became a scalar loop with NaN branches). No lane is NaN.
@_transparent
func max16(_ v: F16) -> Float {
  let a = v.lowHalf, b = v.highHalf
  let h8 = a.replacing(with: b, where: b .> a)
  let c = h8.lowHalf, d = h8.highHalf
  let h4 = c.replacing(with: d, where: d .> c)
  let x = h4[0] > h4[2] ? h4[0] : h4[2]
  let y = h4[1] > h4[3] ? h4[1] : h4[3]
  return x > y ? x : y
}

/// The sum of a vector's 16 lanes in a fixed tree order (halves, then halves again), the same
/// in every build.
@_transparent
func sum16(_ v: F16) -> Float {
  let h8 = v.lowHalf + v.highHalf
  let h4 = h8.lowHalf + h8.highHalf
  return (h4[0] + h4[2]) + (h4[1] + h4[3])
}

/// x[i] = exp(x[i] − shift) for i in 0..<n; returns their sum (16 lanes reduced by `sum16`,
/// then the tail in order).
@_transparent
func expShiftedSum(_ x: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
  var i = 0
  let sh = F16(repeating: shift)
  var acc = F16(repeating: 0)
  while i + 16 <= n {
    let e = exp16(load16(x, i) - sh)
    store16(e, x, i)
    acc += e
    i += 16
  }
  var s = sum16(acc)
  while i < n {
    x[i] = expScalar(x[i] - shift)
    s += x[i]
    i += 1
  }
  return s
}

/// Σ x[i] (16 lanes reduced by `sum16`, then the tail in order).
@_transparent
func sumWide(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
  var acc = F16(repeating: 0)
  var i = 0
  while i + 16 <= n {
    acc += load16(x, i)
    i += 16
  }
  var s = sum16(acc)
  while i < n {
    s += x[i]
    i += 1
  }
  return s
}

/// Σ x[i]·y[i] (16 lanes reduced by `sum16`, then the tail in order).
@_transparent
func dotWide(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
  var acc = F16(repeating: 0)
  var i = 0
  while i + 16 <= n {
    acc += load16(x, i) * load16(y, i)
    i += 16
  }
  var s = sum16(acc)
  while i < n {
    s += x[i] * y[i]
    i += 1
  }
  return s
}

/// x[0..<n] *= a.
@_transparent
func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, _ a: Float) {
  var i = 0
  let av = F16(repeating: a)
  while i + 16 <= n {
    store16(load16(x, i) * av, x, i)
    i += 16
  }
  while i < n {
    x[i] *= a
    i += 1
  }
}

/// 1/√2 and 1/√(2π), for GELU.
let invSqrt2: Float = 0.707_106_781_186_547_5
let invSqrt2Pi: Float = 0.398_942_280_401_432_7

extension Kernels {
  // MARK: - GELU (exact, x·Φ(x)); see MiniGPT's GELU.swift for the formulas.

  /// out[i] = gelu(input[i]) for i in lo..<hi.
  public static func geluForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, lo: Int, hi: Int
  ) {
    var i = lo
    while i + 16 <= hi {
      let x = load16(input, i)
      store16(0.5 * x * (1 + erf16(x * invSqrt2)), out, i)
      i += 16
    }
    while i < hi {
      let x = input[i]
      out[i] = 0.5 * x * (1 + erfScalar(x * invSqrt2))
      i += 1
    }
  }

  /// dInput[i] = dOut[i]·gelu'(input[i]) for i in lo..<hi, with Φ recovered as output/input.
  public static func geluBackward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    output: UnsafePointer<Float>, dOut: UnsafePointer<Float>, lo: Int, hi: Int
  ) {
    var i = lo
    while i + 16 <= hi {
      let x = load16(input, i)
      let y = load16(output, i)
      let g = load16(dOut, i)
      let tiny = (x .< F16(repeating: 1e-3)) .& (x .> F16(repeating: -1e-3))
      let safeX = x.replacing(with: F16(repeating: 1), where: tiny)
      let cdf = (y / safeX).replacing(with: 0.5 + invSqrt2Pi * x, where: tiny)
      let pdf = invSqrt2Pi * exp16(-0.5 * x * x)
      store16(g * (cdf + x * pdf), dInput, i)
      i += 16
    }
    while i < hi {
      let x = input[i]
      let cdf = abs(x) < 1e-3 ? 0.5 + invSqrt2Pi * x : output[i] / x
      let pdf = invSqrt2Pi * expScalar(-0.5 * x * x)
      dInput[i] = dOut[i] * (cdf + x * pdf)
      i += 1
    }
  }

  // MARK: - Attention softmax (one (b, h) tile of T rows, row stride Tp)

  /// Causal softmax of S·scale in place (row t keeps columns 0...t, the rest of the padded row set
  /// to 0); writes each row's log-sum-exp to lse[t]. Rows are handled in whole 16-float vectors up
  /// to the padded stride Tp (a multiple of 16), lanes past the diagonal masked off, so short rows
  /// need no scalar tail. Columns past the diagonal are never used, so they may hold anything
  /// (the attention GEMMs leave them unwritten). Three sweeps, each over all rows (so consecutive
  /// rows' short dependency chains overlap in the core instead of running one after another): the
  /// row maxima; the exponentials (stored, and summed in 16 lanes, reduced by `sum16`); the
  /// normalisation. The logarithms are taken last (a libm call inside a sweep would spill every
  /// vector constant, once per row).
  public static func attentionSoftmax(
    P: UnsafeMutablePointer<Float>, T: Int, Tp: Int, scale s: Float,
    lse: UnsafeMutablePointer<Float>
  ) {
    precondition(Tp % 16 == 0 && Tp >= T)
    let sv = F16(repeating: s)
    let lane = F16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let zero = F16(repeating: 0)
    // lse[t] holds the row maximum until the last sweep; `sums` the row sums.
    for t in 0..<T {
      let row = P + t * Tp
      let n = t + 1
      let full = n / 16 * 16
      var mx = F16(repeating: -.infinity)
      var j = 0
      while j < full {
        let x = load16(row, j) * sv
        mx.replace(with: x, where: x .> mx)
        j += 16
      }
      if full < n {
        let keep = lane .< F16(repeating: Float(n - full))
        let x = (load16(row, full) * sv).replacing(with: -.infinity, where: .!keep)
        mx.replace(with: x, where: x .> mx)
      }
      lse[t] = max16(mx)
    }
    withUnsafeTemporaryAllocation(of: Float.self, capacity: T) { sums in
      for t in 0..<T {
        let row = P + t * Tp
        let n = t + 1
        let nv = (n + 15) / 16 * 16
        let mv = F16(repeating: lse[t])
        var acc = zero
        var j = 0
        while j < nv {
          let drop = .!(lane .< F16(repeating: Float(n - j)))
          let e = exp16(load16(row, j) * sv - mv).replacing(with: zero, where: drop)
          store16(e, row, j)
          acc += e
          j += 16
        }
        sums[t] = sum16(acc)
      }
      for t in 0..<T {
        let row = P + t * Tp
        let nv = (t + 16) / 16 * 16
        let inv = F16(repeating: 1 / sums[t])
        var j = 0
        while j < nv {
          store16(load16(row, j) * inv, row, j)
          j += 16
        }
        while j < Tp {
          store16(zero, row, j)
          j += 16
        }
      }
      for t in 0..<T { lse[t] = lse[t] + log(sums[t]) }
    }
  }

  /// Backward of the causal softmax for one tile: P ← e^(S·scale − lse) (recomputed from the scores
  /// in P), dS ← P ⊙ (dS − D)·scale with D_t = dy_t·y_t (hs floats, row stride ldy); zero above the
  /// diagonal (whole padded rows, as in `attentionSoftmax`).
  public static func attentionSoftmaxBackward(
    P: UnsafeMutablePointer<Float>, dS: UnsafeMutablePointer<Float>, T: Int, Tp: Int,
    scale s: Float, lse: UnsafePointer<Float>, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
    ldy: Int, hs: Int
  ) {
    precondition(Tp % 16 == 0 && Tp >= T)
    let sv = F16(repeating: s)
    let lane = F16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    let zero = F16(repeating: 0)
    // The row dot products first, in a sweep of their own (independent short chains that overlap),
    // then one sweep over the tile.
    withUnsafeTemporaryAllocation(of: Float.self, capacity: T) { D in
      for t in 0..<T { D[t] = dotWide(hs, dy + t * ldy, y + t * ldy) }
      for t in 0..<T {
        let p = P + t * Tp
        let ds = dS + t * Tp
        let n = t + 1
        let nv = (n + 15) / 16 * 16
        let lv = F16(repeating: lse[t])
        let dv = F16(repeating: D[t])
        var j = 0
        while j < nv {
          let drop = .!(lane .< F16(repeating: Float(n - j)))
          let e = exp16(load16(p, j) * sv - lv).replacing(with: zero, where: drop)
          store16(e, p, j)
          store16((e * (load16(ds, j) - dv) * sv).replacing(with: zero, where: drop), ds, j)
          j += 16
        }
        while j < Tp {
          store16(zero, p, j)
          store16(zero, ds, j)
          j += 16
        }
      }
    }
  }

  // MARK: - LayerNorm (eps as MiniGPT's LayerNorm)

  /// Forward for rows lo..<hi: out = (x − mean)·rstd·w + b, saving mean and rstd per row.
  /// Row sums run in 16 lanes (`sumWide`); the variance is the mean of (x − mean)².
  public static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, C: Int, eps: Float, lo: Int, hi: Int
  ) {
    for r in lo..<hi {
      let x = input + r * C
      let m = sumWide(C, x) / Float(C)
      let mv = F16(repeating: m)
      var acc = F16(repeating: 0)
      var i = 0
      while i + 16 <= C {
        let d = load16(x, i) - mv
        acc += d * d
        i += 16
      }
      var v = sum16(acc)
      while i < C {
        v += (x[i] - m) * (x[i] - m)
        i += 1
      }
      let rs = 1 / (v / Float(C) + eps).squareRoot()
      let rv = F16(repeating: rs)
      let o = out + r * C
      i = 0
      while i + 16 <= C {
        store16((load16(x, i) - mv) * rv * load16(weight, i) + load16(bias, i), o, i)
        i += 16
      }
      while i < C {
        o[i] = (x[i] - m) * rs * weight[i] + bias[i]
        i += 1
      }
      mean[r] = m
      rstd[r] = rs
    }
  }

  /// Backward for rows r0..<r1: adds the input gradient into dInput and writes this chunk's partial
  /// dWeight (pw) and dBias (pb) sums, C floats each (summed over the chunk's rows in order).
  public static func layerNormBackward(
    dInput: UnsafeMutablePointer<Float>, pw: UnsafeMutablePointer<Float>,
    pb: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    C: Int, r0: Int, r1: Int
  ) {
    for i in 0..<C {
      pw[i] = 0
      pb[i] = 0
    }
    for r in r0..<r1 {
      let x = input + r * C
      let g = dOut + r * C
      let dx = dInput + r * C
      let m = mean[r]
      let rs = rstd[r]
      let mv = F16(repeating: m)
      let rv = F16(repeating: rs)
      // One sweep: the chunk sums, and Σ g·w and Σ g·w·n (n = (x − mean)·rstd) in 16 lanes.
      var a1 = F16(repeating: 0)
      var a2 = F16(repeating: 0)
      var i = 0
      while i + 16 <= C {
        let gv = load16(g, i)
        let n = (load16(x, i) - mv) * rv
        store16(load16(pw, i) + gv * n, pw, i)
        store16(load16(pb, i) + gv, pb, i)
        let gi = gv * load16(weight, i)
        a1 += gi
        a2 += gi * n
        i += 16
      }
      var gMean = sum16(a1)
      var gnMean = sum16(a2)
      while i < C {
        let n = (x[i] - m) * rs
        pw[i] += g[i] * n
        pb[i] += g[i]
        let gi = g[i] * weight[i]
        gMean += gi
        gnMean += gi * n
        i += 1
      }
      gMean /= Float(C)
      gnMean /= Float(C)
      let gm = F16(repeating: gMean)
      let gn = F16(repeating: gnMean)
      i = 0
      while i + 16 <= C {
        let n = (load16(x, i) - mv) * rv
        let d = (load16(g, i) * load16(weight, i) - gm - n * gn) * rv
        store16(load16(dx, i) + d, dx, i)
        i += 16
      }
      while i < C {
        let n = (x[i] - m) * rs
        dx[i] += (g[i] * weight[i] - gMean - n * gnMean) * rs
        i += 1
      }
    }
  }

  // MARK: - Softmax + cross-entropy

  /// Rows lo..<hi: losses[r] = −log softmax(logits[r])[targets[r]], logits → probabilities.
  public static func crossEntropyForward(
    losses: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>,
    targets: UnsafePointer<Int32>, V: Int, lo: Int, hi: Int
  ) {
    for r in lo..<hi {
      let z = logits + r * V
      let zt = z[Int(targets[r])]
      let m = maximum16(V, z)
      let s = expShiftedSum(z, V, shift: m)
      losses[r] = m + log(s) - zt
      scale(z, V, 1 / s)
    }
  }

  /// Rows lo..<hi in place: probs → (probs − onehot(target))·dLoss.
  public static func crossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, dLoss: Float, V: Int,
    lo: Int, hi: Int
  ) {
    for r in lo..<hi {
      let p = dLogits + r * V
      p[Int(targets[r])] -= 1
      scale(p, V, dLoss)
    }
  }

  // MARK: - Linear helpers

  /// p[j] = Σ_{r in r0..<r1} x[r·cols + j], summed in row order (r1 > r0).
  public static func columnSumRows(
    _ p: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, cols: Int, r0: Int, r1: Int
  ) {
    for j in 0..<cols { p[j] = x[r0 * cols + j] }
    for r in (r0 + 1)..<max(r0 + 1, r1) {
      let xr = x + r * cols
      for j in 0..<cols { p[j] += xr[j] }
    }
  }

  // MARK: - AdamW

  /// One AdamW update of n parameters (torch's operation order; see MiniGPT's AdamW.swift).
  public static func adamwUpdate(
    p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, n: Int, scale: Float, b1: Float, b2: Float, decay: Float,
    stepSize: Float, invSqrtBC2: Float, eps: Float
  ) {
    // Sixteen lanes at a time, each lane with exactly the scalar tail's operations.
    let sv = F16(repeating: scale), b1v = F16(repeating: b1), b2v = F16(repeating: b2)
    let c1 = F16(repeating: 1 - b1), c2 = F16(repeating: 1 - b2)
    let dv = F16(repeating: decay), lr = F16(repeating: stepSize)
    let bc = F16(repeating: invSqrtBC2), ev = F16(repeating: eps)
    var i = 0
    while i + 16 <= n {
      let gi = load16(g, i) * sv
      let mi = b1v * load16(m, i) + c1 * gi
      let vi = b2v * load16(v, i) + c2 * gi * gi
      store16(mi, m, i)
      store16(vi, v, i)
      store16(load16(p, i) * dv - lr * mi / (vi.squareRoot() * bc + ev), p, i)
      i += 16
    }
    while i < n {
      let gi = g[i] * scale
      let mi = b1 * m[i] + (1 - b1) * gi
      let vi = b2 * v[i] + (1 - b2) * gi * gi
      m[i] = mi
      v[i] = vi
      p[i] = p[i] * decay - stepSize * mi / (vi.squareRoot() * invSqrtBC2 + eps)
      i += 1
    }
  }

  /// Σ g[i]² over n floats in sixteen lanes, then the lanes, then the tail (the gradient-norm
  /// chunk order of MiniGPT's AdamW).
  public static func sumOfSquares(_ g: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F16(repeating: 0)
    var i = 0
    while i + 16 <= n {
      let x = load16(g, i)
      acc += x * x
      i += 16
    }
    var s = acc.sum()
    while i < n {
      s += g[i] * g[i]
      i += 1
    }
    return s
  }
}
