// Softmax + cross-entropy over the vocabulary for each row of logits.
// Legend: BT = rows (batch × time), V = vocabulary. loss_r = log Σ_j e^(z_j) − z_target, computed
// max-shifted; forward leaves the softmax probabilities in place of the logits, and backward
// turns them into dLogits = (p − onehot(target))·dLoss in place (the softmax-CE gradient).

// swift-format-ignore-file: AlwaysUseLowerCamelCase

import Foundation

enum SoftmaxCrossEntropy {
  /// losses[r] = −log softmax(logits[r])[targets[r]]; `logits` is overwritten with probabilities.
  @inline(never)
  static func forward(
    losses: UnsafeMutablePointer<Float>, logits: UnsafeMutablePointer<Float>,
    targets: UnsafePointer<Int32>, BT: Int, V: Int, threads: Int
  ) {
    Parallel.forEach(BT, threads: threads, minItems: 128) { rows, _ in
      for r in rows {
        let z = logits + r * V
        let target = Int(targets[r])
        let zt = z[target]
        let m = VectorMath.maximum(V, z)
        let s = VectorMath.expShiftedSum(z, V, shift: m)
        let inv = 1 / s
        losses[r] = m + log(s) - zt
        for j in 0..<V { z[j] *= inv }
      }
    }
  }

  /// In place: probs[r] → (probs[r] − onehot(targets[r]))·dLoss, the same dLoss for every row
  /// (1/BT for a mean loss).
  @inline(never)
  static func backward(
    dLogits: UnsafeMutablePointer<Float>, targets: UnsafePointer<Int32>, dLoss: Float,
    BT: Int, V: Int, threads: Int
  ) {
    Parallel.forEach(BT, threads: threads, minItems: 128) { rows, _ in
      for r in rows {
        let g = dLoss
        let p = dLogits + r * V
        p[Int(targets[r])] -= 1
        for j in 0..<V { p[j] *= g }
      }
    }
  }
}
