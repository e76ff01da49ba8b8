// The one per-target file of NNKernelsAVX2 (not a symlink): how this build multiplies and adds
// in the exp and erf polynomials. With FMA in the target (x86-64-v3 and v4), one fused
// multiply-add per step, rounded once; every FMA build computes the same bits (the AVX2 and
// AVX-512 builds agree exactly). The baseline build multiplies, then adds (Swift never fuses on
// its own), so its results differ from the FMA builds' in the last bits, as its GEMM's do.

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
