// `scaleplan train`: one MiniGPT run, recorded in the run store as it happens.

import ArgumentParser
import UseCases
import Foundation
import Lab
import MiniGPT
import Planner
import RunStore

/// `scaleplan train --layers 2 --d-model 64 --heads 4 --ctx 64 --batch 32 --tokens 2M --seed 1`.
public struct TrainCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "train", abstract: "Train a small transformer and store the run.",
    discussion: """
      The run is stored as 'running' before the first step, its loss curve is written while it \
      trains, and it ends 'finished', 'diverged' or 'interrupted' (Ctrl-C: everything measured \
      so far is kept; exit status 130). Without --lr the peak learning rate comes from the \
      law fitted to this trainer's learning-rate scan (data/learning-rate-scan.csv): \
      \(LearningRateTable.scanFit.coefficient) · (N / 30,000)^-\(LearningRateTable.scanFit.exponent), \
      held below N = 6,138.
      """)
  @Option(name: .long, help: "Transformer blocks.") public var layers: Int = 2
  @Option(name: .customLong("d-model"), help: "Model width.") public var dModel: Int = 64
  @Option(name: .long, help: "Attention heads (must divide --d-model).") public var heads: Int = 4
  @Option(name: .customLong("ctx"), help: "Context length in tokens.") public var context: Int = 64
  @Option(name: .long, help: "Sequences per step.") public var batch: Int = 32
  @Option(name: .long, help: "Training tokens, e.g. 2M (rounded down to whole steps).")
  public var tokens: String = "2M"
  @Option(name: .long, help: "Seed for initialisation and the training stream.")
  public var seed: UInt64 = 1
  @Option(name: .customLong("lr"), help: "Peak learning rate (default: the fitted per-size law).")
  public var learningRate: Double?
  @Option(name: .long, help: "Worker threads, 1 or 2 (results are identical).")
  public var threads: Int = min(2, max(1, ProcessInfo.processInfo.activeProcessorCount))
  @Option(name: .long, help: "Validation every N steps (and at the last step).")
  public var evalEvery: Int = 100
  @Option(name: .long, help: "Validation windows per evaluation.")
  public var evalWindows: Int = 256
  @Option(name: .long, help: "A note stored with the run.") public var notes: String?
  @OptionGroup public var corpus: CorpusOptions
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  public func run() throws {
    let tokenCount = try Quantity.parsePositive(tokens, name: "--tokens")
    guard tokenCount < 1e12 else {
      throw ValidationError(
        "--tokens \(tokens) is far beyond what this CPU trainer can do; use at most 1T.")
    }
    guard (1...2).contains(threads) else {
      throw ValidationError("--threads must be 1 or 2, got \(threads).")
    }
    let model = GPTConfig(layers: layers, dModel: dModel, heads: heads, context: context)
    try model.validate()
    let (lr, lrSource) =
      learningRate.map { ($0, LearningRateTable.givenSource) }
      ?? LearningRateTable.syntheticCorpus.rateWithSource(params: Double(model.nonEmbeddingParams))
    let train = TrainConfig(
      batch: batch, tokens: Int(tokenCount), learningRate: lr, evalEvery: evalEvery,
      evalWindows: evalWindows, seed: seed, threads: threads)
    try train.validate()
    try MemoryBudget.check(model: model, batch: batch, evalWindows: evalWindows)
    let steps = train.steps(context: context)
    guard Int(tokenCount) >= batch * context else {
      throw ValidationError(
        "--tokens \(tokens) is less than one step of \(batch * context) tokens (batch × ctx); raise it."
      )
    }
    let corpusSpec = try corpus.spec()
    let store = try database.open()

    let line = ProgressLine()
    let watcher = InterruptWatcher()
    defer { watcher.cancel() }
    let header =
      "Training \(layers)×\(dModel) (\(heads) head\(heads == 1 ? "" : "s"), ctx \(context)), N = "
      + "\(Format.si(Double(model.nonEmbeddingParams))), \(steps) steps of \(batch * context) "
      + "tokens, lr \(Format.scientific(lr)), \(threads) thread\(threads == 1 ? "" : "s")."
    var lastValidation: Double? = nil
    let record = try RunRecorder.train(
      RunRequest(model: model, train: train, corpus: corpusSpec), store: store,
      stop: watcher.flag, notes: notes
    ) { p in
      if p.step == 1 { line.message(header) }
      if let v = p.validationLoss { lastValidation = v }
      let remaining = Double((p.steps - p.step) * batch * context) / max(p.tokensPerSecond, 1)
      line.update(
        "step \(p.step)/\(p.steps) · \(Format.si(p.tokensPerSecond)) tok/s · train "
          + String(format: "%.4f", p.trainLoss) + " · val "
          + (lastValidation.map { String(format: "%.4f", $0) } ?? "-") + " · ETA "
          + durationText(remaining), force: p.step == p.steps)
    }
    line.finish()
    let explanation =
      output.explain
      ? RunExplanation.explain(
        model: model, train: train, requestedTokens: tokenCount, learningRateSource: lrSource,
        corpus: corpusSpec) : nil
    if output.json {
      try JSONOutput.print(ObjectWithExplanation(RunRendering.object(record), explanation))
    } else {
      print(Self.summary(record).render(), terminator: "")
      if let explanation { print("\n" + explanation.render(), terminator: "") }
    }
    switch record.status {
    case .interrupted:
      line.message("Run \(record.id ?? 0) was interrupted; what it measured is stored.")
      throw ExitCode(130)
    case .diverged:
      line.message(
        "Run \(record.id ?? 0) diverged at step \(record.divergedAtStep ?? 0); try a lower --lr.")
      throw ExitCode(1)
    case .finished, .running:
      break
    }
  }

  static func summary(_ r: RunRecord) -> TextTable {
    var t = TextTable(header: ["quantity", "value"])
    t.add(["run id", String(r.id ?? 0)])
    t.add(["status", r.status.rawValue])
    t.add(["model", RunRendering.modelText(r)])
    t.add(["N (non-embedding)", Format.si(r.nonEmbeddingParams)])
    t.add(["N (total)", r.totalParams.map { Format.si($0) } ?? "-"])
    t.add(["D (tokens trained)", Format.si(r.tokensTrained)])
    t.add(["FLOPs", r.flops.map { Format.scientific($0) } ?? "-"])
    t.add(["final train loss", RunRendering.loss(r.finalTrainLoss)])
    t.add(["final validation loss", RunRendering.loss(r.finalValidationLoss)])
    t.add(["corpus entropy (nats/byte)", RunRendering.loss(r.corpusEntropy)])
    t.add(["wall time", r.wallSeconds.map { durationText($0) } ?? "-"])
    t.add(["tokens/s", r.tokensPerSecond.map { Format.si($0) } ?? "-"])
    return t
  }
}

/// A run's JSON object, with an `explanation` key when `--explain` is given.
struct ObjectWithExplanation: Encodable {
  let fields: [String: FieldValue]
  let explanation: Explanation?

  init(_ fields: [String: FieldValue], _ explanation: Explanation?) {
    self.fields = fields
    self.explanation = explanation
  }

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for (k, v) in fields { try c.encode(v, forKey: Key(stringValue: k)) }
    if let explanation { try c.encode(explanation, forKey: Key(stringValue: "explanation")) }
  }
}
