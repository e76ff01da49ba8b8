// The GPT-2-layout model (Radford et al. 2019; nanoGPT model.py, llm.c train_gpt2.c) on flat
// buffers: embeddings → L pre-LN blocks [x += attn(ln1(x)); x += mlp(ln2(x))] → ln_f → tied head.
// Init as the PyTorch peer (data/peer-benchmarks.csv): weights and embeddings N(0, 0.02), the two residual output
// projections N(0, 0.02/√(2L)) (GPT-2 §2.3), biases 0, LayerNorm gains 1.
// Legend: B = batch, T = context, C = d_model, V = vocab, L = layers, NH = heads.
//
// Data parallelism: each step's batch is cut into a fixed number of shards (`shardCount`, 2 by
// default, independent of the thread count). A shard owns an activation buffer for its rows and
// a gradient buffer, and runs the whole forward and backward pass of its rows on one worker; the
// shard gradients are then added in shard order (g = g₀ + g₁), element by element. With one
// thread the same shards run one after the other, so 1 and 2 threads give the same bits, and the
// two workers meet once per pass instead of at every layer.

import Randomness

// swift-format-ignore-file: AlwaysUseLowerCamelCase

/// A float buffer allocated 64-byte aligned and zeroed; freed by its owner.
func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
  let raw = UnsafeMutableRawPointer.allocate(
    byteCount: max(1, count) * MemoryLayout<Float>.stride, alignment: 64)
  return raw.initializeMemory(as: Float.self, repeating: 0, count: max(1, count))
}

/// Parameters, gradients, AdamW moments and activations of one model, and its passes.
final class GPTModel {
  /// Default number of batch shards: 2 (one per core on the 2-core target), for any thread count.
  static let defaultShards = 2

  let config: GPTConfig
  /// Largest batch the activation buffers hold (summed over shards).
  let maxBatch: Int
  let threads: Int
  let P: ParameterLayout
  /// Parameters and AdamW first/second moments, each `P.floatCount` floats.
  let params, m, v: UnsafeMutablePointer<Float>
  /// The summed gradient (shard 0's buffer), `P.floatCount` floats.
  let grads: UnsafeMutablePointer<Float>
  /// Input and target tokens (maxBatch, T).
  let inputs, targets: UnsafeMutablePointer<Int32>
  /// Per-token losses of the last forward pass (maxBatch, T).
  let losses: UnsafeMutablePointer<Float>
  /// The batch shards, in summation order.
  let shards: [BatchShard]
  /// Rows of each shard in the last forward pass (0 = shard idle).
  private var shardRows: [Int]
  /// Fixed chunks for the gradient sum (any split gives the same bits: it is element-wise).
  private static let sumChunk = 16_384

  /// - Parameters:
  ///   - shards: batch shards (fixed for a run; changes the summation order, not the maths).
  init(
    config: GPTConfig, maxBatch: Int, threads: Int, seed: UInt64,
    shards: Int = GPTModel.defaultShards
  ) {
    precondition(maxBatch >= 1 && threads >= 1 && shards >= 1)
    self.config = config
    self.maxBatch = maxBatch
    self.threads = threads
    P = ParameterLayout(config)
    params = allocateFloats(P.floatCount)
    m = allocateFloats(P.floatCount)
    v = allocateFloats(P.floatCount)
    let n = maxBatch * config.context
    inputs = .allocate(capacity: n)
    inputs.initialize(repeating: 0, count: n)
    targets = .allocate(capacity: n)
    targets.initialize(repeating: 0, count: n)
    losses = allocateFloats(n)
    let S = min(shards, maxBatch)
    let inner = max(1, threads / S)
    var list: [BatchShard] = []
    for s in 0..<S {
      let capacity = GPTModel.rows(of: s, shards: S, batch: maxBatch).count
      list.append(
        BatchShard(
          config: config, layout: P, capacity: capacity, threads: inner, params: params,
          tokens: inputs, targets: targets, losses: losses))
    }
    self.shards = list
    grads = list[0].grads
    shardRows = Array(repeating: 0, count: S)
    initialise(seed: seed)
  }

  deinit {
    params.deallocate()
    m.deallocate()
    v.deallocate()
    inputs.deallocate()
    targets.deallocate()
    losses.deallocate()
  }

