// `train`: one MiniGPT run, recorded in the run store as it happens (Lab's `RunRecorder`). The
// request names the model and the run; the engine applies the defaults (the peak learning rate
// from the law fitted to data/learning-rate-scan.csv, `LearningRateTable`), reports progress
// through a callback a face can show live, and returns the stored run with its explanation
// (Kaplan et al. 2020 for the counts, `RunExplanation`).

import Foundation
import Lab
import MiniGPT
import Planner
import RunStore

/// One training run. Every value left out takes the engine's default (`TrainRequest.Defaults`).
public struct TrainRequest: Codable, Sendable, Equatable {
  /// Transformer blocks (`--layers`).
  public var layers: Int?
  /// Model width (`--d-model`).
  public var dModel: Int?
  /// Attention heads; must divide the width (`--heads`).
  public var heads: Int?
  /// Context length in tokens (`--ctx`).
  public var context: Int?
  /// Sequences per step (`--batch`).
  public var batch: Int?
  /// Training tokens, rounded down to whole steps (`--tokens`).
  public var tokens: Double?
  /// Seed of the initialisation and the training stream (`--seed`).
  public var seed: UInt64?
  /// Peak learning rate (`--lr`); without it, the fitted per-size law.
  public var learningRate: Double?
  /// Worker threads, 1 or 2; results are identical (`--threads`).
  public var threads: Int?
  /// Validation every N steps and at the last step (`--eval-every`).
  public var evalEvery: Int?
  /// Validation windows per evaluation (`--eval-windows`).
  public var evalWindows: Int?
  /// A note stored with the run (`--notes`).
  public var notes: String?
  /// The training text (`--corpus`, `--synthetic-zipf`, `--lexicon`, `--corpus-seed`).
  public var corpus: CorpusSpec?

  enum CodingKeys: String, CodingKey {
    case layers, heads, context, batch, tokens, seed, threads, notes, corpus
    case dModel = "d_model"
    case learningRate = "learning_rate"
    case evalEvery = "eval_every"
    case evalWindows = "eval_windows"
  }

  /// Creates a request; every value left out takes the engine's default.
  public init(
    layers: Int? = nil, dModel: Int? = nil, heads: Int? = nil, context: Int? = nil,
    batch: Int? = nil, tokens: Double? = nil, seed: UInt64? = nil, learningRate: Double? = nil,
    threads: Int? = nil, evalEvery: Int? = nil, evalWindows: Int? = nil, notes: String? = nil,
    corpus: CorpusSpec? = nil
  ) {
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.context = context
    self.batch = batch
    self.tokens = tokens
    self.seed = seed
    self.learningRate = learningRate
    self.threads = threads
    self.evalEvery = evalEvery
    self.evalWindows = evalWindows
    self.notes = notes
    self.corpus = corpus
  }

  /// The defaults: the smallest configuration of the bench (2×64, ctx 64, batch 32) and the
  /// synthetic corpus's recommended lexicon (10,000 words, exponent 1.5).
  public enum Defaults {
    public static let layers = 2
    public static let dModel = 64
    public static let heads = 4
    public static let context = 64
    public static let batch = 32
    public static let tokens = 2e6
    public static let seed: UInt64 = 1
    public static let evalEvery = 100
    public static let evalWindows = 256
    public static let corpus = CorpusSpec.synthetic(lexiconSize: 10_000, zipfExponent: 1.5, seed: 0)
    /// Two workers where the machine has two cores, else one.
    public static var threads: Int { min(2, max(1, ProcessInfo.processInfo.activeProcessorCount)) }
  }

  /// Largest `--tokens`: a trillion tokens is years for this CPU trainer.
  public static let maximumTokens = 1e12
  /// Largest `--eval-windows`. Each window holds ctx + 1 bytes of validation text and is scored
  /// at every evaluation: a million windows of the default ctx 64 is 65 MB and a forward pass
  /// over 65 million tokens per evaluation, 4,000× the default of 256.
  public static let maximumEvalWindows = 1_000_000
  /// Largest validation text, windows × (ctx + 1) bytes: 256 MiB.
  public static let maximumValidationBytes = 1 << 28
  /// Largest layers, width, context and batch: far beyond what MiniGPT can train (it refuses
  /// N ≥ 2^30), and small enough that no shape product overflows.
  public static let maximumShape = (layers: 1_000, dModel: 65_536, context: 65_536, batch: 65_536)

