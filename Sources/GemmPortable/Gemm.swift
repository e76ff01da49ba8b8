// GEMM for MiniGPT: C = op(A)·op(B) (+ C), row-major Float32.
// This one source file is compiled three times (GemmPortable, GemmAVX2, GemmAVX512 symlink it) with
// different instruction sets; `GEMM_FMA` is defined where fused multiply-add exists.
// PLACEHOLDER: naive reference loop until the blocked SIMD kernel lands.

/// Computes `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate` is true.
///
/// Row-major: `op(A)` is M×K, `op(B)` is K×N, `C` is M×N with leading dimension `ldc`.
/// With `transA`, `A` is stored K×M (leading dimension `lda`); with `transB`, `B` is stored N×K.
/// `threads` is a hint (1 or 2); results are bit-identical for any thread count.
public func sgemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
  A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
  C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
) {
  for i in 0..<M {
    for j in 0..<N {
      var s: Float = accumulate ? C[i * ldc + j] : 0
      for k in 0..<K {
        let a = transA ? A[k * lda + i] : A[i * lda + k]
        let b = transB ? B[j * ldb + k] : B[k * ldb + j]
        s += a * b
      }
      C[i * ldc + j] = s
    }
  }
}