  /// Rows (sequences) of shard `s` of `S` for a batch of `B`: [⌈B·s/S⌉, ⌈B·(s+1)/S⌉), so shard 0
  /// (whose buffer receives the sum) is never empty. For B below the capacities (the rows of a
  /// batch of maxBatch) each shard gets no more than it holds (tested for S ≤ 2).
  static func rows(of s: Int, shards S: Int, batch B: Int) -> Range<Int> {
    ((B * s + S - 1) / S)..<((B * (s + 1) + S - 1) / S)
  }

  /// Bytes of parameters + gradients (one buffer per shard) + AdamW moments + saved activations
  /// + backward buffers and kernel scratch (every shard) + per-token losses.
  var accountedBytes: Int {
    let p = accountedParts
    return p.params + p.grads + p.moments + p.activations
  }

  /// The split of accountedBytes: parameters, gradients, AdamW moments, activations (with the
  /// losses, backward buffers and scratch).
  var accountedParts: (params: Int, grads: Int, moments: Int, activations: Int) {
    let f = MemoryLayout<Float>.stride
    var acts = maxBatch * config.context
    for s in shards { acts += s.A.floatCount }
    return (P.floatCount * f, shards.count * P.floatCount * f, 2 * P.floatCount * f, acts * f)
  }

  /// Draws the initial parameters from `seed` (tensor by tensor, in layout order).
  func initialise(seed: UInt64) {
    var rng = Xoshiro256StarStar(seed: seed, hashingStream: 0x1A17)
    let residualStd = 0.02 / (2 * Double(config.layers)).squareRoot()
    for slot in P.slots {
      let p = params + slot.offset
      switch slot.name {
      case "ln1w", "ln2w", "lnfw":
        for i in 0..<slot.count { p[i] = 1 }
      case "wte", "wpe", "qkvw", "fcw":
        for i in 0..<slot.count { p[i] = Float(0.02 * rng.nextNormalRejectingZero()) }
      case "attprojw", "fcprojw":
        for i in 0..<slot.count { p[i] = Float(residualStd * rng.nextNormalRejectingZero()) }
      default:
        for i in 0..<slot.count { p[i] = 0 }
      }
    }
  }

  /// Runs `body(shard, rows)` for every shard with rows, one shard per worker (up to `threads`
  /// workers; with one, in shard order on the calling thread).
  private func eachShard(B: Int, _ body: (BatchShard, Range<Int>) -> Void) {
    let S = shards.count
    Parallel.forEach(S, threads: min(threads, S)) { range, _ in
      for s in range {
        let r = GPTModel.rows(of: s, shards: S, batch: B)
        if !r.isEmpty { body(self.shards[s], r) }
      }
    }
  }

  /// Forward pass for the first `B` rows of `inputs`/`targets`; fills `losses` (B·T per-token
  /// losses). A token's loss does not depend on the sharding (every forward kernel is row-local
  /// or per sequence).
  func forward(B: Int) {
    precondition(B >= 1 && B <= maxBatch)
    recordShardRows(B: B)
    eachShard(B: B) { shard, r in shard.forward(B: r.count, row0: r.lowerBound) }
  }

  /// Remembers how many rows each shard gets for a batch of `B` (0 = idle in the gradient sum).
  private func recordShardRows(B: Int) {
    for s in 0..<shards.count {
      shardRows[s] = GPTModel.rows(of: s, shards: shards.count, batch: B).count
    }
  }

  /// Mean of the first `count` per-token losses, summed in order in Double.
  func meanLoss(count: Int) -> Double {
    var s = 0.0
    for i in 0..<count { s += Double(losses[i]) }
    return s / Double(count)
  }

  /// Backward pass of the mean loss over all B·T tokens of the last `forward(B:)`: each shard's
  /// gradient, then their sum in shard order into `grads`. Overwrites every gradient.
  func backward(B: Int) {
    let dLoss = 1 / Float(B * config.context)
    eachShard(B: B) { shard, r in shard.backward(B: r.count, dLoss: dLoss) }
    sumShardGradients()
  }

  /// Forward and backward of the first `B` rows in one parallel region (one meeting of the
  /// workers per step instead of two); the same bits as `forward(B:)` then `backward(B:)`.
  /// With `sum: false` the shard gradients are left apart for `sumGradientsAndNorm`.
  func forwardBackward(B: Int, sum: Bool = true) {
    precondition(B >= 1 && B <= maxBatch)
    recordShardRows(B: B)
    let dLoss = 1 / Float(B * config.context)
    eachShard(B: B) { shard, r in
      shard.forward(B: r.count, row0: r.lowerBound)
      shard.backward(B: r.count, dLoss: dLoss)
    }
    if sum { sumShardGradients() }
  }