  /// Checks every field and combination before anything is allocated.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    func invalid(_ s: String) -> RequestError { .invalid(s) }
    let (layers, d, heads, ctx, batch) = (
      self.layers ?? Defaults.layers, dModel ?? Defaults.dModel, self.heads ?? Defaults.heads,
      context ?? Defaults.context, self.batch ?? Defaults.batch
    )
    let cap = Self.maximumShape
    guard (1...cap.layers).contains(layers) else {
      throw invalid("--layers must be from 1 to 1,000, not \(layers).")
    }
    guard (1...cap.dModel).contains(d) else {
      throw invalid("--d-model must be from 1 to 65,536, not \(d).")
    }
    guard (1...d).contains(heads), d % heads == 0 else {
      throw invalid("--heads \(heads) does not divide --d-model \(d); choose heads that divide it.")
    }
    guard (2...cap.context).contains(ctx) else {
      throw invalid("--ctx must be from 2 to 65,536 tokens, not \(ctx).")
    }
    guard (1...cap.batch).contains(batch) else {
      throw invalid("--batch must be from 1 to 65,536 sequences, not \(batch).")
    }
    let tokens = self.tokens ?? Defaults.tokens
    guard tokens.isFinite, tokens > 0 else {
      throw invalid("--tokens must be a positive number of tokens, not \(tokens).")
    }
    guard tokens < Self.maximumTokens else {
      throw invalid(
        "--tokens \(Format.si(tokens)) is far beyond what this CPU trainer can do; use at most 1T.")
    }
    guard tokens >= Double(batch * ctx) else {
      throw invalid(
        "--tokens \(Format.si(tokens)) is less than one step of \(batch * ctx) tokens "
          + "(batch × ctx); raise it.")
    }
    let threads = self.threads ?? Defaults.threads
    guard (1...2).contains(threads) else {
      throw invalid("--threads must be 1 or 2, got \(threads).")
    }
    if let lr = learningRate, !(lr.isFinite && lr > 0) {
      throw invalid("--lr must be a positive number such as 1e-3, not \(lr).")
    }
    let every = evalEvery ?? Defaults.evalEvery
    guard every >= 1 else { throw invalid("--eval-every must be at least 1 step, not \(every).") }
    let windows = evalWindows ?? Defaults.evalWindows
    guard (1...Self.maximumEvalWindows).contains(windows) else {
      throw invalid(
        "--eval-windows must be from 1 to 1,000,000 windows, not \(windows); the default 256 "
          + "already gives a stable validation loss.")
    }
    guard windows * (ctx + 1) <= Self.maximumValidationBytes else {
      throw invalid(
        "--eval-windows \(windows) × (--ctx \(ctx) + 1) bytes is more than 256 MiB of "
          + "validation text; lower --eval-windows.")
    }
    if case .synthetic(let k, let s, _)? = corpus {
      guard s.isFinite, s > 0 else {
        throw invalid("--synthetic-zipf must be a positive exponent such as 1.5, got \(s).")
      }
      guard (2...1_000_000).contains(k) else {
        throw invalid("--lexicon must be from 2 to 1,000,000 words, got \(k).")
      }
    }
    if case .file(let path)? = corpus {
      // Checked before a run is recorded, so a missing file leaves nothing behind.
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
        !isDirectory.boolValue, FileManager.default.isReadableFile(atPath: path)
      else {
        throw invalid(
          "Cannot read corpus file '\(path)': no readable file there; check the path and permissions.")
      }
    }
    do {
      try model().validate()
    } catch let e as MiniGPTError {
      throw invalid(e.description)
    }
  }

  /// The model these fields describe (defaults applied).
  func model() -> GPTConfig {
    GPTConfig(
      layers: layers ?? Defaults.layers, dModel: dModel ?? Defaults.dModel,
      heads: heads ?? Defaults.heads, context: context ?? Defaults.context)
  }
}

/// A run about to start: its shape, length and learning rate, with where the rate came from.
public struct TrainSetup: Codable, Sendable, Equatable {
  public var layers: Int
  public var dModel: Int
  public var heads: Int
  public var context: Int
  public var batch: Int
  /// Non-embedding parameters N.
  public var nonEmbeddingParams: Int
  /// Optimiser steps (tokens rounded down to whole steps).
  public var steps: Int
  /// Tokens per step, batch × ctx.
  public var tokensPerStep: Int
  /// Peak learning rate.
  public var learningRate: Double
  /// `--lr`, or the learning-rate law and where N falls in its scan.
  public var learningRateSource: String
  public var threads: Int
  /// The tokens asked for, before rounding to whole steps.
  public var requestedTokens: Double

