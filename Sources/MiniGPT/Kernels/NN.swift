// NN: forwards each non-GEMM inner loop to the NNKernels build that matches this CPU (the same
// choice as `Matmul.variant`: AVX-512, AVX2 + FMA, or baseline), so the binary never executes an
// instruction the CPU lacks. The three builds compute bit-identical results (see NNKernels.swift),
// so the choice changes speed only. Threading stays in the callers (Parallel.forEach).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import NNKernelsAVX2
import NNKernelsAVX512
import NNKernelsPortable

enum NN {
  @inline(__always)
  static func geluForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, lo: Int, hi: Int,
    variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512: NNKernelsAVX512.geluForward(out: out, input: input, lo: lo, hi: hi)
    case .avx2: NNKernelsAVX2.geluForward(out: out, input: input, lo: lo, hi: hi)
    case .portable: NNKernelsPortable.geluForward(out: out, input: input, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func geluBackward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    output: UnsafePointer<Float>, dOut: UnsafePointer<Float>, lo: Int, hi: Int,
    variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.geluBackward(
        dInput: dInput, input: input, output: output, dOut: dOut, lo: lo, hi: hi)
    case .avx2:
      NNKernelsAVX2.geluBackward(
        dInput: dInput, input: input, output: output, dOut: dOut, lo: lo, hi: hi)
    case .portable:
      NNKernelsPortable.geluBackward(
        dInput: dInput, input: input, output: output, dOut: dOut, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func attentionSoftmax(
    P: UnsafeMutablePointer<Float>, T: Int, Tp: Int, scale: Float,
    lse: UnsafeMutablePointer<Float>, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512: NNKernelsAVX512.attentionSoftmax(P: P, T: T, Tp: Tp, scale: scale, lse: lse)
    case .avx2: NNKernelsAVX2.attentionSoftmax(P: P, T: T, Tp: Tp, scale: scale, lse: lse)
    case .portable:
      NNKernelsPortable.attentionSoftmax(P: P, T: T, Tp: Tp, scale: scale, lse: lse)
    }
  }

  @inline(__always)
  static func attentionSoftmaxBackward(
    P: UnsafeMutablePointer<Float>, dS: UnsafeMutablePointer<Float>, T: Int, Tp: Int,
    scale: Float, lse: UnsafePointer<Float>, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
    ldy: Int, hs: Int, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.attentionSoftmaxBackward(
        P: P, dS: dS, T: T, Tp: Tp, scale: scale, lse: lse, dy: dy, y: y, ldy: ldy, hs: hs)
    case .avx2:
      NNKernelsAVX2.attentionSoftmaxBackward(
        P: P, dS: dS, T: T, Tp: Tp, scale: scale, lse: lse, dy: dy, y: y, ldy: ldy, hs: hs)
    case .portable:
      NNKernelsPortable.attentionSoftmaxBackward(
        P: P, dS: dS, T: T, Tp: Tp, scale: scale, lse: lse, dy: dy, y: y, ldy: ldy, hs: hs)
    }
  }