  /// After `forwardBackward(B:sum: false)`: adds the shard gradients into `grads` (shard order)
  /// and returns the global L2 gradient norm, in one parallel region over the fixed norm chunks
  /// (`AdamW.normChunks`; padding is neither read nor summed). The same bits as
  /// `sumShardGradients` followed by `AdamW.gradientNorm`. `scratch` holds one Double per chunk.
  func sumGradientsAndNorm(chunks: [AdamW.Chunk], scratch: UnsafeMutablePointer<Double>)
    -> Double
  {
    let others = (1..<shards.count).filter { shardRows[$0] > 0 }.map { shards[$0].grads }
    let g = grads
    others.withUnsafeBufferPointer { others in
      chunks.withUnsafeBufferPointer { list in
        Parallel.forEach(list.count, threads: threads, minItems: 4) { range, _ in
          for c in range {
            let o = list[c].offset
            let n = list[c].count
            for y in others { GPTModel.addInPlace(g + o, y + o, n) }
            scratch[c] = Double(NN.sumOfSquares(g + o, n))
          }
        }
      }
    }
    var total = 0.0
    for c in 0..<chunks.count { total += scratch[c] }
    return total.squareRoot()
  }

  /// grads = g₀ + g₁ + … over the shards that ran, added in shard order, element-wise in fixed
  /// chunks (so the split over workers cannot change a bit).
  private func sumShardGradients() {
    let active = (1..<shards.count).filter { shardRows[$0] > 0 }
    if active.isEmpty { return }
    let n = P.floatCount
    let chunk = GPTModel.sumChunk
    let chunks = (n + chunk - 1) / chunk
    let g = grads
    let others = active.map { shards[$0].grads }
    others.withUnsafeBufferPointer { list in
      Parallel.forEach(chunks, threads: n < 65_536 ? 1 : threads) { range, _ in
        for c in range {
          let lo = c * chunk
          let count = min(n, lo + chunk) - lo
          for o in list { GPTModel.addInPlace(g + lo, o + lo, count) }
        }
      }
    }
  }
}

extension GPTModel {
  /// x[i] += y[i] for i in 0..<n (16 lanes at a time; each element is one Float addition).
  @inline(__always)
  static func addInPlace(_ x: UnsafeMutablePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) {
    var i = 0
    let rx = UnsafeMutableRawPointer(x)
    let ry = UnsafeRawPointer(y)
    while i + 16 <= n {
      let o = i * 4
      let s =
        rx.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
        + ry.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
      rx.storeBytes(of: s, toByteOffset: o, as: SIMD16<Float>.self)
      i += 16
    }
    while i < n {
      x[i] += y[i]
      i += 1
    }
  }
}

/// One fixed slice of the batch: its activation buffer, its gradient buffer and its passes
/// (run with `threads` workers inside, usually 1).
final class BatchShard {
  let config: GPTConfig
  /// Largest number of sequences this shard holds.
  let maxBatch: Int
  let threads: Int
  let P: ParameterLayout
  let A: ActivationLayout
  /// The model's parameters (read only here).
  let params: UnsafeMutablePointer<Float>
  /// This shard's gradient, `P.floatCount` floats.
  let grads: UnsafeMutablePointer<Float>
  /// This shard's activation buffer, `A.floatCount` floats.
  let acts: UnsafeMutablePointer<Float>
  /// The model's token, target and loss buffers (maxBatch of the model, T); the shard reads and
  /// writes rows from `row0` on.
  let tokens, targets: UnsafeMutablePointer<Int32>
  let losses: UnsafeMutablePointer<Float>
  /// First sequence of the last forward pass.
  private(set) var row0 = 0

  init(
    config: GPTConfig, layout: ParameterLayout, capacity: Int, threads: Int,
    params: UnsafeMutablePointer<Float>, tokens: UnsafeMutablePointer<Int32>,
    targets: UnsafeMutablePointer<Int32>, losses: UnsafeMutablePointer<Float>
  ) {
    self.config = config
    maxBatch = capacity
    self.threads = threads
    P = layout
    A = ActivationLayout(config, B: capacity, threads: threads)
    self.params = params
    grads = allocateFloats(layout.floatCount)
    acts = allocateFloats(A.floatCount)
    self.tokens = tokens
    self.targets = targets
    self.losses = losses
  }

  deinit {
    grads.deallocate()
    acts.deallocate()
  }

