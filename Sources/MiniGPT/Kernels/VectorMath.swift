// Vectorisable exp and erf, and small SIMD4 helpers, for the non-GEMM kernels. MiniGPT is built
// for baseline x86-64 (SSE2: 4 floats per register, no FMA), so these are written as branch-free
// scalar code that LLVM's loop vectoriser turns into SSE, or as explicit SIMD4 operations.
// exp: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 Taylor polynomial and 2^n
// built in the exponent bits (relative error < 1e-6 on [−87, 88]).
// erf: the rational approximation x·P(x²)/Q(x²) on [−4, 4] used by Eigen and XLA for float32
// (absolute error < 1e-6; erf(±4) rounds to ±1 in float32, so clamping loses nothing).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

@usableFromInline typealias F4 = SIMD4<Float>

@usableFromInline
enum VectorMath {
  @inlinable @inline(__always)
  static func exp(_ xIn: Float) -> Float {
    let x = Swift.min(Swift.max(xIn, -87), 88)
    // n = round(x / ln2) by the 1.5·2^23 trick (round-to-nearest without SSE4.1 roundps).
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

  @inlinable @inline(__always)
  static func erf(_ xIn: Float) -> Float {
    let x = Swift.min(Swift.max(xIn, -4), 4)
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

  @inlinable @inline(__always)
  static func clamp(_ x: F4, _ lo: Float, _ hi: Float) -> F4 {
    var y = x.replacing(with: F4(repeating: lo), where: x .< F4(repeating: lo))
    y.replace(with: F4(repeating: hi), where: y .> F4(repeating: hi))
    return y
  }

  /// Four-lane exp, same arithmetic as the scalar one.
  @inlinable @inline(__always)
  static func exp(_ xIn: F4) -> F4 {
    let x = clamp(xIn, -87, 88)
    let t = x * 1.442_695_04 + F4(repeating: 12_582_912.0)
    let n = t - F4(repeating: 12_582_912.0)
    var r = x - n * 0.693_145_751_953_125
    r = r - n * 1.428_606_765_330_187e-06
    var p = F4(repeating: 1.0 / 720.0)
    p = p * r + F4(repeating: 1.0 / 120.0)
    p = p * r + F4(repeating: 1.0 / 24.0)
    p = p * r + F4(repeating: 1.0 / 6.0)
    p = p * r + F4(repeating: 0.5)
    p = p * r + F4(repeating: 1.0)
    p = p * r + F4(repeating: 1.0)
    let ti = unsafeBitCast(t, to: SIMD4<Int32>.self)
    let bits = (ti &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: F4.self)
  }

  /// Four-lane erf, same arithmetic as the scalar one.
  @inlinable @inline(__always)
  static func erf(_ xIn: F4) -> F4 {
    let x = clamp(xIn, -4, 4)
    let x2 = x * x
    var p = F4(repeating: -2.726_142_258_013_06e-10)
    p = p * x2 + F4(repeating: 2.770_681_424_959_02e-08)
    p = p * x2 + F4(repeating: -2.101_024_020_825_08e-06)
    p = p * x2 + F4(repeating: -5.692_506_394_623_46e-05)
    p = p * x2 + F4(repeating: -7.349_906_303_268_55e-04)
    p = p * x2 + F4(repeating: -2.954_599_808_540_25e-03)
    p = p * x2 + F4(repeating: -1.609_603_332_624_15e-02)
    var q = F4(repeating: -1.456_607_184_649_96e-05)
    q = q * x2 + F4(repeating: -2.133_740_552_789_05e-04)
    q = q * x2 + F4(repeating: -1.682_826_974_382_03e-03)
    q = q * x2 + F4(repeating: -7.373_329_167_204_68e-03)
    q = q * x2 + F4(repeating: -1.426_473_905_141_89e-02)
    return x * p / q
  }

  /// x[i] = exp(x[i] − shift) for i in 0..<n; returns Σ of the results, summed in index order.
  @inlinable @inline(__always)
  static func expShiftedSum(_ x: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
    var i = 0
    let sh = F4(repeating: shift)
    while i + 4 <= n {
      let v = UnsafeRawPointer(x + i).loadUnaligned(as: F4.self)
      UnsafeMutableRawPointer(x + i).storeBytes(of: exp(v - sh), as: F4.self)
      i += 4
    }
    while i < n {
      x[i] = exp(x[i] - shift)
      i += 1
    }
    return sum(n, x)
  }

  /// Loads four floats from `p + i`.
  @inlinable @inline(__always)
  static func load4(_ p: UnsafePointer<Float>, _ i: Int) -> F4 {
    UnsafeRawPointer(p + i).loadUnaligned(as: F4.self)
  }

  /// Σ x[i] in a fixed order (four lanes, then the lanes and the tail in order).
  @inlinable @inline(__always)
  static func sum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
    var acc = F4(repeating: 0)
    var i = 0
    while i + 4 <= n {
      acc += load4(x, i)
      i += 4
    }
    var s = (acc[0] + acc[1]) + (acc[2] + acc[3])
    while i < n {
      s += x[i]
      i += 1
    }
    return s
  }

  /// max x[i] (exact, so the order does not matter).
  @inlinable @inline(__always)
  static func maximum(_ n: Int, _ x: UnsafePointer<Float>) -> Float {
    var acc = F4(repeating: -.infinity)
    var i = 0
    while i + 4 <= n {
      let v = load4(x, i)
      acc.replace(with: v, where: v .> acc)
      i += 4
    }
    var m = Swift.max(Swift.max(acc[0], acc[1]), Swift.max(acc[2], acc[3]))
    while i < n {
      m = Swift.max(m, x[i])
      i += 1
    }
    return m
  }

  /// y[0..<n] += a · x[0..<n].
  @inlinable @inline(__always)
  static func axpy(
    _ n: Int, _ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>
  ) {
    var i = 0
    let av = F4(repeating: a)
    while i + 4 <= n {
      let xv = UnsafeRawPointer(x + i).loadUnaligned(as: F4.self)
      let yv = UnsafeRawPointer(y + i).loadUnaligned(as: F4.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: yv + av * xv, as: F4.self)
      i += 4
    }
    while i < n {
      y[i] += a * x[i]
      i += 1
    }
  }

  /// Σ x[i]·y[i] in a fixed order (four lanes, then the lanes and the tail in order).
  @inlinable @inline(__always)
  static func dot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
    var acc = F4(repeating: 0)
    var i = 0
    while i + 4 <= n {
      acc +=
        UnsafeRawPointer(x + i).loadUnaligned(as: F4.self)
        * UnsafeRawPointer(y + i).loadUnaligned(as: F4.self)
      i += 4
    }
    var s = (acc[0] + acc[1]) + (acc[2] + acc[3])
    while i < n {
      s += x[i] * y[i]
      i += 1
    }
    return s
  }
}
