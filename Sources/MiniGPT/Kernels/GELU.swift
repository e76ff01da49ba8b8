// GELU, exact form (Hendrycks & Gimpel 2016; torch.nn.GELU() default): gelu(x) = x·Φ(x),
// Φ(x) = ½(1 + erf(x/√2)). Derivative: Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
// Legend: N = element count. The pre-activation is kept for backward, which recomputes Φ and φ.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

enum GELU {
  static let invSqrt2: Float = 0.707_106_781_186_547_5
  static let invSqrt2Pi: Float = 0.398_942_280_401_432_7

  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, N: Int, threads: Int
  ) {
    Parallel.forEach(N, threads: threads, minItems: 32_768) { range, _ in
      var i = range.lowerBound
      while i + 4 <= range.upperBound {
        let x = UnsafeRawPointer(input + i).loadUnaligned(as: F4.self)
        let y = 0.5 * x * (1 + VectorMath.erf(x * invSqrt2))
        UnsafeMutableRawPointer(out + i).storeBytes(of: y, as: F4.self)
        i += 4
      }
      while i < range.upperBound {
        let x = input[i]
        out[i] = 0.5 * x * (1 + VectorMath.erf(x * invSqrt2))
        i += 1
      }
    }
  }

  /// dInput = dOut · gelu'(input); `dInput` may be the same buffer as `dOut`.
  @inline(never)
  static func backward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, dOut: UnsafePointer<Float>,
    N: Int, threads: Int
  ) {
    Parallel.forEach(N, threads: threads, minItems: 32_768) { range, _ in
      var i = range.lowerBound
      while i + 4 <= range.upperBound {
        let x = UnsafeRawPointer(input + i).loadUnaligned(as: F4.self)
        let g = UnsafeRawPointer(dOut + i).loadUnaligned(as: F4.self)
        let cdf = 0.5 * (1 + VectorMath.erf(x * invSqrt2))
        let pdf = invSqrt2Pi * VectorMath.exp(-0.5 * x * x)
        UnsafeMutableRawPointer(dInput + i).storeBytes(of: g * (cdf + x * pdf), as: F4.self)
        i += 4
      }
      while i < range.upperBound {
        let x = input[i]
        let cdf = 0.5 * (1 + VectorMath.erf(x * invSqrt2))
        let pdf = invSqrt2Pi * VectorMath.exp(-0.5 * x * x)
        dInput[i] = dOut[i] * (cdf + x * pdf)
        i += 1
      }
    }
  }
}
