// Fully connected layer out = inp·Wᵀ + b, weights stored (OC, C) as in PyTorch/llm.c, plus the one
// GEMM entry point every MiniGPT matmul goes through.
// Legend: BT = rows (batch × time), C = input channels, OC = output channels. Row-major.
// Backward: dInp = dOut·W, dW = dOutᵀ·inp, db = Σ_rows dOut (fixed-chunk partial sums, so the
// result does not depend on the thread count).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

/// The single GEMM call site: C = op(A)·op(B) (+C). Row-major; op(A) is M×K, op(B) is K×N;
/// transA means A is stored K×M, transB means B is stored N×K. Goes to `Matmul.gemm`, which picks
/// the AVX-512, AVX2 or baseline kernel from the CPU's features and splits products above
/// 50 MFLOP over threads itself. Smaller products (4–50 MFLOP, common at d_model 64–128) are cut
/// here into row bands of whole 6-row tiles, one 1-thread GEMM per worker; each element of C is
/// still the same k-ordered sum, so the result does not depend on the split (tested: bit-identical
/// loss curves for 1 and 2 threads).
func gemm(
  transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
  A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
  C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
) {
  let flops = 2 * M * N * K
  guard threads > 1, flops >= 4_000_000, flops < 50_000_000, M >= 12 else {
    Matmul.gemm(
      transA: transA, transB: transB, M: M, N: N, K: K, A: A, lda: lda, B: B, ldb: ldb, C: C,
      ldc: ldc, accumulate: accumulate, threads: threads)
    return
  }
  let tiles = (M + 5) / 6
  Parallel.forEach(tiles, threads: threads) { range, _ in
    let m0 = range.lowerBound * 6
    let m1 = min(M, range.upperBound * 6)
    Matmul.gemm(
      transA: transA, transB: transB, M: m1 - m0, N: N, K: K, A: transA ? A + m0 : A + m0 * lda,
      lda: lda, B: B, ldb: ldb, C: C + m0 * ldc, ldc: ldc, accumulate: accumulate, threads: 1)
  }
}

enum Linear {
  /// Rows per partial sum in reductions over rows (fixed, so sums do not depend on threads).
  static let chunkRows = 64

  /// Floats of scratch `backward` needs for `BT` rows and `OC` outputs.
  static func scratchCount(BT: Int, OC: Int) -> Int { (BT + chunkRows - 1) / chunkRows * OC }

  /// out (BT, OC) = inp (BT, C) · weightᵀ + bias; with `residual`, out = residual + that.
  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>? = nil,
    BT: Int, C: Int, OC: Int, threads: Int
  ) {
    // Seed the output with bias (+ residual), then accumulate the product into it.
    if bias != nil || residual != nil {
      Parallel.forEach(BT, threads: threads, minItems: 256) { rows, _ in
        NN.seedRows(
          out: out, bias: bias, residual: residual, OC: OC, lo: rows.lowerBound,
          hi: rows.upperBound)
      }
    }
    gemm(
      transA: false, transB: true, M: BT, N: OC, K: C, A: inp, lda: C, B: weight, ldb: C,
      C: out, ldc: OC, accumulate: bias != nil || residual != nil, threads: threads)
  }

  /// dInp (BT, C) = dOut·W (added to dInp when `accumulate`), dWeight (OC, C) = dOutᵀ·inp
  /// (overwritten), dBias (OC) = Σ_rows dOut (overwritten). `scratch` holds
  /// `scratchCount(BT:OC:)` floats.
  @inline(never)
  static func backward(
    dInp: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, BT: Int, C: Int, OC: Int, accumulate: Bool = false,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    if let dInp {
      gemm(
        transA: false, transB: false, M: BT, N: C, K: OC, A: dOut, lda: OC, B: weight, ldb: C,
        C: dInp, ldc: C, accumulate: accumulate, threads: threads)
    }
    gemm(
      transA: true, transB: false, M: OC, N: C, K: BT, A: dOut, lda: OC, B: inp, ldb: C,
      C: dWeight, ldc: C, accumulate: false, threads: threads)
    if let dBias { columnSum(dBias, dOut, rows: BT, cols: OC, scratch: scratch, threads: threads) }
  }

  /// sum[j] = Σ_r x[r, j], as partial sums over fixed 64-row chunks added in chunk order.
  @inline(never)
  static func columnSum(
    _ sum: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, rows: Int, cols: Int,
    scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let chunks = (rows + chunkRows - 1) / chunkRows
    Parallel.forEach(chunks, threads: threads, minItems: 4) { range, _ in
      for c in range {
        let r0 = c * chunkRows
        NN.columnSumRows(
          scratch + c * cols, x, cols: cols, r0: r0, r1: min(rows, r0 + chunkRows))
      }
    }
    for j in 0..<cols { sum[j] = scratch[j] }
    for c in 1..<max(1, chunks) {
      let p = scratch + c * cols
      for j in 0..<cols { sum[j] += p[j] }
    }
  }
}
