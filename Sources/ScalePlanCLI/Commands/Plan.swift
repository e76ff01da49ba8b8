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
      Give exactly one of --compute, --budget (with --gpu), --params, --tokens, --target-loss. \
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
  @Option(name: .long, help: "Model FLOPs utilisation (default \(TrainingDefaults.mfu)).")
  var mfu: String?
  @Option(name: .long, help: "US$ per accelerator-hour (default: the catalog's dated price).")
  var price: String?
  @Option(name: .long, help: "Cluster size for wall-clock time (needs --gpu).")
  var gpus: Int?
  @Option(name: .long, help: "Training precision for the peak (default bf16).")
  var precision: Precision = .bf16

  @OptionGroup var catalog: CatalogOptions

  @OptionGroup var database: DatabaseOptions
  @OptionGroup public var output: OutputOptions
  @OptionGroup var inferenceAware: InferenceAwareOptions

  public init() {}

  public func validate() throws {
    let given = [compute, budget, params, tokens, targetLoss].compactMap { $0 }.count
    if given != 1 {
      throw ValidationError(
        given == 0
          ? "Give one of --compute, --budget, --params, --tokens or --target-loss."
          : "Give only one of --compute, --budget, --params, --tokens or --target-loss; they contradict each other."
      )
    }
    if budget != nil && gpu == nil {
      throw ValidationError("--budget needs --gpu to turn dollars into FLOPs, e.g. --gpu h100.")
    }
    if law != nil && allLaws {
      throw ValidationError("Give either --law or --all-laws, not both.")
    }
    if gpu == nil && (mfu != nil || price != nil || gpus != nil) {
      throw ValidationError("--mfu, --price and --gpus need --gpu to say which accelerator.")
    }
    if let gpus, gpus <= 0 {
      throw ValidationError("--gpus must be a positive whole number, got \(gpus).")
    }
  }

  public func run() throws {
    let registry = try CatalogBridge.laws(catalog, name: law, db: database.db)
    if inferenceAware.isRequested {  // Sardana et al. 2024; see PlanInferenceAware.swift
      return try inferenceAware.run(
        targetLoss: try positiveQuantity(targetLoss, "--target-loss"),
        preset: try registry.law(named: law ?? DefaultLaw.id), gpu: gpu,
        price: try positiveQuantity(price, "--price"), mfu: try positiveQuantity(mfu, "--mfu"),
        catalog: catalog, output: output)
    }
    var setup: TrainingSetup? = nil
    if let gpu {
      let cat = try CatalogBridge.catalog(catalog)
      let acc = try cat.accelerator(gpu)
      let energy = try CatalogBridge.energyDefaults(cat)
      let p = try positiveQuantity(price, "--price") ?? acc.priceUSDPerHour
      setup = TrainingSetup(
        acceleratorName: "\(acc.id) \(effectivePrecision(acc, precision).rawValue)",
        peakFLOPS: try peak(acc, precision),
        mfu: try positiveQuantity(mfu, "--mfu") ?? TrainingDefaults.mfu, pricePerHour: p,
        chipWatts: acc.tdpWatts, serverOverhead: energy.overhead, pue: energy.pue,
        gridKgCO2PerKWh: energy.grid, clusterSize: gpus,
        memoryBytesPerAccelerator: acc.memoryGB * 1e9)
      setup?.priceSource =
        price != nil
        ? "--price" : "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
      try setup?.validate()
      if budget != nil && p == nil { throw LookupError.noPrice(acc.id) }
    }
    var budgetStep: ExplainedStep? = nil
    let target: PlanTarget
    if let c = try positiveQuantity(compute, "--compute") {
      target = .compute(c)
    } else if let b = try positiveQuantity(budget, "--budget"), let s = setup,
      let p = s.pricePerHour
    {
      let c = b / p * 3600 * s.sustainedFLOPS
      target = .compute(c)
      budgetStep = ExplainedStep(
        quantity: "compute bought by the budget", formula: "C = $ / price × 3600 × peak × MFU",
        inputs: [
          ExplainedInput("$", Format.dollars(b), source: "--budget"),
          ExplainedInput("price", Format.dollars(p) + "/h", source: s.priceSource),
          ExplainedInput(
            "peak", Format.number(s.peakFLOPS / 1e12) + " TFLOP/s", source: s.acceleratorName),
          ExplainedInput("MFU", Format.number(s.mfu), source: mfuSource()),
        ], result: Format.scientific(c) + " FLOPs", source: "FACTS §0")
    } else if let n = try positiveQuantity(params, "--params") {
      target = .params(n)
    } else if let d = try positiveQuantity(tokens, "--tokens") {
      target = .tokens(d)
    } else if let l = try positiveQuantity(targetLoss, "--target-loss") {
      target = .loss(l)
    } else {
      throw ValidationError("Give one of --compute, --budget, --params, --tokens or --target-loss.")
    }

    let presets = allLaws ? registry.all : [try registry.law(named: law ?? DefaultLaw.id)]
    var plans =
      allLaws
      ? try planAllLaws(target, presets: presets)
      : [try planComputeOptimal(target, preset: presets[0])]
    var rows: [PlanJSON] = []
    for i in plans.indices {
      if let budgetStep { plans[i].explanation.steps.insert(budgetStep, at: 0) }
      var row = PlanJSON(plans[i])
      if let s = setup {
        let cost = try estimateTrainingCost(flops: plans[i].computeFLOPs, setup: s)
        row.acceleratorHours = cost.acceleratorHours
        row.costUSD = cost.costUSD
        row.wallClockDays = cost.wallClockDays
        plans[i].explanation.steps += cost.explanation.steps
      }
      if output.explain { row.explanation = plans[i].explanation }
      rows.append(row)
    }
    if output.json {
      if allLaws { try JSONOutput.print(rows) } else { try JSONOutput.print(rows[0]) }
      return
    }
    if allLaws {
      print(renderAllLaws(rows, presets: presets, target: target, plans: plans))
    } else {
      print(renderOne(rows[0], preset: presets[0], setup: setup))
    }
    if output.explain {
      for (i, plan) in plans.enumerated() {
        if allLaws { print("— \(plan.law) —") }
        print(plan.explanation.render(), terminator: i == plans.count - 1 ? "" : "\n")
      }
    }
  }

  private func mfuSource() -> String {
    mfu != nil ? "--mfu" : "default, \(TrainingDefaults.mfuSource)"
  }

  private func renderOne(_ r: PlanJSON, preset: LawPreset, setup: TrainingSetup?) -> String {
    var t = TextTable(header: ["quantity", "value", "note"])
    t.add(["compute", Format.scientific(r.computeFLOPs) + " FLOPs", ""])
    var nNote = ""
    if let i = r.paramsInterval, i[0] != i[1] {
      nNote = "80% interval \(Format.si(i[0]))–\(Format.si(i[1]))"
    }
    if case .kaplan = preset.law {
      nNote += (nNote.isEmpty ? "" : "; ") + "non-embedding (Kaplan's N)"
    }
    t.add(["parameters N*", Format.si(r.params), nNote])
    var dNote = ""
    if let i = r.tokensInterval, i[0] != i[1] {
      dNote = "80% interval \(Format.si(i[0]))–\(Format.si(i[1]))"
    }
    t.add(["tokens D*", Format.si(r.tokens), dNote])
    t.add(["tokens/param", Format.significant(r.tokensPerParam), "20 by the rule of thumb"])
    if let l = r.loss {
      t.add(["predicted loss", Format.fixed(l, decimals: 3), "nats/token"])
    } else {
      t.add(["predicted loss", "—", "allocation-only law: no loss prediction"])
    }
    t.add([
      "20 tokens/param rule", "N \(Format.si(r.rule20Params)), D \(Format.si(r.rule20Tokens))",
      "same compute",
    ])
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
      t.add(["MFU", Format.number(s.mfu), mfu == nil ? "default (FACTS §C2)" : "--mfu"])
    }
    var out = "law: \(preset.id) — \(preset.citation)\n"
    if law == nil { out += "(\(DefaultLaw.why))\n" }
    if r.paramsInterval != nil, let u = preset.uncertainty {
      out += "intervals: \(AllocationIntervalMethod.caveat(for: u))\n"
    }
    return out + t.render()
  }

  private func renderAllLaws(
    _ rows: [PlanJSON], presets: [LawPreset], target: PlanTarget, plans: [ComputeOptimalPlan]
  ) -> String {
    var header = ["law", "compute", "N*", "D*", "D/N", "loss"]
    let costs = rows.contains { $0.costUSD != nil }
    if costs { header += ["accel-hours", "cost"] }
    var t = TextTable(header: header)
    for r in rows {
      var cells = [
        r.law, Format.scientific(r.computeFLOPs), Format.si(r.params), Format.si(r.tokens),
        Format.significant(r.tokensPerParam), r.loss.map { Format.fixed($0, decimals: 3) } ?? "—",
      ]
      if costs {
        cells += [
          Format.si(r.acceleratorHours ?? .nan), r.costUSD.map { Format.dollars($0) } ?? "—",
        ]
      }
      t.add(cells)
    }
    // The rule-of-thumb row needs one compute budget; with --params/--tokens/--target-loss each
    // law plans a different compute, so the row is shown only for a compute or dollar budget.
    if case .compute(let c) = target {
      let rule = twentyTokensPerParam(flops: c)
      var cells = [
        "20 tokens/param", Format.scientific(c), Format.si(rule.params), Format.si(rule.tokens),
        "20", "—",
      ]
      if costs { cells += ["", ""] }
      t.add(cells)
    }
    var out = t.render()
    let skipped = presets.filter { p in !rows.contains { $0.law == p.id } }.map(\.id)
    if !skipped.isEmpty {
      out +=
        "not shown (no loss prediction, or the target is out of reach): "
        + "\(skipped.joined(separator: ", "))\n"
    }
    out +=
      "Losses are in nats/token on each law's own data set (kaplan2020: WebText2; others: "
      + "MassiveText or their own runs), so compare losses within a law, not across laws.\n"
    let spread = parameterSpread(plans).map { $0 + "; " } ?? ""
    out += "Why they disagree: \(spread)\(whyLawsDisagree)\n"
    return out
  }
}

