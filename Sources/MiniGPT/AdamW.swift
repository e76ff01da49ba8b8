// AdamW (Loshchilov & Hutter 2019, Algorithm 2) exactly as torch.optim.AdamW orders it:
// p ← p·(1 − lr·wd); m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
// p ← p − (lr/(1−β1^t)) · m / (√v/√(1−β2^t) + ε), ε = 1e-8.
// Gradients are clipped by global L2 norm as torch.nn.utils.clip_grad_norm_: g ← g·min(1,
// clip/(‖g‖ + 1e-6)); the factor is folded into the update instead of a separate pass.
// The norm is summed over fixed 4,096-float chunks (Float partials, then Double in chunk order).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

enum AdamW {
  static let eps: Float = 1e-8
  static let chunk = 4096

  /// The fixed chunks (offset, count) the norm is summed over; chunks never cross a tensor
  /// boundary, so padding is never read. Computed once per run.
  static func normChunks(layout: ParameterLayout) -> [Chunk] {
    var chunks: [Chunk] = []
    for slot in layout.slots {
      var o = 0
      while o < slot.count {
        chunks.append(
          Chunk(offset: slot.offset + o, count: min(chunk, slot.count - o), decay: slot.decay))
        o += chunk
      }
    }
    return chunks
  }

  /// A run of parameters inside one tensor.
  struct Chunk {
    var offset: Int
    var count: Int
    /// The tensor takes weight decay.
    var decay: Bool
  }

  /// Global L2 norm of all gradients (padding excluded); NaN/inf propagate. `scratch` holds one
  /// Double per chunk.
  static func gradientNorm(
    grads: UnsafePointer<Float>, chunks starts: [Chunk],
    scratch: UnsafeMutablePointer<Double>, threads: Int
  ) -> Double {
    starts.withUnsafeBufferPointer { list in
      Parallel.forEach(list.count, threads: threads, minItems: 4) { range, _ in
        for c in range {
          let o = list[c].offset
          let n = list[c].count
          scratch[c] = Double(NN.sumOfSquares(grads + o, n))
        }
      }
    }
    var total = 0.0
    for c in 0..<starts.count { total += scratch[c] }
    return total.squareRoot()
  }

  /// One AdamW step `t` (1-based) with gradient scale `gradScale` (the clipping factor), over the
  /// same fixed chunks as the norm (one parallel region for the whole model).
  static func update(
    params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, chunks: [Chunk],
    learningRate: Double, beta1: Double, beta2: Double, weightDecay: Double, t: Int,
    gradScale: Double, threads: Int
  ) {
    let lr = Float(learningRate)
    let b1 = Float(beta1), b2 = Float(beta2)
    let bc1 = 1 - pow(beta1, Double(t))
    let bc2 = 1 - pow(beta2, Double(t))
    let stepSize = Float(learningRate / bc1)
    let invSqrtBC2 = Float(1 / bc2.squareRoot())
    let scale = Float(gradScale)
    let decayFactor = 1 - lr * Float(weightDecay)
    chunks.withUnsafeBufferPointer { list in
      Parallel.forEach(list.count, threads: threads, minItems: 4) { range, _ in
        for c in range {
          let decay: Float = list[c].decay ? decayFactor : 1
          let o = list[c].offset
          NN.adamwUpdate(
            p: params + o, g: grads + o, m: m + o, v: v + o, n: list[c].count, scale: scale,
            b1: b1, b2: b2, decay: decay, stepSize: stepSize, invSqrtBC2: invSqrtBC2, eps: eps)
        }
      }
    }
  }
}
