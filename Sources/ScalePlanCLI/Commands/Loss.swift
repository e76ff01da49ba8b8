// `scaleplan loss`: predicted loss of (N, D) pairs and catalog models under one law or all laws.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan loss`.
public struct LossCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "loss",
    abstract: "Predicted loss of (N, D) under a law; compare models side by side.",
    discussion: """
      Examples: loss --params 70B --tokens 1.4T --vs 175B:300B; loss --model gpt3 --model \
      chinchilla --all-laws. Loss is in nats/token on each law's own data; compare models within \
      a law. \(DefaultLaw.why)
      """)

  @Option(name: .long, help: "Parameters of the model to score, e.g. 70B.")
  var params: String?
  @Option(name: .long, help: "Training tokens of the model to score, e.g. 1.4T.")
  var tokens: String?
  @Option(name: .long, help: "Another model as N:D, e.g. 175B:300B (repeatable).")
  var vs: [String] = []
  @Option(name: .long, help: "A model from the catalog by id, e.g. gpt3 (repeatable).")
  var model: [String] = []
  @Option(name: .long, help: "Law id or alias (default \(DefaultLaw.id)).")
  var law: String?
  @Flag(name: .customLong("all-laws"), help: "Score under every law that predicts a loss.")
  var allLaws = false

  @OptionGroup var catalog: CatalogOptions

  @OptionGroup var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions

  public init() {}

  public func validate() throws {
    if (params == nil) != (tokens == nil) {
      throw ValidationError(
        "Give --params and --tokens together (e.g. --params 70B --tokens 1.4T).")
    }
    if params == nil && vs.isEmpty && model.isEmpty {
      throw ValidationError("Give a model to score: --params N --tokens D, --vs N:D or --model ID.")
    }
    if law != nil && allLaws {
      throw ValidationError("Give either --law or --all-laws, not both.")
    }
  }

  struct Candidate {
    var name: String
    var params: Double
    var tokens: Double
  }

  public func run() throws {
    var candidates: [Candidate] = []
    if let n = try positiveQuantity(params, "--params"),
      let d = try positiveQuantity(tokens, "--tokens")
    {
      candidates.append(Candidate(name: "\(Format.si(n)):\(Format.si(d))", params: n, tokens: d))
    }
    for pair in vs {
      let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw QuantityError.malformed(
          name: "--vs", text: pair + "' (expected N:D such as 175B:300B")
      }
      let n = try Quantity.parsePositive(String(parts[0]), name: "--vs parameters")
      let d = try Quantity.parsePositive(String(parts[1]), name: "--vs tokens")
      candidates.append(Candidate(name: pair, params: n, tokens: d))
    }
    let cat = model.isEmpty ? nil : try CatalogBridge.catalog(catalog)
    for id in model {
      guard let m = try cat?.model(id) else { continue }
      guard let d = m.tokens else { throw LookupError.modelWithoutTokens(m.id) }
      candidates.append(Candidate(name: m.id, params: m.params, tokens: d))
    }
    let registry = try CatalogBridge.laws(catalog, name: law, db: database.db)
    let presets: [LawPreset]
    if allLaws {
      presets = registry.withLoss
    } else {
      let p = try registry.law(named: law ?? DefaultLaw.id)
      guard p.law.predictsLoss else { throw LawError.noLossPrediction(law: p.id) }
      presets = [p]
    }
    var rows: [LossJSON] = []
    var explanation = Explanation()
    for p in presets {
      for c in candidates {
        let l = p.law.loss(params: c.params, tokens: c.tokens) ?? .nan
        rows.append(LossJSON(law: p.id, model: c.name, params: c.params, tokens: c.tokens, loss: l))
        explanation.add(
          ExplainedStep(
            quantity: "loss of \(c.name) under \(p.id)", formula: lossFormula(p.law),
            inputs: [
              ExplainedInput("N", Format.si(c.params), source: "input"),
              ExplainedInput("D", Format.si(c.tokens), source: "input"),
            ] + lawInputs(p), result: Format.fixed(l, decimals: 3) + " nats/token",
            source: p.citation))
      }
    }
    if output.json {
      if rows.count == 1 { try JSONOutput.print(rows[0]) } else { try JSONOutput.print(rows) }
      return
    }
    var t = TextTable(header: ["model", "params", "tokens", "D/N"] + presets.map(\.id))
    for c in candidates {
      var cells = [
        c.name, Format.si(c.params), Format.si(c.tokens), Format.significant(c.tokens / c.params),
      ]
      for p in presets {
        cells.append(
          Format.fixed(p.law.loss(params: c.params, tokens: c.tokens) ?? .nan, decimals: 3))
      }
      t.add(cells)
    }
    var out = ""
    if !allLaws {
      out += "law: \(presets[0].id) — \(presets[0].citation)\n"
      if law == nil { out += "(\(DefaultLaw.why))\n" }
    }
    out += t.render()
    out +=
      "Loss in nats/token on each law's own data (kaplan2020: WebText2, N non-embedding); "
      + "compare models within a column.\n"
    print(out, terminator: "")
    if output.explain { print(explanation.render(), terminator: "") }
  }
}

/// One `loss` result (keys fixed by the issue).
struct LossJSON: Encodable {
  var law: String
  var model: String
  var params: Double
  var tokens: Double
  var loss: Double
}
