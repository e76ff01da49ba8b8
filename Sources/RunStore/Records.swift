// Plain value types stored by `RunDatabase`. None of them mentions GRDB, so the storage engine can
// be swapped for a thin wrapper over the system SQLite without touching callers. Every value a
// caller measures (timestamps included) is passed in, so tests stay deterministic.

import Fitting
import Foundation

/// Where a training run stands: `running` until the trainer returns, then one of the others.
public enum RunState: String, Sendable, Codable, CaseIterable {
  case running, finished, diverged, interrupted
}

/// The shape of the transformer a run trained (MiniGPT's `GPTConfig`, without the dependency).
public struct ModelShape: Sendable, Equatable, Codable {
  /// Transformer blocks.
  public var layers: Int
  /// Residual stream width.
  public var dModel: Int
  /// Attention heads.
  public var heads: Int
  /// Context length in tokens.
  public var context: Int
  /// Vocabulary size (256 for bytes).
  public var vocab: Int

  /// Creates a shape.
  public init(layers: Int, dModel: Int, heads: Int, context: Int, vocab: Int = 256) {
    self.layers = layers
    self.dModel = dModel
    self.heads = heads
    self.context = context
    self.vocab = vocab
  }
}

/// Optimiser and run-length settings of a run (MiniGPT's `TrainConfig`, without the dependency).
public struct TrainingSettings: Sendable, Equatable, Codable {
  /// Sequences per optimiser step.
  public var batch: Int
  /// Training tokens requested (the trainer rounds down to whole steps).
  public var tokens: Int
  /// Peak learning rate.
  public var learningRate: Double
  /// AdamW decoupled weight decay.
  public var weightDecay: Double
  /// AdamW first-moment decay.
  public var beta1: Double
  /// AdamW second-moment decay.
  public var beta2: Double
  /// Global gradient-norm clip (≤ 0: none).
  public var gradClip: Double
  /// Warm-up steps, nil when the trainer's default rule was used.
  public var warmupSteps: Int?
  /// Final learning rate as a fraction of the peak.
  public var minLRFraction: Double
  /// Validation every this many steps.
  public var evalEvery: Int
  /// Validation windows per evaluation.
  public var evalWindows: Int
  /// Seed for initialisation and the training stream.
  public var seed: UInt64
  /// Worker threads (results do not depend on it).
  public var threads: Int

  /// Creates settings; the defaults are MiniGPT's.
  public init(
    batch: Int, tokens: Int, learningRate: Double, weightDecay: Double = 0.1, beta1: Double = 0.9,
    beta2: Double = 0.95, gradClip: Double = 1.0, warmupSteps: Int? = nil,
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
}

/// The text a run trained on.
public enum CorpusDescription: Sendable, Equatable, Codable {
  /// The seeded Zipf-lexicon corpus (data/synthetic-corpus.md): K words, exponent s, seed.
  case synthetic(lexiconSize: Int, zipfExponent: Double, seed: UInt64)
  /// The bytes of a file.
  case file(path: String)
}

/// One stored training run: configuration, outcome and measurements.
///
/// Runs trained here fill every field; runs imported from other trainers usually carry only the
/// parameter count, the token count and a final loss (the other fields are nil).
public struct RunRecord: Sendable, Equatable {
  /// Row id; nil until inserted.
  public var id: Int64?
  /// The sweep this run belongs to, if any.
  public var sweepId: Int64?
  /// Position of the run's configuration in its sweep's plan (0-based), if in a sweep.
  public var sweepSlot: Int?
  /// When the run was created (stored with millisecond precision).
  public var createdAt: Date
  /// How the run stands or ended.
  public var status: RunState
  /// The model's shape (nil for imported runs that do not say).
  public var model: ModelShape?
  /// Optimiser settings (nil for imported runs that do not say).
  public var training: TrainingSettings?
  /// The corpus (nil for imported runs that do not say).
  public var corpus: CorpusDescription?
  /// N: non-embedding parameters (Kaplan et al. 2020 §2.1).
  public var nonEmbeddingParams: Double
  /// All parameters, embeddings included.
  public var totalParams: Double?
  /// D: tokens trained so far (the planned count until the run ends).
  public var tokensTrained: Double
  /// Training FLOPs spent.
  public var flops: Double?
  /// Training loss of the last step, nats per token.
  public var finalTrainLoss: Double?
  /// Last validation loss, nats per token.
  public var finalValidationLoss: Double?
  /// Exact entropy rate of the corpus, nats per token (synthetic corpora only).
  public var corpusEntropy: Double?
  /// Sample entropy of the scored validation tokens under the true model (synthetic only).
  public var validationSampleEntropy: Double?
  /// Wall-clock seconds of the run.
  public var wallSeconds: Double?
  /// Training throughput, tokens per second.
  public var tokensPerSecond: Double?
  /// The program that produced the run (e.g. "scaleplan 0.1.0").
  public var softwareVersion: String?
  /// The 1-based step whose loss was not finite, for diverged runs.
  public var divergedAtStep: Int?
  /// Where an imported run came from (file name or trainer); nil for runs trained here.
  public var source: String?
  /// Free text.
  public var notes: String?

