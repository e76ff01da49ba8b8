// Model and training configuration, and the values a run reports.
// Parameter counts follow Kaplan et al. 2020 ("Scaling Laws for Neural Language Models"), §2.1 and
// Table 1: N excludes the token and position embeddings; the training cost per token is
// C_forward+backward ≈ 6N + 6·n_layer·n_ctx·d_model (the attention-score term counted at full ctx).

/// The shape of a decoder-only byte-level transformer (the layout of the PyTorch peer in data/peer-benchmarks.csv).
public struct GPTConfig: Codable, Sendable, Equatable {
  /// Number of transformer blocks (L).
  public var layers: Int
  /// Residual stream width (C).
  public var dModel: Int
  /// Attention heads (NH); `dModel` must be a multiple of it.
  public var heads: Int
  /// Context length in tokens (T), also the size of the position embedding.
  public var context: Int
  /// Vocabulary size (V); bytes, so 256.
  public var vocab: Int = 256

  /// Creates a configuration; call `validate()` before use.
  public init(layers: Int, dModel: Int, heads: Int, context: Int, vocab: Int = 256) {
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.context = context
    self.vocab = vocab
  }

  /// Non-embedding parameters (Kaplan 2020 §2.1): everything except `wte` and `wpe`,
  /// = layers·(12·d² + 13·d) + 2·d (blocks with biases, plus the final LayerNorm).
  public var nonEmbeddingParams: Int {
    layers * (12 * dModel * dModel + 13 * dModel) + 2 * dModel
  }

  /// All parameters, the head counted once because it is tied to the token embedding.
  public var totalParams: Int { nonEmbeddingParams + vocab * dModel + context * dModel }

  /// F_K = 6·N_nonemb + 6·layers·ctx·dModel FLOPs per training token (Kaplan 2020 Table 1), the
  /// convention of the PyTorch peer in data/peer-benchmarks.csv (the tied head's matmul and elementwise work not counted).
  public var trainingFLOPsPerToken: Double {
    6 * Double(nonEmbeddingParams) + 6 * Double(layers) * Double(context) * Double(dModel)
  }

  /// Checks every field.
  /// - Throws: `MiniGPTError` naming the bad value (zero layers, `dModel` not divisible by
  ///   `heads`, non-positive sizes, a vocabulary other than 1…256).
  /// Most layers MiniGPT builds.
  public static let maxLayers = 256
  /// Widest d_model MiniGPT builds.
  public static let maxWidth = 16_384
  /// Longest context MiniGPT builds.
  public static let maxContext = 16_384

  /// Bytes a training run holds at once, roughly: weights, gradients and AdamW's two moments in
  /// FP32 (16 bytes per parameter) plus the activations kept for the backward pass of one step,
  /// about (16·d + 2·h·T) floats per token per layer and two vocab-wide rows per token for the
  /// logits (Korthikanti et al. 2022's per-layer count, FP32 and without recomputation).
  public func estimatedTrainingBytes(batch: Int) -> Double {
    let tokens = Double(batch) * Double(context)
    let perToken =
      Double(layers) * (16 * Double(dModel) + 2 * Double(heads) * Double(context))
      + 2 * Double(vocab)
    return 16 * Double(totalParams) + 4 * tokens * perToken
  }

  public func validate() throws {
    guard layers >= 1 else {
      throw MiniGPTError.invalid("layers must be at least 1, got \(layers)")
    }
    guard dModel >= 1 else {
      throw MiniGPTError.invalid("d_model must be at least 1, got \(dModel)")
    }
    guard heads >= 1 else { throw MiniGPTError.invalid("heads must be at least 1, got \(heads)") }
    guard dModel % heads == 0 else {
      throw MiniGPTError.invalid(
        "d_model \(dModel) is not divisible by heads \(heads); choose heads that divide d_model")
    }
    guard context >= 2 else {
      throw MiniGPTError.invalid("context must be at least 2 tokens, got \(context)")
    }
    guard (1...256).contains(vocab) else {
      throw MiniGPTError.invalid("vocab must be between 1 and 256 (bytes), got \(vocab)")
    }
    // Sizes beyond these are far past what a CPU trainer can run, and checking them first keeps
    // the parameter count below (12·layers·d_model²) inside Int.
    for (name, value, limit) in [
      ("layers", layers, Self.maxLayers), ("d_model", dModel, Self.maxWidth),
      ("context", context, Self.maxContext),
    ] where value > limit {
      throw MiniGPTError.invalid("the model's \(name) (\(value)) is above MiniGPT's limit of \(limit)")
    }
    guard nonEmbeddingParams < 1 << 30 else {
      throw MiniGPTError.invalid("the model has too many parameters (\(totalParams)) for MiniGPT")
    }
  }
}

