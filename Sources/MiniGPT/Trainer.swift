// The training loop: batches from the corpus, forward + backward, gradient norm and clipping,
// AdamW with the warm-up + cosine schedule, periodic validation, divergence detection (NaN/inf,
// and `DivergenceRule` on finite losses).
// Deterministic for a seed: every reduction has a fixed order (the batch is cut into fixed shards
// whose gradients are added in shard order, whatever the thread count), so loss curves are
// bit-identical run to run and for any thread count.
// FLOPs = F_K per token × tokens (Kaplan 2020 Table 1).

import Foundation

/// When a run with finite losses counts as diverged. A model that predicts the next token
/// uniformly over its V-token vocabulary scores ln V nats per token (5.545 for bytes), and a
/// freshly initialised transformer starts within a few tenths of a nat of it (its logits are
/// near zero). A run is diverged when
/// 1. its smoothed training loss (an exponential moving average giving the newest step weight
///    `smoothing`, about a 10-step memory, so one noisy batch does not decide) or a validation
///    loss exceeds ln V + `marginNats`: 1 nat above guessing means the model gives the right
///    token on average e⁻¹ ≈ 37 % of the probability guessing would, far outside initialisation
///    noise yet far below the losses of a blown-up run (an `--lr 10` run reached 122 nats), or
/// 2. its smoothed training loss stays above ln V and has not reached a new low for
///    `stallWindow` steps: a healthy run is below ln V within a few dozen steps.
public enum DivergenceRule {
  /// Nats above ln V that a smoothed training loss or a validation loss may not exceed.
  public static let marginNats = 1.0
  /// Weight of the newest step in the moving average of the training loss.
  public static let smoothing = 0.1
  /// Steps without a new low, above ln V, after which a run is diverged.
  public static let stallWindow = 200

  /// The loss of uniform guessing over `vocab` tokens, ln V nats per token.
  public static func uniformLoss(vocab: Int) -> Double { log(Double(max(vocab, 1))) }

  /// Follows one run's losses step by step and says when the rule fires.
  public struct Monitor: Sendable {
    let guessing: Double
    var smoothed: Double? = nil
    var best = Double.infinity
    var bestStep = 0

    /// A monitor for a model with `vocab` tokens.
    public init(vocab: Int) { guessing = DivergenceRule.uniformLoss(vocab: vocab) }

    /// Feeds the finite training loss of `step` (1-based) and, at evaluations, its validation
    /// loss; returns the reason when the run is now diverged, else nil.
    public mutating func observe(step: Int, trainLoss: Double, validationLoss: Double?)
      -> String?
    {
      let ceiling = guessing + DivergenceRule.marginNats
      let s = smoothed.map { $0 + DivergenceRule.smoothing * (trainLoss - $0) } ?? trainLoss
      smoothed = s
      let lnV = String(format: "%.3f", guessing)
      let limit = String(format: "%.3f", ceiling)
      if s > ceiling {
        return "smoothed training loss \(String(format: "%.3f", s)) nats at step \(step) exceeds "
          + "ln V + \(DivergenceRule.marginNats) = \(limit) (uniform guessing scores \(lnV))"
      }
      if let v = validationLoss, v > ceiling {
        return "validation loss \(String(format: "%.3f", v)) nats at step \(step) exceeds "
          + "ln V + \(DivergenceRule.marginNats) = \(limit) (uniform guessing scores \(lnV))"
      }
      if s < best {
        best = s
        bestStep = step
      } else if s > guessing && step - bestStep >= DivergenceRule.stallWindow {
        return "smoothed training loss stayed above ln V = \(lnV) nats without a new low for "
          + "\(DivergenceRule.stallWindow) steps (step \(step))"
      }
      return nil
    }
  }
}

/// Trains one model on one corpus.
public final class Trainer {
  public let model: GPTConfig
  public let train: TrainConfig
  public let corpus: CorpusSpec
  /// Optimiser steps the run takes.
  public let steps: Int
  /// Exact entropy rate of a synthetic corpus, nats per byte.
  public let corpusEntropy: Double?
  /// First scored position of each validation window (16 for synthetic text, 0 for files).
  public var validationSkip: Int { text.validationSkip }
  /// Bytes of parameters, gradients, AdamW moments and activations (the accounted memory).
  public var accountedBytes: Int { net.accountedBytes }
  /// accountedBytes split into parameters, gradients (one buffer per batch shard), AdamW moments
  /// and activations (saved tensors, backward buffers, kernel scratch, per-token losses).
  public var accountedParts: (params: Int, grads: Int, moments: Int, activations: Int) {
    net.accountedParts
  }
  /// Resident set size (VmRSS) just before the model's buffers were allocated, after the corpus
  /// was opened: the process's baseline (runtime, binary, corpus), nil where unavailable.
  public let residentBytesBeforeModel: Int?

  let net: GPTModel
  let text: Corpus
  let schedule: LearningRateSchedule
  let normScratch: UnsafeMutablePointer<Double>
  let normChunks: [AdamW.Chunk]
  var stepsDone = 0

  /// Builds the model (initialised from `train.seed`) and opens the corpus.
  /// - Throws: `MiniGPTError` for an invalid configuration or corpus (one sentence each).
  public init(model: GPTConfig, train: TrainConfig, corpus: CorpusSpec) throws {
    try model.validate()
    try train.validate()
    self.model = model
    self.train = train
    self.corpus = corpus
    text = try Corpus(
      spec: corpus, context: model.context, windows: train.evalWindows, seed: train.seed)
    corpusEntropy = text.lexicon?.entropyRate
    steps = train.steps(context: model.context)
    schedule = LearningRateSchedule(
      peak: train.learningRate, warmup: train.resolvedWarmup(steps: steps), steps: steps,
      minFraction: train.minLRFraction)
    residentBytesBeforeModel = ProcessMemory.residentBytes()
    net = GPTModel(config: model, maxBatch: train.batch, threads: train.threads, seed: train.seed)
    normChunks = AdamW.normChunks(layout: net.P)
    let n = normChunks.count
    normScratch = .allocate(capacity: n)
    normScratch.initialize(repeating: 0, count: n)
  }