  /// Creates a record; only the counts, the state and the time are required.
  public init(
    id: Int64? = nil, sweepId: Int64? = nil, sweepSlot: Int? = nil, createdAt: Date,
    status: RunState, model: ModelShape? = nil, training: TrainingSettings? = nil,
    corpus: CorpusDescription? = nil, nonEmbeddingParams: Double, totalParams: Double? = nil,
    tokensTrained: Double, flops: Double? = nil, finalTrainLoss: Double? = nil,
    finalValidationLoss: Double? = nil, corpusEntropy: Double? = nil,
    validationSampleEntropy: Double? = nil, wallSeconds: Double? = nil,
    tokensPerSecond: Double? = nil, softwareVersion: String? = nil, divergedAtStep: Int? = nil,
    source: String? = nil, notes: String? = nil
  ) {
    self.id = id
    self.sweepId = sweepId
    self.sweepSlot = sweepSlot
    self.createdAt = createdAt
    self.status = status
    self.model = model
    self.training = training
    self.corpus = corpus
    self.nonEmbeddingParams = nonEmbeddingParams
    self.totalParams = totalParams
    self.tokensTrained = tokensTrained
    self.flops = flops
    self.finalTrainLoss = finalTrainLoss
    self.finalValidationLoss = finalValidationLoss
    self.corpusEntropy = corpusEntropy
    self.validationSampleEntropy = validationSampleEntropy
    self.wallSeconds = wallSeconds
    self.tokensPerSecond = tokensPerSecond
    self.softwareVersion = softwareVersion
    self.divergedAtStep = divergedAtStep
    self.source = source
    self.notes = notes
  }

  /// The loss a fit should use: the final validation loss, else the final training loss.
  public var finalLoss: Double? { finalValidationLoss ?? finalTrainLoss }

  /// Training FLOPs per token (`flops / tokensTrained`), to put loss-curve points on a FLOP axis.
  public var flopsPerToken: Double? {
    guard let flops, tokensTrained > 0 else { return nil }
    return flops / tokensTrained
  }
}

/// One point of a stored loss curve.
public struct StoredLossPoint: Sendable, Equatable, Codable {
  /// Optimiser steps done (1 after the first step).
  public var step: Int
  /// Training tokens consumed so far.
  public var tokens: Int
  /// Training loss of this step's batch, nats per token.
  public var trainLoss: Double
  /// Validation loss after this step, at evaluation steps only.
  public var validationLoss: Double?
  /// Learning rate used for this step.
  public var learningRate: Double
  /// Seconds since the run started.
  public var elapsedSeconds: Double

  /// Creates a point.
  public init(
    step: Int, tokens: Int, trainLoss: Double, validationLoss: Double? = nil,
    learningRate: Double, elapsedSeconds: Double
  ) {
    self.step = step
    self.tokens = tokens
    self.trainLoss = trainLoss
    self.validationLoss = validationLoss
    self.learningRate = learningRate
    self.elapsedSeconds = elapsedSeconds
  }
}

/// How a sweep stands.
public enum SweepState: String, Sendable, Codable, CaseIterable {
  case running, finished, interrupted
}

/// A stored sweep: a named plan whose runs point back at it.
public struct SweepRecord: Sendable, Equatable {
  /// Row id; nil until inserted.
  public var id: Int64?
  /// Unique name; re-running a sweep of the same name resumes it.
  public var name: String
  /// "isoflop", "grid" or "preset".
  public var kind: String
  /// The plan's specification as JSON text (enough to rebuild every configuration).
  public var spec: String
  /// When the sweep was first created.
  public var createdAt: Date
  /// How the sweep stands.
  public var status: SweepState