/// The `plan` JSON object (keys fixed by the issue; scripts depend on them).
struct PlanJSON: Encodable {
  var law: String
  var computeFLOPs: Double
  var params: Double
  var tokens: Double
  var tokensPerParam: Double
  var loss: Double?
  var paramsInterval: [Double]?
  var tokensInterval: [Double]?
  var rule20Params: Double
  var rule20Tokens: Double
  var acceleratorHours: Double?
  var costUSD: Double?
  var wallClockDays: Double?
  var explanation: Explanation?

  init(_ p: ComputeOptimalPlan) {
    law = p.law
    computeFLOPs = p.computeFLOPs
    params = p.params
    tokens = p.tokens
    tokensPerParam = p.tokensPerParam
    loss = p.loss
    paramsInterval = p.paramsInterval
    tokensInterval = p.tokensInterval
    rule20Params = p.rule20Params
    rule20Tokens = p.rule20Tokens
  }

  enum CodingKeys: String, CodingKey {
    case law, params, tokens, loss, explanation
    case computeFLOPs = "compute_flops"
    case tokensPerParam = "tokens_per_param"
    case paramsInterval = "params_interval"
    case tokensInterval = "tokens_interval"
    case rule20Params = "rule20_params"
    case rule20Tokens = "rule20_tokens"
    case acceleratorHours = "accelerator_hours"
    case costUSD = "cost_usd"
    case wallClockDays = "wall_clock_days"
  }

  func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(law, forKey: .law)
    try c.encode(computeFLOPs, forKey: .computeFLOPs)
    try c.encode(params, forKey: .params)
    try c.encode(tokens, forKey: .tokens)
    try c.encode(tokensPerParam, forKey: .tokensPerParam)
    try c.encode(loss, forKey: .loss)  // null for allocation-only laws, never missing
    try c.encodeIfPresent(paramsInterval, forKey: .paramsInterval)
    try c.encodeIfPresent(tokensInterval, forKey: .tokensInterval)
    try c.encode(rule20Params, forKey: .rule20Params)
    try c.encode(rule20Tokens, forKey: .rule20Tokens)
    try c.encodeIfPresent(acceleratorHours, forKey: .acceleratorHours)
    try c.encodeIfPresent(costUSD, forKey: .costUSD)
    try c.encodeIfPresent(wallClockDays, forKey: .wallClockDays)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}
