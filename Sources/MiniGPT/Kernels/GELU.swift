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
      NN.geluForward(out: out, input: input, lo: range.lowerBound, hi: range.upperBound)
    }
  }

  /// dInput = dOut · gelu'(input); `dInput` may be the same buffer as `dOut`.
  @inline(never)
  static func backward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    output: UnsafePointer<Float>, dOut: UnsafePointer<Float>, N: Int, threads: Int
  ) {
    Parallel.forEach(N, threads: threads, minItems: 32_768) { range, _ in
      NN.geluBackward(
        dInput: dInput, input: input, output: output, dOut: dOut, lo: range.lowerBound,
        hi: range.upperBound)
    }
  }
}