  @inline(__always)
  static func untranspose(
    _ src: UnsafePointer<Float>, Tp: Int, T: Int, hs: Int, into dst: UnsafeMutablePointer<Float>,
    ldd: Int, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512: NNKernelsAVX512.untranspose(src, Tp: Tp, T: T, hs: hs, into: dst, ldd: ldd)
    case .avx2: NNKernelsAVX2.untranspose(src, Tp: Tp, T: T, hs: hs, into: dst, ldd: ldd)
    case .portable:
      NNKernelsPortable.untranspose(src, Tp: Tp, T: T, hs: hs, into: dst, ldd: ldd)
    }
  }

  @inline(__always)
  static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, C: Int, eps: Float, lo: Int,
    hi: Int, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.layerNormForward(
        out: out, mean: mean, rstd: rstd, input: input, weight: weight, bias: bias, C: C,
        eps: eps, lo: lo, hi: hi)
    case .avx2:
      NNKernelsAVX2.layerNormForward(
        out: out, mean: mean, rstd: rstd, input: input, weight: weight, bias: bias, C: C,
        eps: eps, lo: lo, hi: hi)
    case .portable:
      NNKernelsPortable.layerNormForward(
        out: out, mean: mean, rstd: rstd, input: input, weight: weight, bias: bias, C: C,
        eps: eps, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func layerNormBackward(
    dInput: UnsafeMutablePointer<Float>, pw: UnsafeMutablePointer<Float>,
    pb: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    C: Int, r0: Int, r1: Int, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.layerNormBackward(
        dInput: dInput, pw: pw, pb: pb, dOut: dOut, input: input, weight: weight, mean: mean,
        rstd: rstd, C: C, r0: r0, r1: r1)
    case .avx2:
      NNKernelsAVX2.layerNormBackward(
        dInput: dInput, pw: pw, pb: pb, dOut: dOut, input: input, weight: weight, mean: mean,
        rstd: rstd, C: C, r0: r0, r1: r1)
    case .portable:
      NNKernelsPortable.layerNormBackward(
        dInput: dInput, pw: pw, pb: pb, dOut: dOut, input: input, weight: weight, mean: mean,
        rstd: rstd, C: C, r0: r0, r1: r1)
    }
  }

  @inline(__always)
  static func crossEntropyForward(
    losses: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>,
    targets: UnsafePointer<Int32>, V: Int, lo: Int, hi: Int,
    variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.crossEntropyForward(
        losses: losses, logits: logits, targets: targets, V: V, lo: lo, hi: hi)
    case .avx2:
      NNKernelsAVX2.crossEntropyForward(
        losses: losses, logits: logits, targets: targets, V: V, lo: lo, hi: hi)
    case .portable:
      NNKernelsPortable.crossEntropyForward(
        losses: losses, logits: logits, targets: targets, V: V, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func crossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, dLoss: Float, V: Int,
    lo: Int, hi: Int, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.crossEntropyBackward(
        dLogits: dLogits, targets: targets, dLoss: dLoss, V: V, lo: lo, hi: hi)
    case .avx2:
      NNKernelsAVX2.crossEntropyBackward(
        dLogits: dLogits, targets: targets, dLoss: dLoss, V: V, lo: lo, hi: hi)
    case .portable:
      NNKernelsPortable.crossEntropyBackward(
        dLogits: dLogits, targets: targets, dLoss: dLoss, V: V, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func seedRows(
    out: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
    residual: UnsafePointer<Float>?, OC: Int, lo: Int, hi: Int,
    variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.seedRows(out: out, bias: bias, residual: residual, OC: OC, lo: lo, hi: hi)
    case .avx2:
      NNKernelsAVX2.seedRows(out: out, bias: bias, residual: residual, OC: OC, lo: lo, hi: hi)
    case .portable:
      NNKernelsPortable.seedRows(
        out: out, bias: bias, residual: residual, OC: OC, lo: lo, hi: hi)
    }
  }

  @inline(__always)
  static func columnSumRows(
    _ p: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, cols: Int, r0: Int, r1: Int,
    variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512: NNKernelsAVX512.columnSumRows(p, x, cols: cols, r0: r0, r1: r1)
    case .avx2: NNKernelsAVX2.columnSumRows(p, x, cols: cols, r0: r0, r1: r1)
    case .portable: NNKernelsPortable.columnSumRows(p, x, cols: cols, r0: r0, r1: r1)
    }
  }

  @inline(__always)
  static func adamwUpdate(
    p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, n: Int, scale: Float, b1: Float, b2: Float, decay: Float,
    stepSize: Float, invSqrtBC2: Float, eps: Float, variant: GemmVariant = Matmul.variant
  ) {
    switch variant {
    case .avx512:
      NNKernelsAVX512.adamwUpdate(
        p: p, g: g, m: m, v: v, n: n, scale: scale, b1: b1, b2: b2, decay: decay,
        stepSize: stepSize, invSqrtBC2: invSqrtBC2, eps: eps)
    case .avx2:
      NNKernelsAVX2.adamwUpdate(
        p: p, g: g, m: m, v: v, n: n, scale: scale, b1: b1, b2: b2, decay: decay,
        stepSize: stepSize, invSqrtBC2: invSqrtBC2, eps: eps)
    case .portable:
      NNKernelsPortable.adamwUpdate(
        p: p, g: g, m: m, v: v, n: n, scale: scale, b1: b1, b2: b2, decay: decay,
        stepSize: stepSize, invSqrtBC2: invSqrtBC2, eps: eps)
    }
  }

  @inline(__always)
  static func sumOfSquares(
    _ g: UnsafePointer<Float>, _ n: Int, variant: GemmVariant = Matmul.variant
  ) -> Float {
    switch variant {
    case .avx512: NNKernelsAVX512.sumOfSquares(g, n)
    case .avx2: NNKernelsAVX2.sumOfSquares(g, n)
    case .portable: NNKernelsPortable.sumOfSquares(g, n)
    }
  }
}
