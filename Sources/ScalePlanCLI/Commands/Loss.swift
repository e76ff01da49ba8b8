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

  /// The request the flags describe (numbers parsed from their text).
  func request() throws -> LossRequest {
    var pairs: [LossCandidate] = []
    for pair in vs {
      let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw QuantityError.malformed(
          name: "--vs", text: pair + "' (expected N:D such as 175B:300B")
      }
      let n = try Quantity.parse(String(parts[0]), name: "--vs parameters").value
      let d = try Quantity.parse(String(parts[1]), name: "--vs tokens").value
      pairs.append(LossCandidate(name: pair, params: n, tokens: d))
    }
    return LossRequest(
      params: try flagNumber(params, "--params"), tokens: try flagNumber(tokens, "--tokens"),
      vs: pairs, models: model, law: law, allLaws: allLaws)
  }

  /// Contradictions keep ArgumentParser's usage lines, as flag errors do.
  public func validate() throws {
    do {
      try request().validate()
    } catch RequestError.invalid(let sentence) {
      throw ValidationError(sentence)
    }
  }

  public func run() throws {
    let engine = Engine(catalogDirectory: catalog.catalog, databasePath: database.db)
    let result = try engine.loss(try request())
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    var t = TextTable(header: ["model", "params", "tokens", "D/N"] + result.laws)
    for (i, m) in result.models.enumerated() {
      var cells = [
        m.name, Format.si(m.params), Format.si(m.tokens), Format.significant(m.tokensPerParam),
      ]
      for j in result.laws.indices {
        cells.append(Format.fixed(result.loss(law: j, model: i) ?? .nan, decimals: 3))
      }
      t.add(cells)
    }
    var out = ""
    if let header = result.lawHeader { out += "law: \(header)\n" }
    if let why = result.defaultLaw { out += "(\(why))\n" }
    out += t.render()
    out += result.note + "\n"
    print(out, terminator: "")
    if output.explain { print(result.explanation?.render() ?? "", terminator: "") }
  }
}
