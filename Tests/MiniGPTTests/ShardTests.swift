// Data parallelism over batch shards: the shard split of a batch, per-token losses that do not
// depend on the sharding, the summed shard gradient against the one-shard (whole-batch) gradient,
// and bit-identical loss curves for 1, 2 and 4 threads at the three bench configurations' model
// shapes (a, b, c of shared/bench/RESULTS.md §2) at a small context and batch.

import Foundation
import Testing

@testable import MiniGPT

@Suite("Batch shards")
struct ShardTests {
  /// A model with `shards` shards and the same seeded parameters and tokens.
  static func model(
    _ g: GPTConfig, batch: Int, shards: Int, threads: Int, tokens seed: UInt64 = 21
  ) -> GPTModel {
    let net = GPTModel(config: g, maxBatch: batch, threads: threads, seed: 9, shards: shards)
    var rng = TestRNG(seed)
    for i in 0..<(batch * g.context) {
      net.inputs[i] = Int32(rng.next() % 256)
      net.targets[i] = Int32(rng.next() % 256)
    }
    return net
  }

  @Test func shardRowsPartitionEveryBatchWithinCapacity() {
    for S in 1...2 {
      for maxBatch in 1...9 {
        let capacity = (0..<S).map { GPTModel.rows(of: $0, shards: S, batch: maxBatch).count }
        for B in 1...maxBatch {
          var next = 0
          for s in 0..<S {
            let r = GPTModel.rows(of: s, shards: S, batch: B)
            #expect(r.lowerBound == next, "S \(S) B \(B) shard \(s) starts at \(r.lowerBound)")
            #expect(r.count <= capacity[s], "S \(S) max \(maxBatch) B \(B) shard \(s) overflows")
            next = r.upperBound
          }
          #expect(next == B)
          #expect(!GPTModel.rows(of: 0, shards: S, batch: B).isEmpty, "shard 0 must have rows")
        }
      }
    }
  }

  @Test func tokenLossesDoNotDependOnTheSharding() {
    // Every forward kernel is row-local or per sequence, so the losses must match bit for bit.
    let g = GPTConfig(layers: 2, dModel: 32, heads: 4, context: 16)
    let B = 5
    let one = Self.model(g, batch: B, shards: 1, threads: 1)
    let two = Self.model(g, batch: B, shards: 2, threads: 2)
    for b in [B, 3, 1] {
      one.forward(B: b)
      two.forward(B: b)
      let n = b * g.context
      let a = (0..<n).map { one.losses[$0].bitPattern }
      let c = (0..<n).map { two.losses[$0].bitPattern }
      #expect(a == c, "batch \(b)")
    }
  }

  @Test func summedShardGradientEqualsTheWholeBatchGradient() {
    // The two differ only in the order of float additions over rows (≤ 5·16 = 80 terms per
    // weight-gradient element here), so they agree to about 1e-6 relative; tolerance per tensor:
    // |Δ| ≤ 1e-4 · max |g| of that tensor.
    let g = GPTConfig(layers: 2, dModel: 32, heads: 4, context: 16)
    let B = 5
    let one = Self.model(g, batch: B, shards: 1, threads: 1)
    let two = Self.model(g, batch: B, shards: 2, threads: 2)
    one.forward(B: B)
    one.backward(B: B)
    two.forward(B: B)
    two.backward(B: B)
    #expect(one.meanLoss(count: B * g.context) == two.meanLoss(count: B * g.context))
    for slot in one.P.slots {
      var largest: Float = 0
      var worst: Float = 0
      for i in slot.offset..<(slot.offset + slot.count) {
        largest = max(largest, abs(one.grads[i]))
        worst = max(worst, abs(one.grads[i] - two.grads[i]))
      }
      #expect(largest > 0, "\(slot.name) has no gradient")
      #expect(worst <= 1e-4 * largest, "\(slot.name): |Δ| \(worst), max |g| \(largest)")
    }
    // The shard sum is not a copy of one shard: shard 1's own gradient differs from the sum.
    let s1 = two.shards[1].grads
    let differs = (0..<two.P.floatCount).contains { s1[$0] != two.grads[$0] }
    #expect(differs)
  }

