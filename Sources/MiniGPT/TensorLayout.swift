// Where every tensor lives in the run's big Float32 buffers, llm.c style (train_gpt2.c,
// ParameterTensors / ActivationTensors): one contiguous parameter buffer (gradients and AdamW
// moments have the same layout) and, per batch shard (GPTModel.swift), one activation buffer
// holding every saved forward tensor of the shard's rows, the backward pass's three reusable
// gradient tensors and the kernels' scratch.
// Legend: B = batch, T = context, C = d_model, V = vocab, L = layers, NH = heads.
// Each tensor starts on a 16-float (64-byte) boundary; the padding stays zero.

// swift-format-ignore-file: AlwaysUseLowerCamelCase

/// A tensor's place in a buffer.
struct TensorSlot: Sendable {
  var name: String
  var offset: Int
  var count: Int
  /// Weight decay applies (matrices and embeddings; not biases or LayerNorm parameters).
  var decay: Bool
}

/// Offsets of the parameters (weights stored (out, in) as in PyTorch).
struct ParameterLayout: Sendable {
  let wte, wpe, ln1w, ln1b, qkvw, qkvb, attprojw, attprojb: Int
  let ln2w, ln2b, fcw, fcb, fcprojw, fcprojb, lnfw, lnfb: Int
  let slots: [TensorSlot]
  /// Floats in the buffer, padding included.
  let floatCount: Int
  /// Parameters, padding excluded.
  let parameterCount: Int

  init(_ g: GPTConfig) {
    let C = g.dModel, L = g.layers, V = g.vocab, T = g.context
    var slots: [TensorSlot] = []
    var next = 0
    func add(_ name: String, _ count: Int, decay: Bool) -> Int {
      let o = next
      slots.append(TensorSlot(name: name, offset: o, count: count, decay: decay))
      next += (count + 15) / 16 * 16
      return o
    }
    wte = add("wte", V * C, decay: true)  // (V, C), also the output head
    wpe = add("wpe", T * C, decay: true)  // (T, C)
    ln1w = add("ln1w", L * C, decay: false)  // (L, C)
    ln1b = add("ln1b", L * C, decay: false)  // (L, C)
    qkvw = add("qkvw", L * 3 * C * C, decay: true)  // (L, 3C, C)
    qkvb = add("qkvb", L * 3 * C, decay: false)  // (L, 3C)
    attprojw = add("attprojw", L * C * C, decay: true)  // (L, C, C)
    attprojb = add("attprojb", L * C, decay: false)  // (L, C)
    ln2w = add("ln2w", L * C, decay: false)  // (L, C)
    ln2b = add("ln2b", L * C, decay: false)  // (L, C)
    fcw = add("fcw", L * 4 * C * C, decay: true)  // (L, 4C, C)
    fcb = add("fcb", L * 4 * C, decay: false)  // (L, 4C)
    fcprojw = add("fcprojw", L * C * 4 * C, decay: true)  // (L, C, 4C)
    fcprojb = add("fcprojb", L * C, decay: false)  // (L, C)
    lnfw = add("lnfw", C, decay: false)  // (C)
    lnfb = add("lnfb", C, decay: false)  // (C)
    self.slots = slots
    floatCount = next
    parameterCount = slots.reduce(0) { $0 + $1.count }
  }
}

/// Offsets of the activations for batch B (smaller batches reuse the same layout).
struct ActivationLayout: Sendable {
  let encoded, ln1, ln1Mean, ln1Rstd, qkv, atty, lse, res2, ln2, ln2Mean, ln2Rstd: Int
  let fch, fchGelu, res3, lnf, lnfMean, lnfRstd, logits: Int
  let dres, dsmall, dbig, attScratch, sumScratch: Int
  let floatCount: Int
  /// Floats of saved forward activations (what backprop needs), for memory accounting.
  let savedFloatCount: Int

  init(_ g: GPTConfig, B: Int, threads: Int) {
    let C = g.dModel, L = g.layers, V = g.vocab, T = g.context, NH = g.heads
    let BT = B * T
    var next = 0
    func add(_ count: Int) -> Int {
      let o = next
      next += (count + 15) / 16 * 16
      return o
    }
    encoded = add(BT * C)  // (B, T, C)
    ln1 = add(L * BT * C)  // (L, B, T, C)
    ln1Mean = add(L * BT)  // (L, B, T)
    ln1Rstd = add(L * BT)  // (L, B, T)
    qkv = add(L * BT * 3 * C)  // (L, B, T, 3C)
    atty = add(L * BT * C)  // (L, B, T, C)
    lse = add(L * B * NH * T)  // (L, B, NH, T)
    res2 = add(L * BT * C)  // (L, B, T, C)
    ln2 = add(L * BT * C)  // (L, B, T, C)
    ln2Mean = add(L * BT)  // (L, B, T)
    ln2Rstd = add(L * BT)  // (L, B, T)
    fch = add(L * BT * 4 * C)  // (L, B, T, 4C)
    fchGelu = add(L * BT * 4 * C)  // (L, B, T, 4C)
    res3 = add(L * BT * C)  // (L, B, T, C)
    lnf = add(BT * C)  // (B, T, C)
    lnfMean = add(BT)  // (B, T)
    lnfRstd = add(BT)  // (B, T)
    logits = add(BT * V)  // (B, T, V): logits → probabilities → dLogits
    savedFloatCount = next
    dres = add(BT * C)  // (B, T, C) gradient of the residual stream
    dsmall = add(BT * C)  // (B, T, C) dLN input / dAtty
    dbig = add(BT * 4 * C)  // (B, T, 4C) dFch, or (B, T, 3C) dQKV
    attScratch = add(Attention.scratchCount(T: T, hs: C / NH, threads: threads))
    // Linear bias sums, then LayerNorm partial sums (both live at once when a LayerNorm backward
    // runs fused after a Linear's input gradient).
    sumScratch = add(
      Linear.scratchCount(BT: BT, OC: 5 * C) + LayerNorm.scratchCount(BT: BT, C: C))
    floatCount = next
  }
}
