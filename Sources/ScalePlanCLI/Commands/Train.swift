// `scaleplan train`: flags → `TrainRequest` → `Engine.train` (one MiniGPT run, recorded in the
// run store as it happens) → progress on stderr, then a table or JSON.

import ArgumentParser
import Foundation
import Lab
import Planner
import RunStore
import UseCases

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
  @Option(name: .long, help: "Transformer blocks (default \(D.layers)).") public var layers: Int?
  @Option(name: .customLong("d-model"), help: "Model width (default \(D.dModel)).")
  public var dModel: Int?
  @Option(name: .long, help: "Attention heads, dividing --d-model (default \(D.heads)).")
  public var heads: Int?
  @Option(name: .customLong("ctx"), help: "Context length in tokens (default \(D.context)).")
  public var context: Int?
  @Option(name: .long, help: "Sequences per step (default \(D.batch)).") public var batch: Int?
  @Option(name: .long, help: "Training tokens, e.g. 2M (the default; rounded down to whole steps).")
  public var tokens: String?
  @Option(name: .long, help: "Seed for initialisation and the training stream (default \(D.seed)).")
  public var seed: UInt64?
  @Option(name: .customLong("lr"), help: "Peak learning rate (default: the fitted per-size law).")
  public var learningRate: Double?
  @Option(name: .long, help: "Worker threads, 1 or 2 (default: 2 on two cores; results are identical).")
  public var threads: Int?
  @Option(name: .long, help: "Validation every N steps and at the last step (default \(D.evalEvery)).")
  public var evalEvery: Int?
  @Option(name: .long, help: "Validation windows per evaluation (default \(D.evalWindows)).")
  public var evalWindows: Int?
  @Option(name: .long, help: "A note stored with the run.") public var notes: String?
  @OptionGroup public var corpus: CorpusOptions
  @OptionGroup public var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions
  public init() {}

  private typealias D = TrainRequest.Defaults

  /// The request these flags describe.
  /// - Throws: `ValidationError` for text that is not a token count or a bad corpus choice.
  func request() throws -> TrainRequest {
    TrainRequest(
      layers: layers, dModel: dModel, heads: heads, context: context, batch: batch,
      tokens: try tokens.map { try Quantity.parsePositive($0, name: "--tokens") }, seed: seed,
      learningRate: learningRate, threads: threads, evalEvery: evalEvery,
      evalWindows: evalWindows, notes: notes, corpus: try corpus.spec())
  }

  public func validate() throws {
    let r = try request()
    try UsageCheck.run { try r.validate() }
  }

  public func run() throws {
    let engine = Engine(databasePath: database.db)
    let line = ProgressLine()
    let watcher = InterruptWatcher()
    defer { watcher.cancel() }
    let result = try engine.train(try request(), stop: watcher.flag, progress: { event in
      switch event {
      case .started(let s):
        line.message(
          "Training \(s.layers)×\(s.dModel) (\(s.heads) head\(s.heads == 1 ? "" : "s"), ctx "
            + "\(s.context)), N = \(Format.si(Double(s.nonEmbeddingParams))), \(s.steps) steps of "
            + "\(s.tokensPerStep) tokens, lr \(Format.scientific(s.learningRate)), \(s.threads) "
            + "thread\(s.threads == 1 ? "" : "s").")
      case .step(let p):
        line.update(
          "step \(p.step)/\(p.steps) · \(Format.si(p.tokensPerSecond)) tok/s · train "
            + String(format: "%.4f", p.trainLoss) + " · val "
            + (p.validationLoss.map { String(format: "%.4f", $0) } ?? "-") + " · ETA "
            + TrainText.duration(p.secondsRemaining), force: p.step == p.steps)
      }
    })
    line.finish()
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
    } else {
      print(Self.summary(result).render(), terminator: "")
      if output.explain, let e = result.explanation { print("\n" + e.render(), terminator: "") }
    }
    for w in result.warnings { line.message(w) }
    switch result.run.status {
    case .interrupted: throw ExitCode(130)
    case .diverged: throw ExitCode(1)
    case .finished, .running: break
    }
  }

  static func summary(_ result: TrainResult) -> TextTable {
    let r = result.run
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
    t.add(["wall time", result.wallTimeText ?? "-"])
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
