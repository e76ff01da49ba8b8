// Parameter and FLOP accounting for a decoder-only transformer from its architecture.
// Parameters: embeddings (vocab·d, plus context·d for learned positions), per layer attention
// Q (d·h·k), K and V (2·d·h_kv·k, grouped-query attention when h_kv < h), output (h·k·d), FFN
// (2·d·f, or 3·d·f gated) per expert, router (d·experts), norms; final norm; untied output head.
// FLOPs per token (Kaplan et al. 2020 Table 1): forward 2·N + 2·n_layer·n_ctx·d_attn with N the
// non-embedding (active) parameters; training = 3 × forward = 6N + 6·n_layer·n_ctx·d_attn.
// Exact count: Hoffmann et al. 2022 Appendix F, forward ×3 for forward + backward.

import Foundation

/// A decoder-only transformer's shape.
///
/// Counts are integers; parameters come out as Double.
public struct TransformerArchitecture: Sendable, Codable, Equatable {
  public var layers: Int
  public var dModel: Int
  public var heads: Int
  /// Key/value heads (grouped-query attention); equals `heads` for multi-head attention.
  public var kvHeads: Int
  /// Per-head dimension (key/query size); defaults to dModel / heads.
  public var headDim: Int
  /// Feed-forward hidden size per expert (default 4·dModel).
  public var ffnSize: Int
  public var vocab: Int
  /// Training context (sequence) length.
  public var context: Int
  /// Output head shares the token-embedding matrix.
  public var tiedEmbeddings: Bool
  /// Learned absolute position embeddings (GPT-2) add context·dModel parameters.
  public var learnedPositions: Bool
  /// Linear layers carry biases (GPT-2 yes; Llama no).
  public var biases: Bool
  /// Gated FFN (SwiGLU: three matrices instead of two).
  public var gatedFFN: Bool
  /// Parameters per normalisation layer: 2·d for LayerNorm with bias, d for RMSNorm.
  public var normHasBias: Bool
  /// Mixture of experts: experts per layer and experts active per token (1 and 1 for dense).
  public var experts: Int
  public var activeExperts: Int

  /// Creates an architecture; unspecified sizes take the GPT defaults (f = 4d, h_kv = h, k = d/h).
  ///
  /// Validate with `validate()` before use on user input.
  public init(
    layers: Int, dModel: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil,
    ffnSize: Int? = nil, vocab: Int, context: Int, tiedEmbeddings: Bool = true,
    learnedPositions: Bool = false, biases: Bool = false, gatedFFN: Bool = false,
    normHasBias: Bool = false, experts: Int = 1, activeExperts: Int = 1
  ) {
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.kvHeads = kvHeads ?? heads
    self.headDim = headDim ?? (heads > 0 ? dModel / heads : 0)
    self.ffnSize = ffnSize ?? (dModel <= Int.max / 4 ? 4 * dModel : Int.max)
    self.vocab = vocab
    self.context = context
    self.tiedEmbeddings = tiedEmbeddings
    self.learnedPositions = learnedPositions
    self.biases = biases
    self.gatedFFN = gatedFFN
    self.normHasBias = normHasBias
    self.experts = experts
    self.activeExperts = activeExperts
  }

  /// GPT-2 small (Radford et al 2019): 12 layers, d 768, 12 heads, vocab 50,257, context
  /// 1,024, tied embeddings, learned positions, biases, LayerNorm.
  public static let gpt2Small = TransformerArchitecture(
    layers: 12, dModel: 768, heads: 12, vocab: 50257, context: 1024, tiedEmbeddings: true,
    learnedPositions: true, biases: true, normHasBias: true)

  /// Largest sizes accepted from a user. Each is far beyond any published model (the widest
  /// in data/models.csv, Llama 3.1 405B, has d_model 16,384 and 126 layers; its longest
  /// context is 131,072 tokens), and together they keep every count a plain `Int` product and every FLOP count a
  /// finite `Double`: layers × d_model² and d_model × ffn stay below 2^63.
  public static let maxLayers = 100_000
  /// Largest d_model or head dimension accepted (2^20).
  public static let maxWidth = 1 << 20
  /// Largest head or KV-head count accepted (2^16).
  public static let maxHeads = 1 << 16
  /// Largest feed-forward width accepted (2^24).
  public static let maxFFN = 1 << 24
  /// Largest vocabulary accepted (2^24).
  public static let maxVocab = 1 << 24
  /// Longest context accepted (2^27 tokens).
  public static let maxContext = 1 << 27
  /// Most experts accepted (2^16).
  public static let maxExperts = 1 << 16

  /// Checks that every size is positive and consistent.
  /// - Throws: `QuantityError.outOfRange` naming the bad field.
  public func validate() throws {
    for (name, v) in [
      ("--layers", layers), ("--d-model", dModel), ("--heads", heads), ("--kv-heads", kvHeads),
      ("--head-dim", headDim), ("--ffn", ffnSize), ("--vocab", vocab), ("--context", context),
      ("--experts", experts), ("--active-experts", activeExperts),
    ] where v <= 0 {
      throw QuantityError.outOfRange(name: name, value: Double(v), range: "a positive integer")
    }
    for (name, v, limit) in [
      ("--layers", layers, Self.maxLayers), ("--d-model", dModel, Self.maxWidth),
      ("--heads", heads, Self.maxHeads), ("--kv-heads", kvHeads, Self.maxHeads),
      ("--head-dim", headDim, Self.maxWidth), ("--ffn", ffnSize, Self.maxFFN),
      ("--vocab", vocab, Self.maxVocab), ("--context", context, Self.maxContext),
      ("--experts", experts, Self.maxExperts), ("--active-experts", activeExperts, Self.maxExperts),
    ] where v > limit {
      throw QuantityError.outOfRange(
        name: name, value: Double(v), range: "at most \(limit) (a bound far beyond any published model)")
    }
    if kvHeads > heads || heads % kvHeads != 0 {
      throw QuantityError.outOfRange(
        name: "--kv-heads", value: Double(kvHeads),
        range: "a divisor of --heads (\(heads)) no larger than it")
    }
    if activeExperts > experts {
      throw QuantityError.outOfRange(
        name: "--active-experts", value: Double(activeExperts),
        range: "at most --experts (\(experts))")
    }
  }