  @Test func aBatchSmallerThanTheShardsStillGivesTheWholeGradient() {
    // B = 1 on a 2-shard model: only shard 0 runs, and its gradient must be the whole gradient
    // (bit for bit: the one-shard model does the same sums), not stale data of an idle shard.
    let g = GPTConfig(layers: 1, dModel: 16, heads: 2, context: 8)
    let one = Self.model(g, batch: 2, shards: 1, threads: 1)
    let two = Self.model(g, batch: 2, shards: 2, threads: 2)
    two.forward(B: 2)
    two.backward(B: 2)  // fills both shard buffers with batch-of-2 gradients
    one.forward(B: 1)
    one.backward(B: 1)
    two.forward(B: 1)
    two.backward(B: 1)
    let n = one.P.floatCount
    #expect((0..<n).allSatisfy { one.grads[$0].bitPattern == two.grads[$0].bitPattern })
  }

  @Test func forwardBackwardGivesTheBitsOfForwardThenBackward() {
    let g = GPTConfig(layers: 1, dModel: 32, heads: 2, context: 16)
    let split = Self.model(g, batch: 4, shards: 2, threads: 2)
    let fused = Self.model(g, batch: 4, shards: 2, threads: 2)
    split.forward(B: 4)
    split.backward(B: 4)
    fused.forwardBackward(B: 4)
    let n = split.P.floatCount
    #expect((0..<n).allSatisfy { split.grads[$0].bitPattern == fused.grads[$0].bitPattern })
    #expect((0..<64).allSatisfy { split.losses[$0].bitPattern == fused.losses[$0].bitPattern })
  }

  @Test func fusedSumAndNormGivesTheBitsOfSumThenNorm() {
    let g = GPTConfig(layers: 1, dModel: 32, heads: 2, context: 16)
    let plain = Self.model(g, batch: 4, shards: 2, threads: 2)
    let fused = Self.model(g, batch: 4, shards: 2, threads: 2)
    let chunks = AdamW.normChunks(layout: plain.P)
    let scratch = UnsafeMutablePointer<Double>.allocate(capacity: chunks.count)
    defer { scratch.deallocate() }
    plain.forwardBackward(B: 4)
    let norm = AdamW.gradientNorm(
      grads: plain.grads, chunks: chunks, scratch: scratch, threads: 2)
    fused.forwardBackward(B: 4, sum: false)
    let fusedNorm = fused.sumGradientsAndNorm(chunks: chunks, scratch: scratch)
    #expect(norm > 0)
    #expect(norm.bitPattern == fusedNorm.bitPattern, "norm \(norm) vs fused \(fusedNorm)")
    for slot in plain.P.slots {
      let same = (slot.offset..<(slot.offset + slot.count)).allSatisfy {
        plain.grads[$0].bitPattern == fused.grads[$0].bitPattern
      }
      #expect(same, "\(slot.name)")
    }
  }

  @Test(
    "1, 2 and 4 threads give bit-identical curves at the bench configurations' shapes",
    arguments: BenchTrainSetup.all.map(\.name))
  func benchShapesAreBitIdenticalAcrossThreads(name: String) throws {
    let setup = try #require(BenchTrainSetup.all.first { $0.name == name })
    let m = setup.model
    // The bench's layers, width and heads at context 32 and batch 6 (two steps, one eval).
    let g = GPTConfig(layers: m.layers, dModel: m.dModel, heads: m.heads, context: 32)
    let one = try TrainerTests.curveBits(threads: 1, model: g, batch: 6, steps: 2)
    let two = try TrainerTests.curveBits(threads: 2, model: g, batch: 6, steps: 2)
    let four = try TrainerTests.curveBits(threads: 4, model: g, batch: 6, steps: 2)
    #expect(one.count == 4)
    #expect(one == two)
    #expect(one == four)
  }
}
