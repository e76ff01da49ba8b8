// GELU, exact form (Hendrycks & Gimpel 2016; torch.nn.GELU() default): gelu(x) = x·Φ(x),
// Φ(x) = ½(1 + erf(x/√2)). Derivative: Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
// Legend: N = element count. Backward gets the pre-activation x and the output y = x·Φ(x) from the
// forward pass and recovers Φ(x) = y/x (for |x| < 1e-3, Φ ≈ ½ + x·φ(0), off by < 1e-10), so it
// needs one exp (for φ) per element and no erf.

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
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    output: UnsafePointer<Float>, dOut: UnsafePointer<Float>, N: Int, threads: Int
  ) {
    Parallel.forEach(N, threads: threads, minItems: 32_768) { range, _ in
      var i = range.lowerBound
      while i + 4 <= range.upperBound {
        let x = UnsafeRawPointer(input + i).loadUnaligned(as: F4.self)
        let y = UnsafeRawPointer(output + i).loadUnaligned(as: F4.self)
        let g = UnsafeRawPointer(dOut + i).loadUnaligned(as: F4.self)
        let tiny = (x .< F4(repeating: 1e-3)) .& (x .> F4(repeating: -1e-3))
        let safeX = x.replacing(with: F4(repeating: 1), where: tiny)
        let cdf = (y / safeX).replacing(with: 0.5 + invSqrt2Pi * x, where: tiny)
        let pdf = invSqrt2Pi * VectorMath.exp(-0.5 * x * x)
        UnsafeMutableRawPointer(dInput + i).storeBytes(of: g * (cdf + x * pdf), as: F4.self)
        i += 4
      }
      while i < range.upperBound {
        let x = input[i]
        let cdf = abs(x) < 1e-3 ? 0.5 + invSqrt2Pi * x : output[i] / x
        let pdf = invSqrt2Pi * VectorMath.exp(-0.5 * x * x)
        dInput[i] = dOut[i] * (cdf + x * pdf)
        i += 1
      }
    }
  }
}