  /// Attention width d_attn = heads × headDim.
  public var attentionWidth: Double { Double(heads * headDim) }

  private var d: Double { Double(dModel) }
  private var normParams: Double { normHasBias ? 2 * d : d }

  /// Token (and learned position) embedding parameters.
  public var embeddingParams: Double {
    Double(vocab) * d + (learnedPositions ? Double(context) * d : 0)
  }
  /// Untied output-head parameters (0 when tied).
  public var outputHeadParams: Double { tiedEmbeddings ? 0 : Double(vocab) * d }

  /// Attention parameters of one layer.
  public var attentionParamsPerLayer: Double {
    let q = d * attentionWidth
    let kv = 2 * d * Double(kvHeads * headDim)
    let o = attentionWidth * d
    let b = biases ? attentionWidth + 2 * Double(kvHeads * headDim) + d : 0
    return q + kv + o + b
  }

  /// FFN parameters of one expert in one layer.
  public var ffnParamsPerExpert: Double {
    let f = Double(ffnSize)
    let weights = (gatedFFN ? 3 : 2) * d * f
    let b = biases ? (gatedFFN ? 2 * f : f) + d : 0
    return weights + b
  }

  private func layerParams(expertCount: Int) -> Double {
    let router = experts > 1 ? d * Double(experts) : 0
    return attentionParamsPerLayer + Double(expertCount) * ffnParamsPerExpert + router
      + 2 * normParams
  }

  /// All parameters (MoE: every expert).
  ///
  /// Memory uses this.
  public var totalParams: Double {
    embeddingParams + outputHeadParams + Double(layers) * layerParams(expertCount: experts)
      + normParams
  }

  /// Parameters used per token (MoE: active experts only).
  ///
  /// FLOPs use this.
  public var activeParams: Double {
    embeddingParams + outputHeadParams + Double(layers) * layerParams(expertCount: activeExperts)
      + normParams
  }

  /// Non-embedding parameters (Kaplan's N): total minus token/position embeddings and an
  /// untied output head.
  public var nonEmbeddingParams: Double { totalParams - embeddingParams - outputHeadParams }

  /// Active non-embedding parameters (Kaplan's N for an MoE's per-token compute).
  public var activeNonEmbeddingParams: Double {
    activeParams - embeddingParams - outputHeadParams
  }

  /// Training FLOPs per token, Kaplan et al 2020 Table 1: 6·N + 6·n_layer·n_ctx·d_attn, with N the
  /// active non-embedding parameters.
  ///
  /// The attention term assumes every token attends over the full context (no causal halving), as
  /// in Kaplan's table.
  public var trainingFLOPsPerToken: Double {
    6 * activeNonEmbeddingParams + 6 * Double(layers) * Double(context) * attentionWidth
  }

  /// The attention part of `trainingFLOPsPerToken`.
  public var attentionTrainingFLOPsPerToken: Double {
    6 * Double(layers) * Double(context) * attentionWidth
  }

  /// Training FLOPs for one sequence of `context` tokens by Hoffmann et al 2022 Appendix F:
  /// embeddings, per-layer attention (QKV, logits, softmax, reduction, output), dense block, final
  /// logits; backward = 2 × forward.
  ///
  /// With `includeEmbeddingsAndLogits: false` the count reproduces Table A4 (the authors' table
  /// leaves those two terms out; see the test). Generalised here to GQA (K, V use h_kv heads),
  /// gated FFNs and active experts.
  public func appendixFTrainingFLOPsPerSequence(includeEmbeddingsAndLogits: Bool = true) -> Double {
    let s = Double(context)
    let k = Double(headDim)
    let h = Double(heads)
    let qkv = 2 * s * d * k * (h + 2 * Double(kvHeads))
    let logits = 2 * s * s * k * h
    let softmax = 3 * h * s * s
    let reduction = 2 * s * s * k * h
    let project = 2 * s * k * h * d
    let attention = qkv + logits + softmax + reduction + project
    let dense = 2 * s * (gatedFFN ? 3 : 2) * d * Double(ffnSize) * Double(activeExperts)
    var forward = Double(layers) * (attention + dense)
    if includeEmbeddingsAndLogits {
      forward += 2 * s * Double(vocab) * d  // embeddings
      forward += 2 * s * d * Double(vocab)  // final logits
    }
    return 3 * forward
  }

  /// Activation memory in bytes for one sequence, without recomputation.
  ///
  /// Korthikanti and others 2022 (Megatron, "Reducing Activation Recomputation", Table 2):
  /// s·b·h·(34 + 5·a·s/h) bytes per layer in 16-bit training, b = 1 here — [U]: not re-checked
  /// against the paper text in this pass.
  public var activationBytesPerSequence: Double {
    let s = Double(context)
    let a = Double(heads)
    return Double(layers) * s * d * (34 + 5 * a * s / d)
  }
}
