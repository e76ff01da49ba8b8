// One training run recorded as it happens: the run row is inserted as `running` before the first
// step, loss points are written in batched transactions while training (so a SIGKILL loses at
// most the last batch and leaves the row `running`), and the final row and full curve replace the
// partial ones in one transaction when the trainer returns.

import Foundation
import MiniGPT
import RunStore
import Synchronization

/// The program version recorded with every run.
public enum SoftwareVersion {
  /// "scaleplan" plus the version.
  public static let current = "scaleplan 0.1.0"
}

/// A flag another thread (a SIGINT handler) sets to stop training; runs end `interrupted`.
public final class StopFlag: Sendable {
  private let flag = Atomic<Bool>(false)
  /// Creates a cleared flag.
  public init() {}
  /// Asks every run watching this flag to stop after its current step.
  public func stop() { flag.store(true, ordering: .relaxed) }
  /// Whether `stop()` was called.
  public var isStopped: Bool { flag.load(ordering: .relaxed) }
}

/// What to train.
public struct RunRequest: Sendable, Equatable {
  public var model: GPTConfig
  public var train: TrainConfig
  public var corpus: CorpusSpec

  /// Creates a request.
  public init(model: GPTConfig, train: TrainConfig, corpus: CorpusSpec) {
    self.model = model
    self.train = train
    self.corpus = corpus
  }
}

/// Trains runs and records them in a `RunStore`.
public enum RunRecorder {
  /// Loss points are flushed when this many are buffered, at every evaluation, or after
  /// `flushSeconds`, whichever comes first.
  public static let flushPoints = 200
  /// See `flushPoints`.
  public static let flushSeconds = 1.0

  /// Trains `request`, recording the run (inserted as `running`, points streamed, final state).
  /// - Parameters:
  ///   - sweepId, sweepSlot: the sweep link, if the run belongs to one.
  ///   - now: the clock for `createdAt` (pass a fixed date in tests).
  ///   - stop: checked after every step; when set the run ends `interrupted`.
  ///   - notes: free text stored with the run.
  ///   - onProgress: called after every step with the trainer's progress.
  /// - Returns: the stored record (with its id).
  /// - Throws: `MiniGPTError` for a bad configuration or corpus (nothing is stored then), or
  ///   `RunStoreError` if the database fails.
  public static func train(
    _ request: RunRequest, store: RunStore, sweepId: Int64? = nil, sweepSlot: Int? = nil,
    now: () -> Date = Date.init, stop: StopFlag = StopFlag(), notes: String? = nil,
    onProgress: (TrainProgress) -> Void = { _ in }
  ) throws -> RunRecord {
    let trainer = try Trainer(model: request.model, train: request.train, corpus: request.corpus)
    let plannedTokens = trainer.steps * request.train.batch * request.model.context
    var record = RunRecord(
      sweepId: sweepId, sweepSlot: sweepSlot, createdAt: now(), status: .running,
      model: shape(request.model), training: settings(request.train),
      corpus: description(request.corpus),
      nonEmbeddingParams: Double(request.model.nonEmbeddingParams),
      totalParams: Double(request.model.totalParams), tokensTrained: Double(plannedTokens),
      flops: request.model.trainingFLOPsPerToken * Double(plannedTokens),
      corpusEntropy: trainer.corpusEntropy, softwareVersion: SoftwareVersion.current, notes: notes)
    let id = try store.insertRun(record)
    record.id = id

    let schedule = LearningRateSchedule(
      peak: request.train.learningRate,
      warmup: request.train.resolvedWarmup(steps: trainer.steps), steps: trainer.steps,
      minFraction: request.train.minLRFraction)
    let start = Date()
    var lastFlush = start
    var buffer: [StoredLossPoint] = []
    var storeError: (any Error)? = nil
    let result = trainer.run { p in
      buffer.append(
        StoredLossPoint(
          step: p.step, tokens: p.tokens, trainLoss: p.trainLoss, validationLoss: p.validationLoss,
          learningRate: schedule.rate(at: p.step - 1),
          elapsedSeconds: Date().timeIntervalSince(start)))
      let due =
        buffer.count >= flushPoints || p.isEval
        || Date().timeIntervalSince(lastFlush) >= flushSeconds
      if due {
        do {
          try store.appendLossPoints(buffer, runId: id)
          buffer.removeAll(keepingCapacity: true)
          lastFlush = Date()
        } catch {
          storeError = error
          return false
        }
      }
      onProgress(p)
      return !stop.isStopped
    }
    record.status = state(result.status)
    record.tokensTrained = Double(result.tokensTrained)
    record.flops = result.flops
    record.finalTrainLoss = result.finalTrainLoss
    record.finalValidationLoss = result.finalValidationLoss
    record.corpusEntropy = result.corpusEntropy
    record.validationSampleEntropy = result.validationSampleEntropy
    record.wallSeconds = result.wallSeconds
    record.tokensPerSecond = result.tokensPerSecond
    record.divergedAtStep = result.divergedAtStep
    // The trainer's curve is authoritative (same steps, exact elapsed times): replace the streamed
    // points with it in the same transaction as the final row.
    try store.updateRun(record, curve: result.curve.map(point))
    if let storeError { throw storeError }
    return record
  }

  /// The stored form of a MiniGPT loss point.
  public static func point(_ p: LossPoint) -> StoredLossPoint {
    StoredLossPoint(
      step: p.step, tokens: p.tokens, trainLoss: p.trainLoss, validationLoss: p.validationLoss,
      learningRate: p.learningRate, elapsedSeconds: p.elapsedSeconds)
  }

  /// The stored form of a model shape.
  public static func shape(_ m: GPTConfig) -> ModelShape {
    ModelShape(
      layers: m.layers, dModel: m.dModel, heads: m.heads, context: m.context, vocab: m.vocab)
  }

  /// The stored form of training settings.
  public static func settings(_ t: TrainConfig) -> TrainingSettings {
    TrainingSettings(
      batch: t.batch, tokens: t.tokens, learningRate: t.learningRate, weightDecay: t.weightDecay,
      beta1: t.beta1, beta2: t.beta2, gradClip: t.gradClip, warmupSteps: t.warmupSteps,
      minLRFraction: t.minLRFraction, evalEvery: t.evalEvery, evalWindows: t.evalWindows,
      seed: t.seed, threads: t.threads)
  }

  /// The stored form of a corpus.
  public static func description(_ c: CorpusSpec) -> CorpusDescription {
    switch c {
    case .synthetic(let k, let s, let seed):
      return .synthetic(lexiconSize: k, zipfExponent: s, seed: seed)
    case .file(let path):
      return .file(path: path)
    }
  }

  static func state(_ s: RunStatus) -> RunState {
    switch s {
    case .finished: return .finished
    case .diverged: return .diverged
    case .interrupted: return .interrupted
    }
  }
}
