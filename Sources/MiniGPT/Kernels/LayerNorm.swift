// LayerNorm (Ba, Kiros & Hinton 2016) over the last dimension, eps = 1e-5 as torch.nn.LayerNorm.
// Legend: BT = rows (batch × time), C = channels. out = (x − mean)·rstd·w + b, rstd = 1/√(var+eps),
// var the biased (population) variance. mean and rstd are saved per row for the backward pass.
// Backward (llm.c layernorm_backward): with n = (x−mean)·rstd and g = dOut·w,
// dx = rstd·(g − mean(g) − n·mean(g·n)); dw = Σ dOut·n and db = Σ dOut over rows, as partial sums
// over fixed 64-row chunks combined in order (bit-identical for any thread count).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

enum LayerNorm {
  static let eps: Float = 1e-5

  /// Floats of scratch `backward` needs.
  static func scratchCount(BT: Int, C: Int) -> Int {
    (BT + Linear.chunkRows - 1) / Linear.chunkRows * 2 * C
  }

  @inline(never)
  static func forward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, BT: Int, C: Int, threads: Int
  ) {
    Parallel.forEach(BT, threads: threads, minItems: 128) { rows, _ in
      NN.layerNormForward(
        out: out, mean: mean, rstd: rstd, input: input, weight: weight, bias: bias, C: C,
        eps: eps, lo: rows.lowerBound, hi: rows.upperBound)
    }
  }

  /// Adds the input gradient into `dInput`; overwrites `dWeight` and `dBias`.
  @inline(never)
  static func backward(
    dInput: UnsafeMutablePointer<Float>, dWeight: UnsafeMutablePointer<Float>,
    dBias: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    BT: Int, C: Int, scratch: UnsafeMutablePointer<Float>, threads: Int
  ) {
    let R = Linear.chunkRows
    let chunks = (BT + R - 1) / R
    Parallel.forEach(chunks, threads: threads, minItems: 2) { range, _ in
      backwardRows(
        dInput: dInput, dOut: dOut, input: input, weight: weight, mean: mean, rstd: rstd,
        BT: BT, C: C, lo: range.lowerBound * R, hi: min(BT, range.upperBound * R),
        scratch: scratch)
    }
    reduce(dWeight: dWeight, dBias: dBias, BT: BT, C: C, scratch: scratch)
  }

  /// The input-gradient part of `backward` for rows lo..<hi (lo a multiple of 64), leaving each
  /// 64-row chunk's dWeight and dBias partial sums in `scratch`; `reduce` combines them.
  @inline(__always)
  static func backwardRows(
    dInput: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    BT: Int, C: Int, lo: Int, hi: Int, scratch: UnsafeMutablePointer<Float>
  ) {
    let R = Linear.chunkRows
    precondition(lo % R == 0)
    for c in (lo / R)..<((hi + R - 1) / R) {
      let pw = scratch + c * 2 * C
      NN.layerNormBackward(
        dInput: dInput, pw: pw, pb: pw + C, dOut: dOut, input: input, weight: weight,
        mean: mean, rstd: rstd, C: C, r0: c * R, r1: min(BT, c * R + R))
    }
  }

  /// dWeight and dBias = the chunk partial sums left by `backwardRows`, added in chunk order.
  static func reduce(
    dWeight: UnsafeMutablePointer<Float>, dBias: UnsafeMutablePointer<Float>, BT: Int, C: Int,
    scratch: UnsafeMutablePointer<Float>
  ) {
    let chunks = (BT + Linear.chunkRows - 1) / Linear.chunkRows
    for i in 0..<C {
      dWeight[i] = scratch[i]
      dBias[i] = scratch[C + i]
    }
    for c in 1..<max(1, chunks) {
      let pw = scratch + c * 2 * C
      for i in 0..<C {
        dWeight[i] += pw[i]
        dBias[i] += pw[C + i]
      }
    }
  }
}