/// Optimiser, schedule and run-length settings.
public struct TrainConfig: Codable, Sendable, Equatable {
  /// Sequences per optimiser step (B).
  public var batch: Int
  /// Total training tokens wanted; the run takes `steps(context:)` whole steps of batch·ctx tokens.
  public var tokens: Int
  /// Peak learning rate of the schedule.
  public var learningRate: Double
  /// Decoupled AdamW weight decay (Loshchilov & Hutter 2019), applied to weight matrices and
  /// embeddings only (biases and LayerNorm gains are not decayed).
  public var weightDecay: Double = 0.1
  /// AdamW first-moment decay.
  public var beta1: Double = 0.9
  /// AdamW second-moment decay.
  public var beta2: Double = 0.95
  /// Gradients are rescaled so their global L2 norm is at most this (≤ 0 disables clipping).
  public var gradClip: Double = 1.0
  /// Linear warm-up steps; nil → max(10, min(100, steps/20)) (the tiny-model recipe of data/learning-rate-scan.csv).
  public var warmupSteps: Int? = nil
  /// The cosine decay ends at this fraction of the peak rate at the last step.
  public var minLRFraction: Double = 0.1
  /// Validation every this many steps (and always after the last step).
  public var evalEvery: Int = 100
  /// Validation windows of ctx+1 bytes scored at each evaluation.
  public var evalWindows: Int = 256
  /// Seed for initialisation and the training stream.
  public var seed: UInt64 = 1
  /// Worker threads (1 or more); results are bit-identical for any count.
  public var threads: Int = 1

  /// Creates a configuration; call `validate()` before use.
  public init(
    batch: Int, tokens: Int, learningRate: Double, weightDecay: Double = 0.1,
    beta1: Double = 0.9, beta2: Double = 0.95, gradClip: Double = 1.0, warmupSteps: Int? = nil,
    minLRFraction: Double = 0.1, evalEvery: Int = 100, evalWindows: Int = 256, seed: UInt64 = 1,
    threads: Int = 1
  ) {
    self.batch = batch
    self.tokens = tokens
    self.learningRate = learningRate
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.gradClip = gradClip
    self.warmupSteps = warmupSteps
    self.minLRFraction = minLRFraction
    self.evalEvery = evalEvery
    self.evalWindows = evalWindows
    self.seed = seed
    self.threads = threads
  }

  /// Optimiser steps for a context length: max(1, tokens / (batch·context)), rounded down.
  public func steps(context: Int) -> Int { max(1, tokens / max(1, batch * context)) }

  /// Warm-up steps actually used for a run of `steps` steps.
  public func resolvedWarmup(steps: Int) -> Int {
    warmupSteps ?? max(10, min(100, steps / 20))
  }

  /// Checks every field.
  /// - Throws: `MiniGPTError` naming the bad value.
  public func validate() throws {
    guard batch >= 1 else { throw MiniGPTError.invalid("batch must be at least 1, got \(batch)") }
    guard tokens >= 1 else {
      throw MiniGPTError.invalid("tokens must be at least 1, got \(tokens)")
    }
    guard learningRate.isFinite, learningRate > 0 else {
      throw MiniGPTError.invalid("learning rate must be a positive number, got \(learningRate)")
    }
    guard weightDecay.isFinite, weightDecay >= 0 else {
      throw MiniGPTError.invalid("weight decay must be zero or more, got \(weightDecay)")
    }
    guard (0..<1).contains(beta1), (0..<1).contains(beta2) else {
      throw MiniGPTError.invalid("beta1 and beta2 must lie in [0, 1), got \(beta1) and \(beta2)")
    }
    guard gradClip.isFinite else {
      throw MiniGPTError.invalid("gradient clip must be a finite number, got \(gradClip)")
    }
    if let w = warmupSteps, w < 0 {
      throw MiniGPTError.invalid("warm-up steps must be zero or more, got \(w)")
    }
    guard (0...1).contains(minLRFraction) else {
      throw MiniGPTError.invalid(
        "minimum learning-rate fraction must lie in [0, 1], got \(minLRFraction)")
    }
    guard evalEvery >= 1 else {
      throw MiniGPTError.invalid("eval-every must be at least 1 step, got \(evalEvery)")
    }
    guard evalWindows >= 1 else {
      throw MiniGPTError.invalid("validation windows must be at least 1, got \(evalWindows)")
    }
    guard evalWindows <= 1_000_000 else {
      throw MiniGPTError.invalid(
        "validation windows must be at most 1000000 (256 already measure the loss to ±0.01), got "
          + "\(evalWindows)")
    }
    guard batch <= 65_536 else {
      throw MiniGPTError.invalid("batch must be at most 65536 sequences, got \(batch)")
    }
    guard (1...64).contains(threads) else {
      throw MiniGPTError.invalid("threads must be between 1 and 64, got \(threads)")
    }
  }
}

/// Which text a run trains on.
public enum CorpusSpec: Codable, Sendable, Equatable {
  /// Words drawn i.i.d. from a seeded Zipf lexicon (see `Corpus`);
  /// `seed` fixes the lexicon and the validation text. Recommended: 10,000 words, exponent 1.5.
  case synthetic(lexiconSize: Int, zipfExponent: Double, seed: UInt64)
  /// The bytes of a file; every 10th 4 KiB chunk is held out for validation.
  case file(path: String)
}

