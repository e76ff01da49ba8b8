// The one per-target file of NNKernelsPortable (not a symlink): how this build multiplies and
// adds in the exp and erf polynomials. Baseline x86-64 has no FMA (`addingProduct` would become
// a libm `fmaf` call per lane, SWIFT-NOTES §4), so this build multiplies, then adds, two
// roundings; the AVX2 and AVX-512 builds fuse (NNISA.swift there), so results differ from theirs
// in the last bits, as the baseline GEMM's do.

/// a·b + c, as a multiply then an add (two roundings).
@_transparent
func madd(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
  a * b + c
}

/// a·b + c, as a multiply then an add (two roundings).
@_transparent
func madd(_ a: Float, _ b: Float, _ c: Float) -> Float {
  a * b + c
}