  enum CodingKeys: String, CodingKey {
    case layers, heads, context, batch, steps, threads
    case dModel = "d_model"
    case nonEmbeddingParams = "non_embedding_params"
    case tokensPerStep = "tokens_per_step"
    case learningRate = "learning_rate"
    case learningRateSource = "learning_rate_source"
    case requestedTokens = "requested_tokens"
  }
}

/// Progress after one step of a run.
public struct TrainUpdate: Codable, Sendable, Equatable {
  /// Steps done (1 after the first).
  public var step: Int
  public var steps: Int
  /// Throughput so far.
  public var tokensPerSecond: Double
  /// Training loss of this step, nats per byte.
  public var trainLoss: Double
  /// The latest validation loss, if one was measured yet.
  public var validationLoss: Double?
  /// Time left at the current throughput.
  public var secondsRemaining: Double

  enum CodingKeys: String, CodingKey {
    case step, steps
    case tokensPerSecond = "tokens_per_second"
    case trainLoss = "train_loss"
    case validationLoss = "validation_loss"
    case secondsRemaining = "seconds_remaining"
  }
}

/// What a training run reports while it runs.
public enum TrainEvent: Sendable, Equatable {
  /// The run is stored and its first step is done.
  case started(TrainSetup)
  /// One more step is done.
  case step(TrainUpdate)
}

/// The stored run. Its JSON is the run's export fields (the keys of `runs export`, as
/// `train --json` always printed them) plus `steps`, `learning_rate_source`, `warnings` and, when
/// asked for, `explanation`.
public struct TrainResult: Codable, Sendable, Explained {
  /// The run as stored (with its id).
  public var run: RunRecord
  /// Optimiser steps planned.
  public var steps: Int
  /// Where the peak learning rate came from.
  public var learningRateSource: String
  /// Sentences about how the run ended (interrupted, diverged).
  public var warnings: [String]
  /// N, F_K, steps, D, C, learning rate, schedule and validation loss, with their sources.
  public var explanation: Explanation?

  /// Creates a result.
  public init(
    run: RunRecord, steps: Int, learningRateSource: String, warnings: [String],
    explanation: Explanation?
  ) {
    self.run = run
    self.steps = steps
    self.learningRateSource = learningRateSource
    self.warnings = warnings
    self.explanation = explanation
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for f in RunInterchange.fields(of: run) { try c.encode(f.value, forKey: Key(f.name)) }
    try c.encode(steps, forKey: Key("steps"))
    try c.encode(learningRateSource, forKey: Key("learning_rate_source"))
    try c.encode(warnings, forKey: Key("warnings"))
    try c.encodeIfPresent(explanation, forKey: Key("explanation"))
  }

  /// Reads a result back from its JSON (the run through `RunInterchange.record(from:)`).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: Key.self)
    var cells: [String: String] = [:]
    var values: [String: FieldValue] = [:]
    for name in RunInterchange.fieldNames {
      let v = try c.decodeIfPresent(FieldValue.self, forKey: Key(name)) ?? .null
      values[name] = v
      if v != .null { cells[name] = v.cellText }
    }
    var run = try RunInterchange.record(
      from: cells, createdAt: Date(timeIntervalSince1970: 0), source: nil)
    if case .int(let id)? = values["id"] { run.id = id }
    if case .int(let id)? = values["sweep_id"] { run.sweepId = id }
    if case .int(let slot)? = values["sweep_slot"] { run.sweepSlot = Int(slot) }
    self.run = run
    steps = try c.decode(Int.self, forKey: Key("steps"))
    learningRateSource = try c.decode(String.self, forKey: Key("learning_rate_source"))
    warnings = try c.decode([String].self, forKey: Key("warnings"))
    explanation = try c.decodeIfPresent(Explanation.self, forKey: Key("explanation"))
  }

  /// Wall time in words ("1h02m", "3m05s", "12s").
  public var wallTimeText: String? { run.wallSeconds.map(TrainText.duration) }
}

/// Text helpers for training runs.
public enum TrainText {
  /// Seconds as "1h02m", "3m05s" or "12s" ("?" when not finite).
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e15 else { return "?" }
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
  }
}

