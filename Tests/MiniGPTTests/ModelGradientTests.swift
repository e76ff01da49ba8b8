// Whole-model checks on a tiny config: the Float32 forward loss against a Double reference model
// written here from the layer references, and every backward gradient (a deterministic sample
// covering every tensor) against central finite differences of that Double loss.
// Tolerances: loss |Δ| ≤ 1e-5·loss; gradients |Δ| ≤ 1e-4 + 2e-3·|fd| (gradients here are ~1e-3
// to 1e-1; Float32 backward through 1 layer).

import Foundation
import Testing

@testable import MiniGPT

/// Mean cross-entropy of the GPT in Double, reading parameters through the library's layout.
func refModelLoss(
  _ p: [Double], _ g: GPTConfig, _ P: ParameterLayout, inputs: [Int32], targets: [Int32], B: Int
) -> Double {
  let C = g.dModel, T = g.context, V = g.vocab, NH = g.heads
  let BT = B * T
  func slice(_ o: Int, _ n: Int) -> [Double] { Array(p[o..<(o + n)]) }
  var x = [Double](repeating: 0, count: BT * C)
  for r in 0..<BT {
    for c in 0..<C { x[r * C + c] = p[P.wte + Int(inputs[r]) * C + c] + p[P.wpe + (r % T) * C + c] }
  }
  for l in 0..<g.layers {
    let h1 = refLayerNorm(x, slice(P.ln1w + l * C, C), slice(P.ln1b + l * C, C), BT: BT, C: C)
    let qkv = refLinear(
      h1, slice(P.qkvw + l * 3 * C * C, 3 * C * C), slice(P.qkvb + l * 3 * C, 3 * C), BT: BT,
      C: C, OC: 3 * C)
    let y = refAttention(qkv, B: B, T: T, C: C, NH: NH)
    let a = refLinear(
      y, slice(P.attprojw + l * C * C, C * C), slice(P.attprojb + l * C, C), BT: BT, C: C, OC: C)
    for i in x.indices { x[i] += a[i] }
    let h2 = refLayerNorm(x, slice(P.ln2w + l * C, C), slice(P.ln2b + l * C, C), BT: BT, C: C)
    let f = refGELU(
      refLinear(
        h2, slice(P.fcw + l * 4 * C * C, 4 * C * C), slice(P.fcb + l * 4 * C, 4 * C), BT: BT,
        C: C, OC: 4 * C))
    let m = refLinear(
      f, slice(P.fcprojw + l * 4 * C * C, 4 * C * C), slice(P.fcprojb + l * C, C), BT: BT,
      C: 4 * C, OC: C)
    for i in x.indices { x[i] += m[i] }
  }
  let hf = refLayerNorm(x, slice(P.lnfw, C), slice(P.lnfb, C), BT: BT, C: C)
  let logits = refLinear(hf, slice(P.wte, V * C), nil, BT: BT, C: C, OC: V)
  return refCrossEntropy(logits, targets, BT: BT, V: V).reduce(0, +) / Double(BT)
}

@Suite("Whole-model gradient check")
struct ModelGradientTests {
  @Test func tinyModelMatchesDoubleReference() {
    let g = GPTConfig(layers: 1, dModel: 8, heads: 2, context: 4)
    let B = 2
    let net = GPTModel(config: g, maxBatch: B, threads: 2, seed: 11)
    // Larger-than-init parameters so every path carries signal (LayerNorm gains, biases too).
    var rng = TestRNG(12)
    for slot in net.P.slots {
      for i in 0..<slot.count {
        let base: Double = slot.name.hasPrefix("ln") && slot.name.hasSuffix("w") ? 1 : 0
        net.params[slot.offset + i] = Float(base + 0.3 * (2 * rng.uniform() - 1))
      }
    }
    let inputs: [Int32] = [3, 250, 17, 3, 99, 0, 255, 42]
    let targets: [Int32] = [250, 17, 3, 8, 0, 255, 42, 42]
    for i in 0..<(B * g.context) {
      net.inputs[i] = inputs[i]
      net.targets[i] = targets[i]
    }
    net.forward(B: B)
    let loss = net.meanLoss(count: B * g.context)
    net.backward(B: B)
    let p = (0..<net.P.floatCount).map { Double(net.params[$0]) }
    let refLoss = refModelLoss(p, g, net.P, inputs: inputs, targets: targets, B: B)
    #expect(abs(loss - refLoss) <= 1e-5 * refLoss, "Float loss \(loss), Double loss \(refLoss)")
    // Sample: every 7th index of each tensor plus its first and last, ≈ 400 of 2,960.
    var indices: [Int] = []
    for slot in net.P.slots {
      var set = Set(stride(from: 0, to: slot.count, by: 7))
      set.insert(slot.count - 1)
      indices += set.sorted().map { slot.offset + $0 }
    }
    let numeric = finiteDifferences(p, indices: indices) {
      refModelLoss($0, g, net.P, inputs: inputs, targets: targets, B: B)
    }
    let analytic = (0..<net.P.floatCount).map { net.grads[$0] }
    expectGradients("grad", analytic: analytic, numeric: numeric, atol: 1e-4, rtol: 2e-3)
    // The sample must include non-trivial gradients in every tensor.
    for slot in net.P.slots {
      let largest =
        indices.filter { $0 >= slot.offset && $0 < slot.offset + slot.count }
        .map { abs(numeric[$0] ?? 0) }.max() ?? 0
      #expect(largest > 1e-4, "\(slot.name): largest sampled gradient \(largest)")
    }
  }
}
