// `scaleplan plan --target-loss L --inference-tokens T [--objective cost --gpu ID]`: the flags
// of the inference-aware part of `plan` (Sardana et al. 2024) and its rendering. Plan.swift
// includes these options with `@OptionGroup var inferenceAware: InferenceAwareOptions`, puts them
// into its `PlanRequest`, and renders `Engine.inferenceAwarePlan`'s result with `render`.

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
  @Option(
    name: .long,
    help: "What to minimise with --inference-tokens: flops (default \(InferenceAwareDefaults.objective)) or cost.")
  public var objective: String?
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

  /// Prints an inference-aware plan as a table (and its explanation), or as JSON.
  func render(_ plan: InferenceAwarePlanResult, output: OutputOptions) throws {
    if output.json {
      try JSONOutput.print(output.explain ? plan : plan.withoutExplanation())
      return
    }
    print(Self.table(plan), terminator: "")
    if output.explain { print(plan.explanation?.render() ?? "", terminator: "") }
  }

  static func table(_ plan: InferenceAwarePlanResult) -> String {
    var out = "plan: loss \(Format.number(plan.targetLoss)) with \(Format.si(plan.inferenceTokens))"
    out +=
      " lifetime inference tokens, minimising \(plan.objective == "cost" ? "dollars" : "FLOPs")\n"
    out += "law: \(plan.law)\n\n"
    var t = TextTable(header: ["", "inference-aware", "Chinchilla-optimal"])
    let o = plan.optimal
    let c = plan.chinchillaOptimal
    t.add(["params", Format.si(o.params), Format.si(c.params)])
    t.add(["training tokens", Format.si(o.tokens), Format.si(c.tokens)])
    t.add([
      "tokens per param", Format.number(o.tokensPerParam), Format.number(c.tokensPerParam),
    ])
    t.add([
      "training FLOPs", Format.scientific(o.computeFLOPs), Format.scientific(c.computeFLOPs),
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
    out += "\(fewer ? "fewer" : "more") FLOPs (\(Format.number(abs(plan.savingFLOPsPercent)))%)"
    if let s = plan.savingCostUSD, let p = plan.savingCostPercent {
      out += "; \(Format.dollars(abs(s))) \(s >= 0 ? "cheaper" : "dearer") "
      out += "(\(Format.number(abs(p)))%)"
    }
    out += "\n"
    if let note = plan.costAssumptions { out += "cost assumptions: \(note)\n" }
    out += "method: \(plan.method)\n"
    return out
  }
}
