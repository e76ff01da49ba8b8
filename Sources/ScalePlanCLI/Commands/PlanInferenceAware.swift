// `scaleplan plan --target-loss L --inference-tokens T [--objective cost --gpu ID]`: the
// inference-aware part of `plan` (Sardana et al. 2024). Plan.swift includes these options with
// `@OptionGroup var inferenceAware: InferenceAwareOptions` and, when `inferenceAware.isRequested`,
// calls `inferenceAware.run(...)` with its target loss, law and shared --gpu/--price/--mfu values.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// Options for inference-aware allocation, grouped so `plan` can include them in one line.
public struct InferenceAwareOptions: ParsableArguments {
  @Option(
    name: .long,
    help:
      "Lifetime inference tokens (prompt + output), e.g. 2T; turns on inference-aware allocation.")
  public var inferenceTokens: String?
  @Option(name: .long, help: "What to minimise with --inference-tokens: flops (default) or cost.")
  public var objective: String = "flops"
  @Option(name: .long, help: "Inference accelerator for --objective cost (default: --gpu).")
  public var inferenceGpu: String?
  @Option(name: .long, help: "Training accelerator for --objective cost (default: --gpu).")
  public var trainGpu: String?
  @Option(name: .long, help: "Inference precision for --objective cost (default fp8, else bf16).")
  public var inferencePrecision: String?
  @Option(name: .long, help: "Training precision for --objective cost (default bf16).")
  public var trainPrecision: String?
  @Option(name: .long, help: "Inference US$ per accelerator-hour (default: --price, else catalog).")
  public var inferencePrice: String?
  @Option(name: .long, help: "Training US$ per accelerator-hour (default: --price, else catalog).")
  public var trainPrice: String?
  @Option(name: .long, help: "Training MFU for --objective cost (default: --mfu, else 0.5).")
  public var trainMfu: String?
  @Option(name: .long, help: "Prefill MFU for --objective cost (default 0.5).")
  public var prefillMfu: String?
  @Option(name: .long, help: "Decode MFU for --objective cost (default 0.01, Sardana et al.).")
  public var decodeMfu: String?
  @Option(
    name: .long, help: "Fraction of inference tokens that are prompt tokens (default 70/285).")
  public var inputFraction: String?

  public init() {}

  /// True when `--inference-tokens` was given.
  public var isRequested: Bool { inferenceTokens != nil }

  /// Solves and prints the inference-aware plan.
  ///
  /// - Parameters:
  ///   - targetLoss: `--target-loss` from `plan`.
  ///   - law: the parametric law `plan` selected; `lawName` is shown beside it.
  ///   - gpu, price, mfu: `plan`'s shared `--gpu`, `--price`, `--mfu` values, used as defaults.
  /// - Throws: `ValidationError` or `InferenceError` with one sentence.
  public func run(
    targetLoss: Double?, law: ParametricLaw = .sardanaChinchilla,
    lawName: String = "Chinchilla (Hoffmann et al. 2022) as used by Sardana et al. 2024",
    gpu: String? = nil, price: Double? = nil, mfu: Double? = nil, catalog: CatalogOptions,
    output: OutputOptions
  ) throws {
    guard let targetLoss else {
      throw ValidationError("--inference-tokens needs --target-loss (the quality to reach).")
    }
    guard let t = try parseQuantity(inferenceTokens, "--inference-tokens") else { return }
    var cost: LifetimeCostModel?
    switch objective.lowercased() {
    case "flops": break
    case "cost": cost = try costModel(gpu: gpu, price: price, mfu: mfu, catalog: catalog)
    default:
      throw ValidationError("Unknown --objective '\(objective)'; use flops or cost.")
    }
    let plan = try inferenceAwarePlan(
      targetLoss: targetLoss, inferenceTokens: t, law: law, cost: cost)
    if output.json {
      try JSONOutput.print(Self.json(plan, lawName: lawName))
      return
    }
    print(Self.table(plan, lawName: lawName), terminator: "")
    if output.explain { print(plan.explanation.render(), terminator: "") }
  }

  /// Solves and prints the inference-aware plan under a law preset chosen by `plan --law`.
  ///
  /// A nil preset uses the Chinchilla constants as Sardana et al. used them.
  /// - Throws: `ValidationError` when the preset is not parametric (no L(N, D) to hold fixed).
  public func run(
    targetLoss: Double?, preset: LawPreset?, gpu: String? = nil, price: Double? = nil,
    mfu: Double? = nil, catalog: CatalogOptions, output: OutputOptions
  ) throws {
    guard let preset else {
      return try run(
        targetLoss: targetLoss, gpu: gpu, price: price, mfu: mfu, catalog: catalog,
        output: output)
    }
    guard case .parametric(let law) = preset.law else {
      throw ValidationError(
        "--inference-tokens needs a parametric law L = E + A/N^α + B/D^β; '\(preset.id)' is not "
          + "one (try --law hoffmann2022).")
    }
    try run(
      targetLoss: targetLoss, law: law, lawName: "\(preset.id) — \(preset.citation)", gpu: gpu,
      price: price, mfu: mfu, catalog: catalog, output: output)
  }

