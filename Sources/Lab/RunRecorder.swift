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

/// Turns SIGINT (Ctrl-C) and SIGTERM (`kill`, a scheduler's stop) into a `StopFlag`: the first
/// signal asks the trainer to stop after its current step, so the run is stored `interrupted`
/// with everything it measured and a sweep resumes it later; a second signal exits at once with
/// 128 + the signal's number (the database stays consistent — the run is left `running`).
/// One instance at a time per process; `cancel()` restores the default handlers. (Unchecked
/// Sendable: the dispatch sources are set up in `init` and only cancelled afterwards, and
/// libdispatch sources are thread-safe.)
public final class StopSignals: @unchecked Sendable {
  /// Set by the first signal.
  public let flag: StopFlag
  private let sources: [any DispatchSourceSignal]
  private let received: LastSignal

  private final class LastSignal: Sendable {
    let value = Atomic<Int32>(0)
  }

  /// Starts watching SIGINT and SIGTERM; `notice` gets one line for the user when one arrives.
  public init(notice: @escaping @Sendable (String) -> Void = { _ in }) {
    var sources: [any DispatchSourceSignal] = []
    let flag = StopFlag()
    let received = LastSignal()
    for (sig, name) in [(SIGINT, "Interrupted"), (SIGTERM, "Terminated (SIGTERM)")] {
      Foundation.signal(sig, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
      source.setEventHandler {
        if flag.isStopped { _exit(128 + sig) }
        received.value.store(sig, ordering: .relaxed)
        flag.stop()
        notice("\(name): stopping after the current step (send it again to quit now).")
      }
      source.resume()
      sources.append(source)
    }
    self.sources = sources
    self.flag = flag
    self.received = received
  }

  /// The first signal received (SIGINT or SIGTERM), or nil.
  public var signal: Int32? {
    let s = received.value.load(ordering: .relaxed)
    return s == 0 ? nil : s
  }

  /// The exit status a stopped command returns: 128 + the signal (130 for Ctrl-C, 143 for
  /// SIGTERM), as a shell reports a process ended by that signal.
  public var exitStatus: Int32 { 128 + (signal ?? SIGINT) }

  /// Stops watching and restores the default SIGINT and SIGTERM behaviour.
  public func cancel() {
    for s in sources { s.cancel() }
    Foundation.signal(SIGINT, SIG_DFL)
    Foundation.signal(SIGTERM, SIG_DFL)
  }
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
    _ request: RunRequest, store: RunDatabase, sweepId: Int64? = nil, sweepSlot: Int? = nil,
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
    if result.status == .diverged, let reason = result.divergenceReason {
      record.notes = [notes, "diverged: " + reason].compactMap { $0 }.joined(separator: "; ")
    }
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