  deinit { normScratch.deallocate() }

  /// One optimiser step on the next training batch; returns (loss, gradient norm, rate).
  func step() -> (loss: Double, gradNorm: Double, learningRate: Double) {
    let B = train.batch
    let BT = B * model.context
    text.nextBatch(inputs: net.inputs, targets: net.targets, B: B)
    net.forwardBackward(B: B, sum: false)
    let loss = net.meanLoss(count: BT)
    let norm = net.sumGradientsAndNorm(chunks: normChunks, scratch: normScratch)
    let lr = schedule.rate(at: stepsDone)
    guard loss.isFinite, norm.isFinite else { return (loss, norm, lr) }
    // torch.nn.utils.clip_grad_norm_: coefficient max_norm / (norm + 1e-6), capped at 1.
    let clip = train.gradClip > 0 ? min(1, train.gradClip / (norm + 1e-6)) : 1
    stepsDone += 1
    AdamW.update(
      params: net.params, grads: net.grads, m: net.m, v: net.v, chunks: normChunks,
      learningRate: lr, beta1: train.beta1, beta2: train.beta2, weightDecay: train.weightDecay,
      t: stepsDone, gradScale: clip, threads: train.threads)
    return (loss, norm, lr)
  }

  /// Mean validation loss (nats per token) over the scored positions of every window.
  public func validationLoss() -> Double {
    let T = model.context
    let W = T + 1
    let B = train.batch
    let skip = text.validationSkip
    var total = 0.0
    var count = 0
    var w = 0
    while w < text.validationWindowCount {
      let b = min(B, text.validationWindowCount - w)
      text.validation.withUnsafeBufferPointer { val in
        for i in 0..<b {
          let window = (w + i) * W
          for t in 0..<T {
            net.inputs[i * T + t] = Int32(val[window + t])
            net.targets[i * T + t] = Int32(val[window + t + 1])
          }
        }
      }
      net.forward(B: b)
      let losses = net.losses
      for i in 0..<b {
        for t in skip..<T {
          total += Double(losses[i * T + t])
          count += 1
        }
      }
      w += b
    }
    return total / Double(count)
  }

  /// Sample entropy of the scored validation bytes under the true model (synthetic only).
  public func validationSampleEntropy() -> Double? { text.validationSampleEntropy() }

  /// Runs to completion; `onProgress` is called every step (cheap) and at each eval; returning
  /// false stops the run as `.interrupted` with everything measured so far.
  public func run(onProgress: (TrainProgress) -> Bool) -> TrainResult {
    let start = Date()
    let tokensPerStep = train.batch * model.context
    var curve: [LossPoint] = []
    curve.reserveCapacity(min(steps, 100_000))
    var status = RunStatus.finished
    var divergedAt: Int? = nil
    var reason: String? = nil
    var monitor = DivergenceRule.Monitor(vocab: model.vocab)
    var trainSeconds = 0.0
    var tokens = 0
    for s in 0..<steps {
      let t0 = Date()
      let (loss, norm, lr) = step()
      trainSeconds += Date().timeIntervalSince(t0)
      guard loss.isFinite, norm.isFinite else {
        status = .diverged
        divergedAt = s + 1
        reason = "the loss or gradient norm of step \(s + 1) is not finite"
        break
      }
      tokens += tokensPerStep
      let isEval = (s + 1) % train.evalEvery == 0 || s == steps - 1
      var validation: Double? = nil
      if isEval {
        let v = validationLoss()
        validation = v
        if !v.isFinite {
          status = .diverged
          divergedAt = s + 1
          reason = "the validation loss after step \(s + 1) is not finite"
        }
      }
      if status != .diverged,
        let why = monitor.observe(
          step: s + 1, trainLoss: loss, validationLoss: validation.flatMap { $0.isFinite ? $0 : nil })
      {
        status = .diverged
        divergedAt = s + 1
        reason = why
      }
      curve.append(
        LossPoint(
          step: s + 1, tokens: tokens, trainLoss: loss,
          validationLoss: validation.flatMap { $0.isFinite ? $0 : nil }, learningRate: lr,
          elapsedSeconds: Date().timeIntervalSince(start)))
      if status == .diverged { break }
      let progress = TrainProgress(
        step: s + 1, steps: steps, tokens: tokens, trainLoss: loss, validationLoss: validation,
        tokensPerSecond: Double(tokens) / max(trainSeconds, 1e-9), isEval: isEval)
      if !onProgress(progress) {
        status = .interrupted
        break
      }
    }
    let finiteValidation = curve.last(where: { $0.validationLoss != nil })?.validationLoss
    return TrainResult(
      status: status, curve: curve, finalTrainLoss: curve.last?.trainLoss,
      finalValidationLoss: finiteValidation, nonEmbeddingParams: model.nonEmbeddingParams,
      totalParams: model.totalParams, flops: model.trainingFLOPsPerToken * Double(tokens),
      tokensTrained: tokens, wallSeconds: Date().timeIntervalSince(start),
      tokensPerSecond: Double(tokens) / max(trainSeconds, 1e-9), corpusEntropy: corpusEntropy,
      validationSampleEntropy: text.validationSampleEntropy(), divergedAtStep: divergedAt,
      divergenceReason: reason)
  }
}
