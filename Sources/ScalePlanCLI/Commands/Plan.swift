// `scaleplan plan`: compute-optimal N and D for a compute or dollar budget, the optimal partner
// of a given N or D, or the least compute for a target loss, under one law or all of them.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan plan`.
public struct PlanCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Compute-optimal model size and tokens for a budget, a size, or a target loss.",
    discussion: """
      Give one of --compute, --budget (with --gpu), a cluster window (--gpus with --days or \
      --hours, with --gpu), --params, --tokens, --target-loss; or two that fit together: a compute \
      with --params or --tokens, --params with --tokens, or --target-loss with --params or \
      --tokens. Every plan prints the run's peak learning rate and batch size (DeepSeek LLM). \
      \(DefaultLaw.why) Intervals (epoch2024): 80% Monte Carlo intervals over the published \
      standard errors (independent normals; see --explain).
      """)

  @Option(name: .long, help: "Training compute in FLOPs, e.g. 5.76e23.")
  var compute: String?
  @Option(name: .long, help: "Dollar budget, e.g. '$10M' (needs --gpu).")
  var budget: String?
  @Option(name: .long, help: "Model size: find the compute and tokens for which it is optimal.")
  var params: String?
  @Option(name: .long, help: "Token count: find the compute and size for which it is optimal.")
  var tokens: String?
  @Option(
    name: .customLong("target-loss"), help: "Least compute whose optimal model reaches this loss.")
  var targetLoss: String?
  @Option(name: .long, help: "Law id or alias (default \(DefaultLaw.id)); see data/laws.csv.")
  var law: String?
  @Flag(name: .customLong("all-laws"), help: "Show every law side by side.")
  var allLaws = false
  @Option(name: .long, help: "Accelerator id from the catalog (e.g. h100, a100-80gb, v100).")
  var gpu: String?
  @Option(name: .long, help: "Model FLOPs utilisation (default \(PlanDefaults.mfu)).")
  var mfu: String?
  @Option(name: .long, help: "US$ per accelerator-hour (default: the catalog's dated price).")
  var price: String?
  @Option(
    name: .long,
    help: "Cluster size: wall-clock time, the days a --budget buys, or with --days/--hours a cluster window (needs --gpu).")
  var gpus: Int?
  @Option(
    name: .long, help: "Training precision for the peak (default \(PlanDefaults.precision.rawValue)).")
  var precision: Precision?

  @OptionGroup var window: ClusterWindowOptions

  @OptionGroup var catalog: CatalogOptions

  @OptionGroup var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions
  @OptionGroup var inferenceAware: InferenceAwareOptions

  public init() {}

  /// The request the flags describe (numbers parsed from their text, nothing defaulted).
  func request() throws -> PlanRequest {
    PlanRequest(
      compute: try flagNumber(compute, "--compute"), budget: try flagNumber(budget, "--budget"),
      params: try flagNumber(params, "--params"), tokens: try flagNumber(tokens, "--tokens"),
      targetLoss: try flagNumber(targetLoss, "--target-loss"), law: law, allLaws: allLaws, gpu: gpu,
      mfu: try flagNumber(mfu, "--mfu"), price: try flagNumber(price, "--price"), gpus: gpus,
      precision: precision,
      inferenceTokens: try flagNumber(inferenceAware.inferenceTokens, "--inference-tokens"),
      objective: inferenceAware.objective, inferenceGpu: inferenceAware.inferenceGpu,
      trainGpu: inferenceAware.trainGpu, inferencePrecision: inferenceAware.inferencePrecision,
      trainPrecision: inferenceAware.trainPrecision,
      inferencePrice: try flagNumber(inferenceAware.inferencePrice, "--inference-price"),
      trainPrice: try flagNumber(inferenceAware.trainPrice, "--train-price"),
      trainMfu: try flagNumber(inferenceAware.trainMfu, "--train-mfu"),
      prefillMfu: try flagNumber(inferenceAware.prefillMfu, "--prefill-mfu"),
      decodeMfu: try flagNumber(inferenceAware.decodeMfu, "--decode-mfu"),
      inputFraction: try flagNumber(inferenceAware.inputFraction, "--input-fraction"),
      days: try flagNumber(window.days, "--days"), hours: try flagNumber(window.hours, "--hours"))
  }

  // The request is checked in `run`, not in `validate()`: ArgumentParser calls `validate()`
  // before it looks for unknown options, so a refusal there (an unknown option leaves the request
  // without its input) would hide ArgumentParser's "Unknown option" message. A contradiction is
  // thrown as `ValidationError`, which `runMain` prints with this command's usage lines.
  public func run() throws {
    let request = try request()
    do {
      try request.validate()
    } catch RequestError.invalid(let sentence) {
      throw ValidationError(sentence)
    }
    let engine = Engine(catalogDirectory: catalog.catalog, databasePath: database.db)
    if request.isInferenceAware {  // Sardana et al. 2024; see PlanInferenceAware.swift
      return try inferenceAware.render(try engine.inferenceAwarePlan(request), output: output)
    }
    let result = try engine.plan(request)
    if output.json {
      try JSONOutput.print(output.explain ? result : result.withoutExplanation())
      return
    }
    if result.allLaws {
      print(renderAllLaws(result), terminator: "")
    } else if let row = result.rows.first {
      print(renderOne(row, setup: result.setup, window: result.window), terminator: "")
    }
    for w in result.warnings { print("warning: \(w)") }
    if output.explain {
      print("")
      for (i, row) in result.rows.enumerated() {
        if result.allLaws { print("— \(row.law) —") }
        print(
          row.explanation?.render() ?? "", terminator: i == result.rows.count - 1 ? "" : "\n")
      }
    }
  }

  private func renderOne(_ r: PlanRow, setup: PlanSetup?, window: ClusterWindow?) -> String {
    var t = TextTable(header: ["quantity", "value", "note"])
    let fixed = r.fixed ?? []
    let pair = r.fixed != nil
    func role(_ name: String) -> String { fixed.contains(name) ? "given" : "derived" }
    t.add(["compute", Format.scientific(r.computeFLOPs) + " FLOPs", pair ? role("compute") : ""])
    var nNote = pair ? role("params") : ""
    if let i = r.paramsInterval, i[0] != i[1] {
      nNote = "80% interval \(Format.si(i[0]))–\(Format.si(i[1]))"
    }
    if r.paramsAreNonEmbedding {
      nNote += (nNote.isEmpty ? "" : "; ") + "non-embedding (Kaplan's N)"
    }
    t.add([pair ? "parameters N" : "parameters N*", Format.si(r.params), nNote])
    var dNote = pair ? role("tokens") : ""
    if let i = r.tokensInterval, i[0] != i[1] {
      dNote = "80% interval \(Format.si(i[0]))–\(Format.si(i[1]))"
    }
    t.add([pair ? "tokens D" : "tokens D*", Format.si(r.tokens), dNote])
    let ratioNote = r.tokensPerParamInterval.map {
      "80% interval \(Format.significant($0[0]))–\(Format.significant($0[1])); "
    } ?? ""
    t.add(["tokens/param", Format.significant(r.tokensPerParam), ratioNote + "20 by the rule of thumb"])
    if let l = r.loss {
      let lossNote = r.lossInterval.map {
        "nats/token; 80% interval \(Format.fixed($0[0], decimals: 3))–\(Format.fixed($0[1], decimals: 3))"
      }
      t.add(["predicted loss", Format.fixed(l, decimals: 3), lossNote ?? "nats/token"])
    } else {
      t.add(["predicted loss", "—", "allocation-only law: no loss prediction"])
    }
    if let o = r.computeOptimal {
      t.add([
        "compute-optimal", "N* \(Format.si(o.params)), D* \(Format.si(o.tokens))",
        o.loss.map { "loss \(Format.fixed($0, decimals: 3)) at the same compute" }
          ?? "same compute",
      ])
      if let p = o.lossPenalty {
        t.add([
          "loss penalty", "+" + Format.fixed(p, decimals: 4),
          "nats/token over the compute-optimal split",
        ])
      }
    }
    t.add([
      "20 tokens/param rule", "N \(Format.si(r.rule20Params)), D \(Format.si(r.rule20Tokens))",
      "same compute",
    ])
    if let w = window, let s = setup {
      t.add([
        "cluster window", "\(w.accelerators) × \(Format.significant(w.days)) days",
        w.from == "--budget"
          ? "what the budget buys on \(s.acceleratorName)"
          : "\(s.acceleratorName) (\(w.from))",
      ])
    }
    if let s = setup {
      t.add(["accelerator-hours", Format.si(r.acceleratorHours ?? .nan), s.acceleratorName])
      if let c = r.costUSD {
        t.add(["cost", Format.dollars(c), "at \(Format.dollars(s.pricePerHour ?? .nan))/h"])
      }
      if let d = r.wallClockDays {
        t.add([
          "wall-clock", Format.significant(d) + " days", "on \(s.clusterSize ?? 0) accelerators",
        ])
      }
      t.add(["MFU", Format.number(s.mfu), s.mfuNote])
    }
    if let h = r.hyperparameters {
      let fit = h.withinFittedRange
        ? "" : "; outside its \(Format.scientific(h.fittedRange[0]))–\(Format.scientific(h.fittedRange[1])) FLOPs fit"
      t.add([
        "peak learning rate", Format.scientific(h.learningRate),
        DeepSeekHyperparameters.shortSource + fit,
      ])
      t.add([
        "batch size", Format.si(h.batchTokens) + " tokens",
        DeepSeekHyperparameters.shortSource + fit,
      ])
    }
    var out = "law: \(r.law) — \(r.citation)\n"
    if let why = r.defaultLaw { out += "(\(why))\n" }
    if let method = r.intervalMethod { out += "intervals: \(method)\n" }
    return out + t.render()
  }

  private func renderAllLaws(_ result: PlanResult) -> String {
    let pair = result.rows.contains { $0.fixed != nil }
    var header = ["law", "compute", pair ? "N" : "N*", pair ? "D" : "D*", "D/N", "loss"]
    if pair { header += ["ΔL"] }
    header += ["peak lr", "batch"]
    let costs = result.rows.contains { $0.costUSD != nil }
    if costs { header += ["accel-hours", "cost"] }
    var t = TextTable(header: header)
    for r in result.rows {
      var cells = [
        r.law, Format.scientific(r.computeFLOPs), Format.si(r.params), Format.si(r.tokens),
        Format.significant(r.tokensPerParam), r.loss.map { Format.fixed($0, decimals: 3) } ?? "—",
      ]
      if pair {
        cells.append(r.computeOptimal?.lossPenalty.map { "+" + Format.fixed($0, decimals: 4) } ?? "—")
      }
      cells += [
        r.hyperparameters.map { Format.scientific($0.learningRate) } ?? "—",
        r.hyperparameters.map { Format.si($0.batchTokens) } ?? "—",
      ]
      if costs {
        cells += [
          Format.si(r.acceleratorHours ?? .nan), r.costUSD.map { Format.dollars($0) } ?? "—",
        ]
      }
      t.add(cells)
    }
    if let rule = result.ruleOfThumb {
      var cells = [
        "20 tokens/param", Format.scientific(rule.computeFLOPs), Format.si(rule.params),
        Format.si(rule.tokens), Format.significant(rule.tokensPerParam), "—", "", "",
      ]
      if costs { cells += ["", ""] }
      t.add(cells)
    }
    return t.render() + result.notes.map { $0 + "\n" }.joined()
  }
}

/// `--days` / `--hours`: the time of a cluster window (with `--gpus` and `--gpu`), grouped so
/// `plan`'s own options stay as they were.
public struct ClusterWindowOptions: ParsableArguments {
  @Option(
    name: .long,
    help: "Cluster window in days: with --gpus and --gpu, plan the compute G × peak × MFU × time.")
  public var days: String?
  @Option(name: .long, help: "Cluster window in hours (instead of --days).")
  public var hours: String?

  public init() {}
}

/// Parses an optional number flag (suffixes and `$` allowed); ranges are the request's to check.
func flagNumber(_ text: String?, _ name: String) throws -> Double? {
  guard let text else { return nil }
  return try Quantity.parse(text, name: name).value
}
