// How the FMA builds (NNKernelsAVX2, and NNKernelsAVX512 through a symlink to this file)
// multiply and add in the exp and erf polynomials; NNKernelsPortable has its own NNISA.swift.
// With FMA in the target (x86-64-v3 and v4): one fused multiply-add per step, rounded once, so
// every FMA build computes the same bits (the AVX2 and AVX-512 builds agree exactly). The
// baseline build multiplies, then adds (Swift never fuses on its own), so its results differ
// from the FMA builds' in the last bits, as its GEMM's do.

/// a·b + c, fused (one rounding).
@_transparent
func madd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
  c.addingProduct(a, b)
}

/// a·b + c, fused (one rounding).
@_transparent
func madd(_ a: Float, _ b: Float, _ c: Float) -> Float {
  c.addingProduct(a, b)
}