  /// Creates a record.
  public init(
    id: Int64? = nil, name: String, kind: String, spec: String, createdAt: Date,
    status: SweepState = .running
  ) {
    self.id = id
    self.name = name
    self.kind = kind
    self.spec = spec
    self.createdAt = createdAt
    self.status = status
  }
}

/// A stored fit: which approach, on which sweep, with its parameters as JSON text.
public struct FitRecord: Sendable, Equatable {
  /// Row id; nil until inserted.
  public var id: Int64?
  /// The sweep the fitted runs came from, if any.
  public var sweepId: Int64?
  /// "approach1", "approach2", "approach3", … (the fitter's name for it).
  public var approach: String
  /// The fitted parameters and diagnostics as JSON text.
  public var params: String
  /// When the fit was made.
  public var createdAt: Date

  /// Creates a record.
  public init(
    id: Int64? = nil, sweepId: Int64? = nil, approach: String, params: String, createdAt: Date
  ) {
    self.id = id
    self.sweepId = sweepId
    self.approach = approach
    self.params = params
    self.createdAt = createdAt
  }
}

/// A fitted loss law L(N, D) = E + A/N^α + B/D^β saved under a name (Hoffmann et al. 2022,
/// eq. 2), with its uncertainty and where it came from, so `plan --law NAME` can use it.
public struct StoredLaw: Sendable, Equatable {
  /// Unique name chosen by the user (e.g. "tiny-synthetic").
  public var name: String
  /// The law's form, e.g. "chinchilla" for E + A/N^α + B/D^β.
  public var kind: String
  /// The fitted law.
  public var law: ParametricLaw
  /// Its uncertainty (standard errors of all five parameters, with the bootstrap's correlation
  /// and refits when the fit was bootstrapped); nil when the fit gave none.
  public var uncertainty: ParametricUncertainty?
  /// Percentile interval per bootstrapped quantity, for display, e.g. `["alpha": [0.31, 0.38]]`
  /// (2.5th and 97.5th percentiles; also the allocation exponents a, b).
  public var intervals: [String: [Double]]
  /// The data the law came from and how it was fitted, in words.
  public var provenance: String
  /// When the law was saved.
  public var createdAt: Date

  /// Creates a law.
  public init(
    name: String, kind: String = "chinchilla", law: ParametricLaw,
    uncertainty: ParametricUncertainty? = nil, intervals: [String: [Double]] = [:],
    provenance: String, createdAt: Date
  ) {
    self.name = name
    self.kind = kind
    self.law = law
    self.uncertainty = uncertainty
    self.intervals = intervals
    self.provenance = provenance
    self.createdAt = createdAt
  }
}

/// Errors from the run store; each description is one sentence.
public enum RunStoreError: Error, CustomStringConvertible, Equatable {
  /// The database file could not be opened or created.
  case cannotOpen(path: String, reason: String)
  /// SQLite reported an error.
  case database(String)
  /// No run has this id.
  case runNotFound(Int64)
  /// A law of this name already exists.
  case lawExists(String)
  /// A sweep of this name already exists with a different plan.
  case sweepExists(String)
  /// A stored value could not be decoded.
  case corrupt(String)
  /// The file holds migrations this binary does not know (schema `found` > `known`).
  case newerSchema(path: String, found: Int, known: Int)
  /// A write was attempted on a store opened read-only.
  case readOnly(path: String)
  /// An export would replace the database in use, or an existing file without `--force`.
  case refusedOutput(String)
  /// Another live worker holds a sweep slot's claim.
  case slotHeld(sweepId: Int64, slot: Int, owner: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      return "Cannot open the run database '\(path)' (\(reason)); check the path or pass --db."
    case .database(let reason):
      return "The run database reported an error: \(reason)."
    case .runNotFound(let id):
      return "No run has id \(id); see 'scaleplan runs list' for the ids."
    case .lawExists(let name):
      return "A law named '\(name)' already exists; choose another name or replace it."
    case .sweepExists(let name):
      return "A sweep named '\(name)' already exists with a different plan; choose another --name."
    case .corrupt(let what):
      return
        "The run database holds an unreadable value (\(what)); it may come from a newer version."
    case .newerSchema(let path, let found, let known):
      return
        "'\(path)' was written by a newer scaleplan (schema \(found) > \(known)); upgrade scaleplan or use another --db."
    case .readOnly(let path):
      return "The run database '\(path)' was opened read-only; this command cannot write to it."
    case .refusedOutput(let sentence):
      return sentence
    case .slotHeld(let sweepId, let slot, let owner):
      return
        "Slot \(slot) of sweep \(sweepId) is being trained by \(owner); wait for it or stop that process."
    }
  }
}