  /// Forward pass for `B` sequences starting at row `row0` of the model's `inputs`/`targets`;
  /// fills their per-token losses (`losses + row0·T`) and leaves softmax probabilities in the
  /// logits buffer.
  ///
  /// Everything between two attentions is row-local (attention projection + residual, LayerNorm,
  /// MLP, residual, the next LayerNorm and qkv projection; at the end ln_f, the head and the
  /// loss), so it runs as one parallel region of row bands: two regions per layer in all.
  func forward(B: Int, row0: Int) {
    precondition(B >= 1 && B <= maxBatch)
    self.row0 = row0
    let inputs = tokens + row0 * config.context
    let targets = self.targets + row0 * config.context
    let losses = self.losses + row0 * config.context
    let C = config.dModel, L = config.layers, T = config.context, V = config.vocab
    let NH = config.heads
    let BT = B * T
    let a = acts
    Embedding.forward(
      out: a + A.encoded, tokens: inputs, wte: params + P.wte, wpe: params + P.wpe, B: B, T: T,
      C: C, threads: threads)
    // FLOPs per row of one block (for the 1-worker threshold only).
    let blockFlops = 24 * C * C * BT
    for l in 0...L {
      Parallel.rowBands(BT, threads: threads, flops: blockFlops) { lo, hi in
        if l > 0 { self.postAttentionRows(layer: l - 1, lo: lo, hi: hi) }
        if l < L {
          self.preAttentionRows(layer: l, lo: lo, hi: hi)
        } else {
          let last = a + A.res3 + (L - 1) * self.maxBatch * T * C
          NN.layerNormForward(
            out: a + A.lnf, mean: a + A.lnfMean, rstd: a + A.lnfRstd, input: last,
            weight: self.params + P.lnfw, bias: self.params + P.lnfb, C: C, eps: LayerNorm.eps,
            lo: lo, hi: hi)
          Linear.forwardRows(
            out: a + A.logits, inp: a + A.lnf, weight: self.params + P.wte, bias: nil, C: C,
            OC: V, lo: lo, hi: hi)
          NN.crossEntropyForward(
            losses: losses, logits: a + A.logits, targets: targets, V: V, lo: lo, hi: hi)
        }
      }
      if l < L {
        Attention.forward(
          out: a + A.atty + l * maxBatch * T * C, lse: a + A.lse + l * maxBatch * NH * T,
          qkv: a + A.qkv + l * maxBatch * T * 3 * C, B: B, T: T, C: C, NH: NH,
          scratch: a + A.attScratch, threads: threads)
      }
    }
  }

  /// Rows lo..<hi of layer l up to attention: ln1 = LN(residual), qkv = ln1·Wᵀ + b.
  private func preAttentionRows(layer l: Int, lo: Int, hi: Int) {
    let C = config.dModel, T = config.context
    let BTmax = maxBatch * T
    let p = params, a = acts
    let residual = l == 0 ? a + A.encoded : a + A.res3 + (l - 1) * BTmax * C
    let ln1 = a + A.ln1 + l * BTmax * C
    NN.layerNormForward(
      out: ln1, mean: a + A.ln1Mean + l * BTmax, rstd: a + A.ln1Rstd + l * BTmax,
      input: residual, weight: p + P.ln1w + l * C, bias: p + P.ln1b + l * C, C: C,
      eps: LayerNorm.eps, lo: lo, hi: hi)
    Linear.forwardRows(
      out: a + A.qkv + l * BTmax * 3 * C, inp: ln1, weight: p + P.qkvw + l * 3 * C * C,
      bias: p + P.qkvb + l * 3 * C, C: C, OC: 3 * C, lo: lo, hi: hi)
  }

