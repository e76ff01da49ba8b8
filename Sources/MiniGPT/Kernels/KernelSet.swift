// KernelSet: the one dispatch between MiniGPT and its kernels. The kernels (Sources/KernelsShared)
// are compiled three times, into KernelsPortable (baseline x86-64), KernelsAVX2 (x86-64-v3) and
// KernelsAVX512 (x86-64-v4); each build's `Kernels` enum has the same static functions, which this
// protocol names once. `GemmVariant.kernels` is the only switch over the builds, and `NN`, chosen
// once per process from the CPU's features (`Matmul.variant`), is the build every GEMM
// (`Matmul.gemm`) and every other kernel call goes through, so the binary never executes an
// instruction the CPU lacks. The FMA builds compute bit-identical results (see NNKernels.swift);
// the baseline build differs from them in the last bits.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import KernelsAVX2
import KernelsAVX512
import KernelsPortable

/// The functions every instruction-set build of the kernels provides (see each build's
/// `Kernels`: Gemm.swift and NNKernels.swift in Sources/KernelsShared document them).
protocol KernelSet: Sendable {
  /// C = op(A)·op(B), C += op(A)·op(B) (`accumulate`), or C = (residual + bias) + op(A)·op(B).
  static func sgemm(
    transA: Bool, transB: Bool, M: Int, N: Int, K: Int,
    A: UnsafePointer<Float>, lda: Int, B: UnsafePointer<Float>, ldb: Int,
    C: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int,
    bias: UnsafePointer<Float>?, residual: UnsafePointer<Float>?, ldr: Int)
  /// How `sgemm` divides a product between threads: `"single"`, `"rows"` or `"columns"`.
  static func sgemmThreadSplit(transA: Bool, M: Int, N: Int, K: Int, threads: Int) -> String
  /// The GEMM micro-tile of this build: rows × columns of C kept in registers.
  static func sgemmMicroTile() -> (rows: Int, columns: Int)

  /// out[i] = gelu(input[i]) for i in lo..<hi.
  static func geluForward(
    out: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>, lo: Int, hi: Int)
  /// dInput[i] = dOut[i]·gelu'(input[i]) for i in lo..<hi.
  static func geluBackward(
    dInput: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    output: UnsafePointer<Float>, dOut: UnsafePointer<Float>, lo: Int, hi: Int)
  /// Causal softmax of one (b, h) tile of scores in place, with each row's log-sum-exp.
  static func attentionSoftmax(
    P: UnsafeMutablePointer<Float>, T: Int, Tp: Int, scale: Float,
    lse: UnsafeMutablePointer<Float>)
  /// Backward of `attentionSoftmax` for one tile.
  static func attentionSoftmaxBackward(
    P: UnsafeMutablePointer<Float>, dS: UnsafeMutablePointer<Float>, T: Int, Tp: Int,
    scale: Float, lse: UnsafePointer<Float>, dy: UnsafePointer<Float>, y: UnsafePointer<Float>,
    ldy: Int, hs: Int)
  /// LayerNorm forward for rows lo..<hi, saving mean and rstd per row.
  static func layerNormForward(
    out: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>,
    rstd: UnsafeMutablePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, bias: UnsafePointer<Float>, C: Int, eps: Float, lo: Int,
    hi: Int)
  /// LayerNorm backward for rows r0..<r1: the input gradient, and this chunk's dWeight and dBias.
  static func layerNormBackward(
    dInput: UnsafeMutablePointer<Float>, pw: UnsafeMutablePointer<Float>,
    pb: UnsafeMutablePointer<Float>, dOut: UnsafePointer<Float>, input: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, mean: UnsafePointer<Float>, rstd: UnsafePointer<Float>,
    C: Int, r0: Int, r1: Int)
  /// Rows lo..<hi: losses and the logits turned into probabilities.
  static func crossEntropyForward(
    losses: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>,
    targets: UnsafePointer<Int32>, V: Int, lo: Int, hi: Int)
  /// Rows lo..<hi in place: probabilities → (probabilities − onehot(target))·dLoss.
  static func crossEntropyBackward(
    dLogits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, dLoss: Float, V: Int,
    lo: Int, hi: Int)
  /// p[j] = Σ_{r in r0..<r1} x[r·cols + j], in row order.
  static func columnSumRows(
    _ p: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, cols: Int, r0: Int, r1: Int)
  /// One AdamW update of n parameters.
  static func adamwUpdate(
    p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, n: Int, scale: Float, b1: Float, b2: Float, decay: Float,
    stepSize: Float, invSqrtBC2: Float, eps: Float)
  /// Σ g[i]² over n floats, in the gradient-norm chunk order.
  static func sumOfSquares(_ g: UnsafePointer<Float>, _ n: Int) -> Float
}

extension KernelsPortable.Kernels: KernelSet {}
extension KernelsAVX2.Kernels: KernelSet {}
extension KernelsAVX512.Kernels: KernelSet {}

extension GemmVariant {
  /// The kernels of this build. Calling them on a CPU that lacks the build's instructions dies
  /// of an illegal instruction: use `Matmul.variant` or one of `Matmul.availableVariants`.
  var kernels: any KernelSet.Type {
    switch self {
    case .avx512: KernelsAVX512.Kernels.self
    case .avx2: KernelsAVX2.Kernels.self
    case .portable: KernelsPortable.Kernels.self
    }
  }
}

/// The kernels this process runs: the build of `Matmul.variant`, chosen once from the CPU's
/// features. Every GEMM and every other kernel call goes through it (`NN.layerNormForward(…)`).
let NN: any KernelSet.Type = Matmul.variant.kernels
