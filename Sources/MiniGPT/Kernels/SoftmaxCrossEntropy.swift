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
      NN.crossEntropyForward(
        losses: losses, logits: logits, targets: targets, V: V, lo: rows.lowerBound,
        hi: rows.upperBound)
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
      NN.crossEntropyBackward(
        dLogits: dLogits, targets: targets, dLoss: dLoss, V: V, lo: rows.lowerBound,
        hi: rows.upperBound)
    }
  }
}