extension Engine {
  /// The run a request describes, defaults applied, without training it.
  /// - Throws: `RequestError.invalid` for a bad request.
  public func trainSetup(_ request: TrainRequest) throws -> TrainSetup {
    try request.validate()
    let model = request.model()
    let d = TrainRequest.Defaults.self
    let (lr, source) =
      request.learningRate.map { ($0, LearningRateTable.givenSource) }
      ?? LearningRateTable.syntheticCorpus.rateWithSource(params: Double(model.nonEmbeddingParams))
    let batch = request.batch ?? d.batch
    let tokens = request.tokens ?? d.tokens
    let config = trainConfig(request, learningRate: lr)
    return TrainSetup(
      layers: model.layers, dModel: model.dModel, heads: model.heads, context: model.context,
      batch: batch, nonEmbeddingParams: model.nonEmbeddingParams,
      steps: config.steps(context: model.context), tokensPerStep: batch * model.context,
      learningRate: lr, learningRateSource: source, threads: config.threads,
      requestedTokens: tokens)
  }

  /// Trains one run and records it in the run database (`databasePath`, or the default).
  ///
  /// - Parameters:
  ///   - stop: checked after every step; when set the run ends `interrupted` and everything
  ///     measured so far is kept.
  ///   - now: the clock for the run's creation time.
  ///   - progress: called on the training thread after the first step with `.started` and after
  ///     every step with `.step`.
  /// - Returns: the stored run; `warnings` says when it was interrupted or diverged.
  /// - Throws: `RequestError.invalid` for a bad request, `MiniGPTError` for an unreadable corpus,
  ///   `RunStoreError` if the database fails.
  public func train(
    _ request: TrainRequest, stop: StopFlag = StopFlag(), now: () -> Date = Date.init,
    progress: (TrainEvent) -> Void = { _ in }
  ) throws -> TrainResult {
    let setup = try trainSetup(request)
    let model = request.model()
    let train = trainConfig(request, learningRate: setup.learningRate)
    try train.validate()
    do {
      try MemoryBudget.check(model: model, batch: train.batch, evalWindows: train.evalWindows)
    } catch let e as MiniGPTError {
      throw RequestError.invalid(e.description)
    }
    let corpus = request.corpus ?? TrainRequest.Defaults.corpus
    let store = try RunDatabase(path: databasePath ?? RunDatabase.defaultPath())
    var lastValidation: Double? = nil
    let record = try RunRecorder.train(
      RunRequest(model: model, train: train, corpus: corpus), store: store, now: now, stop: stop,
      notes: request.notes
    ) { p in
      if p.step == 1 { progress(.started(setup)) }
      if let v = p.validationLoss { lastValidation = v }
      let remaining =
        Double((p.steps - p.step) * setup.tokensPerStep) / max(p.tokensPerSecond, 1)
      progress(
        .step(
          TrainUpdate(
            step: p.step, steps: p.steps, tokensPerSecond: p.tokensPerSecond,
            trainLoss: p.trainLoss, validationLoss: lastValidation,
            secondsRemaining: remaining)))
    }
    var warnings: [String] = []
    switch record.status {
    case .interrupted:
      warnings.append("Run \(record.id ?? 0) was interrupted; what it measured is stored.")
    case .diverged:
      warnings.append(
        "Run \(record.id ?? 0) diverged at step \(record.divergedAtStep ?? 0); try a lower --lr.")
    case .finished, .running:
      break
    }
    let explanation = RunExplanation.explain(
      model: model, train: train, requestedTokens: setup.requestedTokens,
      learningRateSource: setup.learningRateSource, corpus: corpus)
    return TrainResult(
      run: record, steps: setup.steps, learningRateSource: setup.learningRateSource,
      warnings: warnings, explanation: explanation)
  }

  /// The trainer's settings for a validated request.
  private func trainConfig(_ r: TrainRequest, learningRate: Double) -> TrainConfig {
    let d = TrainRequest.Defaults.self
    // Validated: tokens is finite, positive and below 1e12, so the conversion cannot trap.
    return TrainConfig(
      batch: r.batch ?? d.batch, tokens: Int(r.tokens ?? d.tokens), learningRate: learningRate,
      evalEvery: r.evalEvery ?? d.evalEvery, evalWindows: r.evalWindows ?? d.evalWindows,
      seed: r.seed ?? d.seed, threads: r.threads ?? d.threads)
  }
}