  /// Rows lo..<hi of layer l after attention: projection + residual, LN, MLP + residual.
  private func postAttentionRows(layer l: Int, lo: Int, hi: Int) {
    let C = config.dModel, T = config.context
    let BTmax = maxBatch * T
    let p = params, a = acts
    let residual = l == 0 ? a + A.encoded : a + A.res3 + (l - 1) * BTmax * C
    let atty = a + A.atty + l * BTmax * C
    let res2 = a + A.res2 + l * BTmax * C
    let ln2 = a + A.ln2 + l * BTmax * C
    let fch = a + A.fch + l * BTmax * 4 * C
    let fchGelu = a + A.fchGelu + l * BTmax * 4 * C
    Linear.forwardRows(
      out: res2, inp: atty, weight: p + P.attprojw + l * C * C, bias: p + P.attprojb + l * C,
      residual: residual, C: C, OC: C, lo: lo, hi: hi)
    NN.layerNormForward(
      out: ln2, mean: a + A.ln2Mean + l * BTmax, rstd: a + A.ln2Rstd + l * BTmax, input: res2,
      weight: p + P.ln2w + l * C, bias: p + P.ln2b + l * C, C: C, eps: LayerNorm.eps, lo: lo,
      hi: hi)
    Linear.forwardRows(
      out: fch, inp: ln2, weight: p + P.fcw + l * 4 * C * C, bias: p + P.fcb + l * 4 * C, C: C,
      OC: 4 * C, lo: lo, hi: hi)
    NN.geluForward(out: fchGelu, input: fch, lo: lo * 4 * C, hi: hi * 4 * C)
    Linear.forwardRows(
      out: a + A.res3 + l * BTmax * C, inp: fchGelu, weight: p + P.fcprojw + l * C * 4 * C,
      bias: p + P.fcprojb + l * C, residual: res2, C: 4 * C, OC: C, lo: lo, hi: hi)
  }