/// One point of a loss curve.
public struct LossPoint: Codable, Sendable, Equatable {
  /// Optimiser steps done (1 after the first step).
  public var step: Int
  /// Training tokens consumed so far.
  public var tokens: Int
  /// Mean cross-entropy (nats per token) of this step's batch, before its update.
  public var trainLoss: Double
  /// Validation loss (nats per token) after this step, at evaluation steps only.
  public var validationLoss: Double?
  /// Learning rate used for this step.
  public var learningRate: Double
  /// Seconds since the run started.
  public var elapsedSeconds: Double

  /// Creates a point.
  public init(
    step: Int, tokens: Int, trainLoss: Double, validationLoss: Double?, learningRate: Double,
    elapsedSeconds: Double
  ) {
    self.step = step
    self.tokens = tokens
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.learningRate = learningRate
    self.elapsedSeconds = elapsedSeconds
  }
}

/// How a run ended.
public enum RunStatus: String, Codable, Sendable {
  case finished, diverged, interrupted
}

/// What a run measured.
public struct TrainResult: Codable, Sendable {
  public var status: RunStatus
  /// One point per step; validation losses on evaluation steps. A non-finite step is not included.
  public var curve: [LossPoint]
  /// Training loss of the last finite step.
  public var finalTrainLoss: Double?
  /// The last validation loss measured.
  public var finalValidationLoss: Double?
  public var nonEmbeddingParams: Int
  public var totalParams: Int
  /// Training FLOPs: `trainingFLOPsPerToken` × `tokensTrained`.
  public var flops: Double
  public var tokensTrained: Int
  /// Wall-clock seconds of the whole run, validation included.
  public var wallSeconds: Double
  /// Training tokens per second of training time (validation time excluded).
  public var tokensPerSecond: Double
  /// Exact entropy rate of a synthetic corpus in nats per byte (nil for files).
  public var corpusEntropy: Double?
  /// Sample entropy of the scored validation bytes under the true model (synthetic only).
  public var validationSampleEntropy: Double?
  /// The step (1-based) at which the run was found diverged: a NaN or infinite loss or gradient
  /// norm, or `DivergenceRule`'s test on finite losses.
  public var divergedAtStep: Int?
  /// Why the run counts as diverged, in one sentence (nil unless `status == .diverged`).
  public var divergenceReason: String?

  /// Creates a result (the trainer makes these; stores and tests may rebuild them).
  public init(
    status: RunStatus, curve: [LossPoint], finalTrainLoss: Double?, finalValidationLoss: Double?,
    nonEmbeddingParams: Int, totalParams: Int, flops: Double, tokensTrained: Int,
    wallSeconds: Double, tokensPerSecond: Double, corpusEntropy: Double?,
    validationSampleEntropy: Double? = nil, divergedAtStep: Int?, divergenceReason: String? = nil
  ) {
    self.status = status
    self.curve = curve
    self.finalTrainLoss = finalTrainLoss
    self.finalValidationLoss = finalValidationLoss
    self.nonEmbeddingParams = nonEmbeddingParams
    self.totalParams = totalParams
    self.flops = flops
    self.tokensTrained = tokensTrained
    self.wallSeconds = wallSeconds
    self.tokensPerSecond = tokensPerSecond
    self.corpusEntropy = corpusEntropy
    self.validationSampleEntropy = validationSampleEntropy
    self.divergedAtStep = divergedAtStep
    self.divergenceReason = divergenceReason
  }
}

/// Progress reported after every step.
public struct TrainProgress: Sendable {
  public var step: Int
  public var steps: Int
  public var tokens: Int
  public var trainLoss: Double
  public var validationLoss: Double?
  public var tokensPerSecond: Double
  /// True when this step ended with a validation pass.
  public var isEval: Bool

  /// Creates a progress report.
  public init(
    step: Int, steps: Int, tokens: Int, trainLoss: Double, validationLoss: Double?,
    tokensPerSecond: Double, isEval: Bool
  ) {
    self.step = step
    self.steps = steps
    self.tokens = tokens
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.tokensPerSecond = tokensPerSecond
    self.isEval = isEval
  }
}

/// Errors from configurations and corpora; each description is one sentence.
public enum MiniGPTError: Error, CustomStringConvertible, Equatable {
  /// A configuration value is out of range (the text names it).
  case invalid(String)
  /// The corpus file cannot be read.
  case unreadableCorpus(path: String, reason: String)
  /// The corpus file has no bytes.
  case emptyCorpus(path: String)
  /// A corpus split is too short for one window of context + 1 bytes.
  case corpusTooShort(split: String, bytes: Int, context: Int)

  public var description: String {
    switch self {
    case .invalid(let text):
      return text.prefix(1).uppercased() + text.dropFirst() + "."
    case .unreadableCorpus(let path, let reason):
      return "Cannot read corpus file '\(path)' (\(reason)); check the path and permissions."
    case .emptyCorpus(let path):
      return "Corpus file '\(path)' is empty; give a file with some text."
    case .corpusTooShort(let split, let bytes, let context):
      return
        "The corpus \(split) split has \(bytes) bytes, fewer than context \(context) + 1; "
        + "use a shorter --ctx or a larger corpus."
    }
  }
}
