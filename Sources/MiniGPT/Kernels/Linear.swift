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

  /// Workers for a product of `flops` over `units` row units: one below 4 MFLOP (a thread
  /// wake-up costs more than it saves there), else up to `threads`.
  static func workers(flops: Int, units: Int, threads: Int) -> Int {
    flops < 4_000_000 ? 1 : max(1, min(threads, units))
  }

  /// out (BT, OC) = inp (BT, C) · weightᵀ + bias; with `residual`, out = residual + that.
  ///
  /// One parallel region: each worker takes a band of whole 64-row chunks and runs, on its rows
  /// only, `prologue(lo, hi)` (e.g. the LayerNorm that produces those rows of `inp`), the bias
  /// and residual seeding, a 1-thread GEMM and `epilogue(lo, hi)` (e.g. GELU of those rows). Every
  /// element is the same k-ordered sum whatever the bands, so the result does not depend on the
  /// thread count.
  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>? = nil,
    BT: Int, C: Int, OC: Int, threads: Int,
    prologue: ((Int, Int) -> Void)? = nil, epilogue: ((Int, Int) -> Void)? = nil
  ) {
    let units = (BT + chunkRows - 1) / chunkRows
    let w = workers(flops: 2 * BT * C * OC, units: units, threads: threads)
    Parallel.forEach(units, threads: w) { range, _ in
      let lo = range.lowerBound * chunkRows
      let hi = min(BT, range.upperBound * chunkRows)
      if lo >= hi { return }
      prologue?(lo, hi)
      forwardRows(
        out: out, inp: inp, weight: weight, bias: bias, residual: residual, C: C, OC: OC, lo: lo,
        hi: hi)
      epilogue?(lo, hi)
    }
  }

  /// Rows lo..<hi of `forward`, on the calling thread.
  @inline(__always)
  static func forwardRows(
    out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>? = nil, C: Int, OC: Int,
    lo: Int, hi: Int
  ) {
    // Bias and residual are added in the GEMM's store (no separate pass over the rows).
    Matmul.gemm(
      transA: false, transB: true, M: hi - lo, N: OC, K: C, A: inp + lo * C, lda: C,
      B: weight, ldb: C, C: out + lo * OC, ldc: OC, accumulate: false, threads: 1, bias: bias,
      residual: residual.map { $0 + lo * OC }, ldr: OC)
  }

  /// dInp (BT, C) = dOut·W (added to dInp when `accumulate`), dWeight (OC, C) = dOutᵀ·inp
  /// (overwritten), dBias (OC) = Σ_rows dOut (overwritten). `scratch` holds
  /// `scratchCount(BT:OC:)` floats.
  ///
  /// Two parallel regions: (1) bands of whole 64-row chunks of dInp, each followed on the same
  /// worker by `epilogue(lo, hi)` (e.g. the GELU or LayerNorm backward of those rows; bands are
  /// chunk-aligned so per-chunk partial sums stay whole); (2) bands of dWeight's OC rows together
  /// with that worker's share of the bias chunk sums. Bit-identical for any thread count.
  @inline(never)
  static func backward(
    dInp: UnsafeMutablePointer<Float>?, dWeight: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>?, dOut: UnsafePointer<Float>, inp: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, BT: Int, C: Int, OC: Int, accumulate: Bool = false,
    scratch: UnsafeMutablePointer<Float>, threads: Int, epilogue: ((Int, Int) -> Void)? = nil
  ) {
    let flops = 2 * BT * C * OC
    let units = (BT + chunkRows - 1) / chunkRows
    if let dInp {
      Parallel.forEach(units, threads: workers(flops: flops, units: units, threads: threads)) {
        range, _ in
        let lo = range.lowerBound * chunkRows
        let hi = min(BT, range.upperBound * chunkRows)
        if lo >= hi { return }
        Matmul.gemm(
          transA: false, transB: false, M: hi - lo, N: C, K: OC, A: dOut + lo * OC, lda: OC,
          B: weight, ldb: C, C: dInp + lo * C, ldc: C, accumulate: accumulate, threads: 1)
        epilogue?(lo, hi)
      }
    }
    weightGradients(
      [
        WeightGrad(
          dWeight: dWeight, dBias: dBias, dOut: dOut, inp: inp, BT: BT, C: C, OC: OC,
          scratch: scratch)
      ], threads: threads)
  }

  /// Rows lo..<hi of dInp = dOut·W (added when `accumulate`), on the calling thread.
  @inline(__always)
  static func inputGradientRows(
    dInp: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, weight: UnsafePointer<Float>,
    C: Int, OC: Int, accumulate: Bool = false, lo: Int, hi: Int
  ) {
    Matmul.gemm(
      transA: false, transB: false, M: hi - lo, N: C, K: OC, A: dOut + lo * OC, lda: OC,
      B: weight, ldb: C, C: dInp + lo * C, ldc: C, accumulate: accumulate, threads: 1)
  }

  /// One layer's weight (and bias) gradient: dWeight (OC, C) = dOutᵀ·inp, dBias = Σ_rows dOut
  /// (chunk partial sums in `scratch`, `scratchCount(BT:OC:)` floats).
  struct WeightGrad {
    var dWeight: UnsafeMutablePointer<Float>
    var dBias: UnsafeMutablePointer<Float>?
    var dOut: UnsafePointer<Float>
    var inp: UnsafePointer<Float>
    var BT: Int, C: Int, OC: Int
    var scratch: UnsafeMutablePointer<Float>
  }

  /// Computes several weight gradients in one parallel region: each worker takes its band of
  /// every dWeight's rows (whole 6-row tiles, 1-thread GEMMs) and its share of every bias's
  /// 64-row chunk sums; the chunk sums are then added in chunk order. Bit-identical for any
  /// thread count.
  static func weightGradients(_ items: [WeightGrad], threads: Int) {
    var flops = 0
    var minTiles = Int.max
    for it in items {
      flops += 2 * it.BT * it.C * it.OC
      minTiles = min(minTiles, (it.OC + 5) / 6)
    }
    let w = workers(flops: flops, units: minTiles, threads: threads)
    items.withUnsafeBufferPointer { list in
      Parallel.forEach(w, threads: w) { range, _ in
        for part in range {
          for it in list {
            let tiles = (it.OC + 5) / 6
            let m0 = min(it.OC, tiles * part / w * 6)
            let m1 = min(it.OC, tiles * (part + 1) / w * 6)
            if m0 < m1 {
              Matmul.gemm(
                transA: true, transB: false, M: m1 - m0, N: it.C, K: it.BT, A: it.dOut + m0,
                lda: it.OC, B: it.inp, ldb: it.C, C: it.dWeight + m0 * it.C, ldc: it.C,
                accumulate: false, threads: 1)
            }
            if it.dBias != nil {
              let units = (it.BT + chunkRows - 1) / chunkRows
              for c in (units * part / w)..<(units * (part + 1) / w) {
                let r0 = c * chunkRows
                NN.columnSumRows(
                  it.scratch + c * it.OC, it.dOut, cols: it.OC, r0: r0,
                  r1: min(it.BT, r0 + chunkRows))
              }
            }
          }
        }
      }
    }
    for it in items {
      guard let dBias = it.dBias else { continue }
      let units = (it.BT + chunkRows - 1) / chunkRows
      for j in 0..<it.OC { dBias[j] = it.scratch[j] }
      for c in 1..<max(1, units) {
        let p = it.scratch + c * it.OC
        for j in 0..<it.OC { dBias[j] += p[j] }
      }
    }
  }
}
