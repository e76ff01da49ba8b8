// Vectorised exp and erf for the softmax, cross-entropy and GELU kernels (16 floats at a time).
// exp: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, then a degree-6 Taylor/minimax
// polynomial and 2^n built in the exponent bits (error ≈ 2 ulp on [-87, 88]).
// erf: the rational approximation x·P(x²)/Q(x²) on [-4, 4] used by Eigen and XLA for float32
// (max error a few ulp; erf(±4) rounds to ±1 in float32, so clamping loses nothing).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

typealias F16 = SIMD16<Float>

enum VectorMath {
  @inline(__always)
  static func exp(_ xIn: F16) -> F16 {
    let x = xIn.clamped(lowerBound: F16(repeating: -87.0), upperBound: F16(repeating: 88.0))
    // n = round(x / ln2) via the 1.5·2^23 trick (round-to-nearest without SSE4.1 roundps).
    let magic = F16(repeating: 12_582_912.0)
    let t = x * F16(repeating: 1.442_695_04) + magic
    let n = t - magic
    var r = x - n * F16(repeating: 0.693_145_751_953_125)
    r = r - n * F16(repeating: 1.428_606_765_330_187e-06)
    // e^r ≈ 1 + r + r²/2! + … + r⁶/6! (Horner); |r| ≤ 0.35 keeps the truncation below 1 ulp.
    var p = F16(repeating: 1.0 / 720.0)
    p = p * r + F16(repeating: 1.0 / 120.0)
    p = p * r + F16(repeating: 1.0 / 24.0)
    p = p * r + F16(repeating: 1.0 / 6.0)
    p = p * r + F16(repeating: 0.5)
    p = p * r + F16(repeating: 1.0)
    p = p * r + F16(repeating: 1.0)
    // 2^n: (n + 127) << 23 as float bits; n ∈ [-126, 127] after the clamp.
    let ni = unsafeBitCast(t, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
    let scale = unsafeBitCast((ni &+ 127) &<< 23, to: F16.self)
    return p * scale
  }

  @inline(__always)
  static func erf(_ xIn: F16) -> F16 {
    let x = xIn.clamped(lowerBound: F16(repeating: -4.0), upperBound: F16(repeating: 4.0))
    let x2 = x * x
    var p = F16(repeating: -2.726_142_258_013_06e-10)
    p = p * x2 + F16(repeating: 2.770_681_424_959_02e-08)
    p = p * x2 + F16(repeating: -2.101_024_020_825_08e-06)
    p = p * x2 + F16(repeating: -5.692_506_394_623_46e-05)
    p = p * x2 + F16(repeating: -7.349_906_303_268_55e-04)
    p = p * x2 + F16(repeating: -2.954_599_808_540_25e-03)
    p = p * x2 + F16(repeating: -1.609_603_332_624_15e-02)
    var q = F16(repeating: -1.456_607_184_649_96e-05)
    q = q * x2 + F16(repeating: -2.133_740_552_789_05e-04)
    q = q * x2 + F16(repeating: -1.682_826_974_382_03e-03)
    q = q * x2 + F16(repeating: -7.373_329_167_204_68e-03)
    q = q * x2 + F16(repeating: -1.426_473_905_141_89e-02)
    return x * p / q
  }

  /// Loads up to 16 floats (missing lanes = `fill`).
  @inline(__always)
  static func load(_ p: UnsafePointer<Float>, _ n: Int, fill: Float = 0) -> F16 {
    if n >= 16 { return UnsafeRawPointer(p).loadUnaligned(as: F16.self) }
    var v = F16(repeating: fill)
    for i in 0..<n { v[i] = p[i] }
    return v
  }

  /// Stores the first min(n, 16) lanes.
  @inline(__always)
  static func store(_ v: F16, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
    if n >= 16 {
      UnsafeMutableRawPointer(p).storeBytes(of: v, as: F16.self)
      return
    }
    for i in 0..<n { p[i] = v[i] }
  }
}