  /// Backward pass of this shard's part of the loss (each token's loss weighted `dLoss`, i.e.
  /// 1 / the whole batch's token count) after `forward(B:row0:)` with the same B; overwrites
  /// every gradient of this shard's buffer (no zeroing needed: each gradient tensor is written
  /// exactly once, and the tied `wte` gradient is first written by the head, then added to by
  /// the embedding).
  ///
  /// Row-local chains (input gradients through Linear, GELU and LayerNorm) run as one parallel
  /// region of row bands; weight gradients, which sum over all rows, are batched into regions of
  /// their own as soon as their inputs are final. About five regions per layer.
  func backward(B: Int, dLoss: Float) {
    let inputs = tokens + row0 * config.context
    let targets = self.targets + row0 * config.context
    let C = config.dModel, L = config.layers, T = config.context, V = config.vocab
    let NH = config.heads
    let BT = B * T
    let BTmax = maxBatch * T
    let p = params, g = grads, a = acts
    let dres = a + A.dres, dsmall = a + A.dsmall, dbig = a + A.dbig
    let sums = a + A.sumScratch
    let lnSums = sums + Linear.scratchCount(BT: BTmax, OC: 5 * C)
    let blockFlops = 24 * C * C * BT
    let last = a + A.res3 + (L - 1) * BTmax * C
    // Head and ln_f: dLogits in place, dsmall = dLogits·wte, dres = ln_f backward (from zero).
    Parallel.rowBands(BT, threads: threads, flops: 2 * BT * C * V) { lo, hi in
      NN.crossEntropyBackward(
        dLogits: a + A.logits, targets: targets, dLoss: dLoss, V: V, lo: lo, hi: hi)
      Linear.inputGradientRows(
        dInp: dsmall, dOut: a + A.logits, weight: p + P.wte, C: C, OC: V, lo: lo, hi: hi)
      (dres + lo * C).update(repeating: 0, count: (hi - lo) * C)
      LayerNorm.backwardRows(
        dInput: dres, dOut: dsmall, input: last, weight: p + P.lnfw, mean: a + A.lnfMean,
        rstd: a + A.lnfRstd, BT: BT, C: C, lo: lo, hi: hi, scratch: lnSums)
    }
    LayerNorm.reduce(dWeight: g + P.lnfw, dBias: g + P.lnfb, BT: BT, C: C, scratch: lnSums)
    // Weight gradients whose inputs are final, flushed together in one region. Bias scratch:
    // qkv (3C per chunk) then fcproj (C); fc (4C) then attproj (C); LayerNorm partials after 5C.
    var pending = [
      Linear.WeightGrad(
        dWeight: g + P.wte, dBias: nil, dOut: a + A.logits, inp: a + A.lnf, BT: BT, C: C, OC: V,
        scratch: sums)
    ]
    for l in stride(from: L - 1, through: 0, by: -1) {
      let residual = l == 0 ? a + A.encoded : a + A.res3 + (l - 1) * BTmax * C
      let ln1 = a + A.ln1 + l * BTmax * C
      let qkv = a + A.qkv + l * BTmax * 3 * C
      let atty = a + A.atty + l * BTmax * C
      let res2 = a + A.res2 + l * BTmax * C
      let ln2 = a + A.ln2 + l * BTmax * C
      let fch = a + A.fch + l * BTmax * 4 * C
      let fchGelu = a + A.fchGelu + l * BTmax * 4 * C
      // dres is the gradient at res3 here: fcproj's weight gradient needs it before LN2 adds in.
      pending.append(
        Linear.WeightGrad(
          dWeight: g + P.fcprojw + l * C * 4 * C, dBias: g + P.fcprojb + l * C, dOut: dres,
          inp: fchGelu, BT: BT, C: 4 * C, OC: C,
          scratch: sums + Linear.scratchCount(BT: BTmax, OC: 3 * C)))
      Linear.weightGradients(pending, threads: threads)
      pending.removeAll(keepingCapacity: true)
      // MLP and LN2 input gradients, then attproj's: dres becomes the gradient at res2.
      Parallel.rowBands(BT, threads: threads, flops: blockFlops) { lo, hi in
        Linear.inputGradientRows(
          dInp: dbig, dOut: dres, weight: p + P.fcprojw + l * C * 4 * C, C: 4 * C, OC: C,
          lo: lo, hi: hi)
        NN.geluBackward(
          dInput: dbig, input: fch, output: fchGelu, dOut: dbig, lo: lo * 4 * C, hi: hi * 4 * C)
        Linear.inputGradientRows(
          dInp: dsmall, dOut: dbig, weight: p + P.fcw + l * 4 * C * C, C: C, OC: 4 * C, lo: lo,
          hi: hi)
        LayerNorm.backwardRows(
          dInput: dres, dOut: dsmall, input: res2, weight: p + P.ln2w + l * C,
          mean: a + A.ln2Mean + l * BTmax, rstd: a + A.ln2Rstd + l * BTmax, BT: BT, C: C,
          lo: lo, hi: hi, scratch: lnSums)
        Linear.inputGradientRows(
          dInp: dsmall, dOut: dres, weight: p + P.attprojw + l * C * C, C: C, OC: C, lo: lo,
          hi: hi)
      }
      LayerNorm.reduce(
        dWeight: g + P.ln2w + l * C, dBias: g + P.ln2b + l * C, BT: BT, C: C, scratch: lnSums)
      Linear.weightGradients(
        [
          Linear.WeightGrad(
            dWeight: g + P.fcw + l * 4 * C * C, dBias: g + P.fcb + l * 4 * C, dOut: dbig,
            inp: ln2, BT: BT, C: C, OC: 4 * C, scratch: sums),
          Linear.WeightGrad(
            dWeight: g + P.attprojw + l * C * C, dBias: g + P.attprojb + l * C, dOut: dres,
            inp: atty, BT: BT, C: C, OC: C,
            scratch: sums + Linear.scratchCount(BT: BTmax, OC: 4 * C)),
        ], threads: threads)
      Attention.backward(
        dqkv: dbig, dOut: dsmall, qkv: qkv, out: atty, lse: a + A.lse + l * maxBatch * NH * T,
        B: B, T: T, C: C, NH: NH, scratch: a + A.attScratch, threads: threads)
      // qkv input gradient and LN1: dres becomes the gradient at this layer's input.
      Parallel.rowBands(BT, threads: threads, flops: 6 * C * C * BT) { lo, hi in
        Linear.inputGradientRows(
          dInp: dsmall, dOut: dbig, weight: p + P.qkvw + l * 3 * C * C, C: C, OC: 3 * C, lo: lo,
          hi: hi)
        LayerNorm.backwardRows(
          dInput: dres, dOut: dsmall, input: residual, weight: p + P.ln1w + l * C,
          mean: a + A.ln1Mean + l * BTmax, rstd: a + A.ln1Rstd + l * BTmax, BT: BT, C: C,
          lo: lo, hi: hi, scratch: lnSums)
      }
      LayerNorm.reduce(
        dWeight: g + P.ln1w + l * C, dBias: g + P.ln1b + l * C, BT: BT, C: C, scratch: lnSums)
      pending.append(
        Linear.WeightGrad(
          dWeight: g + P.qkvw + l * 3 * C * C, dBias: g + P.qkvb + l * 3 * C, dOut: dbig,
          inp: ln1, BT: BT, C: C, OC: 3 * C, scratch: sums))
    }
    Linear.weightGradients(pending, threads: threads)
    Embedding.backward(
      dwte: g + P.wte, dwpe: g + P.wpe, dOut: dres, tokens: inputs, B: B, T: T, C: C,
      threads: threads)
  }
}
