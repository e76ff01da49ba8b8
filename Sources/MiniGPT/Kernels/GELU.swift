// GELU, exact form (Hendrycks & Gimpel 2016; torch.nn.GELU() default): gelu(x) = x·Φ(x),
// Φ(x) = ½(1 + erf(x/√2)). Derivative: Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
// Legend: N = element count. The pre-activation is kept for backward, which recomputes Φ and φ.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

enum GELU {
  static let invSqrt2: Float = 0.707_106_781_186_547_5
  static let invSqrt2Pi: Float = 0.398_942_280_401_432_7

  static func forward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, N: Int, threads: Int
  ) {
    let blocks = (N + 15) / 16
    Parallel.forEach(blocks, threads: threads, minItems: 2048) { range, _ in
      for blk in range {
        let i = blk * 16
        let n = min(16, N - i)
        let x = VectorMath.load(input + i, n)
        let phi = 0.5 * (1 + VectorMath.erf(x * invSqrt2))
        VectorMath.store(x * phi, out + i, n)
      }
    }
  }

  /// dInput = dOut · gelu'(input); `dInput` may be the same buffer as `dOut`.
  static func backward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
    N: Int, threads: Int
  ) {
    let blocks = (N + 15) / 16
    Parallel.forEach(blocks, threads: threads, minItems: 2048) { range, _ in
      for blk in range {
        let i = blk * 16
        let n = min(16, N - i)
        let x = VectorMath.load(input + i, n)
        let g = VectorMath.load(dOut + i, n)
        let cdf = 0.5 * (1 + VectorMath.erf(x * invSqrt2))
        let pdf = invSqrt2Pi * VectorMath.exp(-0.5 * x * x)
        VectorMath.store(g * (cdf + x * pdf), dInput + i, n)
      }
    }
  }
}