  func costModel(gpu: String?, price: Double?, mfu: Double?, catalog options: CatalogOptions)
    throws -> LifetimeCostModel
  {
    guard let inferID = inferenceGpu ?? gpu, let trainID = trainGpu ?? gpu else {
      throw ValidationError("--objective cost needs --gpu ID (or --train-gpu and --inference-gpu).")
    }
    let c = try Catalog.load(files: options.files())
    let trainAcc = try c.accelerator(trainID)
    let inferAcc = try c.accelerator(inferID)
    let trainP = try WeightFormat.parse(trainPrecision ?? "bf16")
    let inferP: WeightFormat
    if let text = inferencePrecision {
      inferP = try WeightFormat.parse(text)
    } else {
      inferP = WeightFormat(inferAcc.peakFLOPS(.fp8) != nil ? .fp8 : .bf16)
    }
    let trainPrecisionValue = trainP.computePrecision(on: trainAcc)
    let inferPrecisionValue = inferP.computePrecision(on: inferAcc)
    guard
      let tp = try parseQuantity(trainPrice, "--train-price") ?? price ?? trainAcc.priceUSDPerHour
    else { throw InferenceError.noPrice(accelerator: trainAcc.id) }
    guard
      let ip = try parseQuantity(inferencePrice, "--inference-price") ?? price
        ?? inferAcc.priceUSDPerHour
    else { throw InferenceError.noPrice(accelerator: inferAcc.id) }
    return try LifetimeCostModel(
      trainAccelerator: trainAcc, trainPrecision: trainPrecisionValue, trainUSDPerHour: tp,
      trainMFU: try parseQuantity(trainMfu, "--train-mfu") ?? mfu
        ?? LifetimeCostModel.defaultTrainMFU,
      inferenceAccelerator: inferAcc, inferencePrecision: inferPrecisionValue,
      inferenceUSDPerHour: ip,
      prefillMFU: try parseQuantity(prefillMfu, "--prefill-mfu")
        ?? LifetimeCostModel.defaultPrefillMFU,
      decodeMFU: try parseQuantity(decodeMfu, "--decode-mfu") ?? LifetimeCostModel.defaultDecodeMFU,
      inputFraction: try parseQuantity(inputFraction, "--input-fraction")
        ?? LifetimeCostModel.defaultInputFraction)
  }

  static func pointJSON(_ p: LifetimePoint) -> [String: JSONValue] {
    [
      "params": .number(p.params), "tokens": .number(p.tokens), "loss": .number(p.loss),
      "compute_flops": .number(p.trainingFLOPs), "inference_flops": .number(p.inferenceFLOPs),
      "total_flops": .number(p.totalFLOPs), "training_cost_usd": .num(p.trainingCostUSD),
      "inference_cost_usd": .num(p.inferenceCostUSD), "total_cost_usd": .num(p.totalCostUSD),
    ]
  }

  static func json(_ plan: LifetimePlan, lawName: String) -> JSONValue {
    var o = pointJSON(plan.optimal)
    o["chinchilla_optimal"] = .object(pointJSON(plan.chinchillaOptimal))
    o["target_loss"] = .number(plan.targetLoss)
    o["inference_tokens"] = .number(plan.inferenceTokens)
    o["objective"] = .string(plan.objective)
    o["law"] = .string(lawName)
    o["saving_flops"] = .number(plan.savingFLOPs)
    o["saving_flops_fraction"] = .number(plan.savingFLOPsFraction)
    o["saving_cost_usd"] = .num(plan.savingCostUSD)
    o["saving_cost_fraction"] = .num(plan.savingCostFraction)
    o["cost_assumptions"] = .str(plan.costNote)
    return .object(o)
  }

  static func table(_ plan: LifetimePlan, lawName: String) -> String {
    var out = "plan: loss \(Format.number(plan.targetLoss)) with \(Format.si(plan.inferenceTokens))"
    out +=
      " lifetime inference tokens, minimising \(plan.objective == "cost" ? "dollars" : "FLOPs")\n"
    out += "law: \(lawName)\n\n"
    var t = TextTable(header: ["", "inference-aware", "Chinchilla-optimal"])
    let o = plan.optimal
    let c = plan.chinchillaOptimal
    t.add(["params", Format.si(o.params), Format.si(c.params)])
    t.add(["training tokens", Format.si(o.tokens), Format.si(c.tokens)])
    t.add([
      "tokens per param", Format.number(o.tokens / o.params), Format.number(c.tokens / c.params),
    ])
    t.add([
      "training FLOPs", Format.scientific(o.trainingFLOPs), Format.scientific(c.trainingFLOPs),
    ])
    t.add([
      "inference FLOPs", Format.scientific(o.inferenceFLOPs), Format.scientific(c.inferenceFLOPs),
    ])
    t.add(["total FLOPs", Format.scientific(o.totalFLOPs), Format.scientific(c.totalFLOPs)])
    if let oc = o.totalCostUSD, let cc = c.totalCostUSD {
      t.add([
        "training $", Format.dollars(o.trainingCostUSD ?? 0),
        Format.dollars(c.trainingCostUSD ?? 0),
      ])
      t.add([
        "inference $", Format.dollars(o.inferenceCostUSD ?? 0),
        Format.dollars(c.inferenceCostUSD ?? 0),
      ])
      t.add(["total $", Format.dollars(oc), Format.dollars(cc)])
    }
    out += t.render()
    let fewer = plan.savingFLOPs >= 0
    out += "\ninference-aware vs Chinchilla-optimal: \(Format.scientific(abs(plan.savingFLOPs))) "
    out +=
      "\(fewer ? "fewer" : "more") FLOPs (\(Format.number(abs(plan.savingFLOPsFraction) * 100))%)"
    if let s = plan.savingCostUSD, let f = plan.savingCostFraction {
      out += "; \(Format.dollars(abs(s))) \(s >= 0 ? "cheaper" : "dearer") "
      out += "(\(Format.number(abs(f) * 100))%)"
    }
    out += "\n"
    if let note = plan.costNote { out += "cost assumptions: \(note)\n" }
    out +=
      "method: Sardana et al. 2024 (arXiv 2401.00448): minimise 6·N·D + 2·N·T on L(N, D) = loss.\n"
    return out
  }
}
