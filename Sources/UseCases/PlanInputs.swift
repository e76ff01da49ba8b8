// Which of `plan`'s inputs fix the run, and whether they fit together. A plan is fixed by one of
// compute C, parameters N, tokens D or a target loss L (the compute-optimal question), or by two
// of them (Planner/PairPlan.swift): C + N, C + D, N + D, N + L, D + L. The compute can be given
// three ways: `--compute`, `--budget` (dollars on `--gpu`), or a cluster window (`--gpus` with
// `--days` or `--hours` on `--gpu`); `--budget` with `--gpus` and no time gives the days the
// budget buys. Every other combination is refused with one sentence naming the conflict: two
// sources of compute, three or more fixed quantities, C with L (the compute alone fixes the best
// loss), or a window's partner missing.

import Foundation
import Planner

/// Where a request's compute comes from, when it fixes one.
enum PlanComputeInput: Equatable {
  /// `--compute` FLOPs.
  case compute(Double)
  /// `--budget` US$ on `--gpu`.
  case budget(Double)
  /// `--gpus` accelerators for `hours` (from `--days` or `--hours`, named by `flag`).
  case window(accelerators: Int, hours: Double, flag: String)
}

/// What a `PlanRequest` fixes, after its combinations are checked.
struct PlanInputs: Equatable {
  /// The compute, if the request fixes one.
  var compute: PlanComputeInput?
  /// `--params`.
  var params: Double?
  /// `--tokens`.
  var tokens: Double?
  /// `--target-loss`.
  var targetLoss: Double?

  /// How many of compute, parameters, tokens and target loss are fixed.
  var count: Int {
    [compute != nil, params != nil, tokens != nil, targetLoss != nil].filter { $0 }.count
  }
}

extension PlanRequest {
  /// The cluster window's hours (`--days` × 24 or `--hours`) and the flag they came from.
  var windowHours: (hours: Double, flag: String)? {
    if let days { return (days * 24, "--days") }
    if let hours { return (hours, "--hours") }
    return nil
  }

  /// The flags that fix the compute, as a sentence names them.
  var computeFlags: [String] {
    var flags: [String] = []
    if compute != nil { flags.append("--compute") }
    if budget != nil { flags.append("--budget") }
    if let w = windowHours { flags.append("--gpus with \(w.flag)") }
    return flags
  }

  /// Checks how the inputs combine and returns what they fix.
  /// - Throws: `RequestError.invalid` with one sentence naming the conflict or the missing partner.
  func resolvedInputs() throws -> PlanInputs {
    if days != nil && hours != nil {
      throw RequestError.invalid("Give --days or --hours for the cluster window, not both.")
    }
    if windowHours != nil && gpus == nil {
      throw RequestError.invalid(
        "--days and --hours need --gpus (how many accelerators) and --gpu (which), e.g. "
          + "--gpus 512 --days 30 --gpu h100.")
    }
    let sources = computeFlags
    if sources.count > 1 {
      throw RequestError.invalid(
        "\(listed(sources)) both fix the training compute and contradict each other; give one "
          + "of them.")
    }
    var inputs = PlanInputs(params: params, tokens: tokens, targetLoss: targetLoss)
    if let compute {
      inputs.compute = .compute(compute)
    } else if let budget {
      inputs.compute = .budget(budget)
    } else if let w = windowHours, let gpus {
      inputs.compute = .window(accelerators: gpus, hours: w.hours, flag: w.flag)
    }
    let named =
      sources + [
        params.map { _ in "--params" }, tokens.map { _ in "--tokens" },
        targetLoss.map { _ in "--target-loss" },
      ].compactMap { $0 }
    switch inputs.count {
    case 0:
      throw RequestError.invalid(
        "Give one of --compute, --budget, --params, --tokens, --target-loss or a cluster window "
          + "(--gpus with --days or --hours), or two that fit together such as --compute with "
          + "--params.")
    case 1, 2:
      break
    default:
      throw RequestError.invalid(
        "\(listed(named)) over-determine the plan: any two of compute, parameters, tokens and "
          + "target loss fix the rest; give two of them.")
    }
    if inferenceTokens != nil {
      let others = named.filter { $0 != "--target-loss" }
      if !others.isEmpty {
        throw RequestError.invalid(
          "--inference-tokens plans from --target-loss alone; drop \(listed(others)).")
      }
      return inputs
    }
    if inputs.count == 2, inputs.compute != nil, targetLoss != nil {
      throw RequestError.invalid(
        "--target-loss with \(sources[0]) over-determines the plan: the compute alone fixes the "
          + "best loss it can reach; give --params or --tokens with one of them instead.")
    }
    return inputs
  }

  /// "a", "a and b", "a, b and c".
  private func listed(_ names: [String]) -> String {
    guard let last = names.last else { return "" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
  }
}

/// The cluster window of a plan: the accelerators, the days and the compute they stand for.
public struct ClusterWindow: Codable, Sendable, Equatable {
  /// Accelerators in the cluster (`--gpus`).
  public var accelerators: Int
  /// Wall-clock days.
  public var days: Double
  /// Wall-clock hours (days × 24).
  public var hours: Double
  /// Accelerator-hours (accelerators × hours).
  public var acceleratorHours: Double
  /// The compute the window holds, in FLOPs.
  public var computeFLOPs: Double
  /// Where the window comes from: `--days`, `--hours`, or `--budget` (the days it buys).
  public var from: String

  /// The window of a Planner `ClusterWindowCompute`.
  init(_ w: ClusterWindowCompute, from: String) {
    accelerators = w.accelerators
    days = w.days
    hours = w.days * 24
    acceleratorHours = w.acceleratorHours
    computeFLOPs = w.flops
    self.from = from
  }

  enum CodingKeys: String, CodingKey {
    case accelerators, days, hours, from
    case acceleratorHours = "accelerator_hours"
    case computeFLOPs = "compute_flops"
  }
}

/// What the engine plans from, once the compute is known in FLOPs.
struct ResolvedPlan {
  /// One fixed quantity (compute-optimal plan) or two (pair plan).
  enum Question {
    case single(PlanTarget)
    case pair(PlanPair)
  }
  var question: Question
  /// Where the compute came from, for the explanation.
  var computeSource: String
  /// What the budget bought, when the request gave one.
  var bought: BudgetCompute?
  /// The cluster window (given, or bought by the budget on `--gpus`).
  var window: ClusterWindow?
  /// The step that turned the window into compute or the budget into days.
  var windowStep: ExplainedStep?
}

extension Engine {
  /// Turns checked inputs into the question the planner answers, converting a budget or a
  /// cluster window into FLOPs on `costing`'s accelerator.
  /// - Throws: `RequestError` when a budget has no price or a window no accelerator.
  func resolvePlan(
    _ inputs: PlanInputs, request: PlanRequest,
    costing: (setup: TrainingSetup, summary: PlanSetup)?
  ) throws -> ResolvedPlan {
    var flops: Double?
    var resolved = ResolvedPlan(question: .single(.compute(0)), computeSource: "--compute")
    switch inputs.compute {
    case .compute(let c)?:
      flops = c
    case .budget(let dollars)?:
      guard let costing else {
        throw RequestError.invalid(
          "--budget needs --gpu to turn dollars into FLOPs, e.g. --gpu h100.")
      }
      guard costing.setup.pricePerHour != nil else {
        throw RequestError.noPrice(costing.summary.accelerator)
      }
      let bought = try computeForBudget(
        dollars: dollars, setup: costing.setup, mfuSource: costing.summary.mfuSource)
      resolved.bought = bought
      resolved.computeSource = "--budget"
      flops = bought.flops
      if let gpus = request.gpus {
        let w = try windowForBudget(
          dollars: dollars, accelerators: gpus, setup: costing.setup,
          mfuSource: costing.summary.mfuSource)
        resolved.window = ClusterWindow(w, from: "--budget")
        resolved.windowStep = w.step
      }
    case .window(let gpus, let hours, let flag)?:
      guard let costing else {
        throw RequestError.invalid(
          "--gpus with \(flag) needs --gpu to say which accelerator, e.g. --gpu h100.")
      }
      let w = try computeForWindow(
        accelerators: gpus, hours: hours, setup: costing.setup, timeSource: flag,
        mfuSource: costing.summary.mfuSource)
      resolved.window = ClusterWindow(w, from: flag)
      resolved.windowStep = w.step
      resolved.computeSource = "--gpus with \(flag)"
      flops = w.flops
    case nil:
      break
    }
    if let c = flops {
      try InputBounds.flops.check(c, "the compute of \(resolved.computeSource)")
    }
    switch (flops, inputs.params, inputs.tokens, inputs.targetLoss) {
    case (let c?, nil, nil, nil): resolved.question = .single(.compute(c))
    case (nil, let n?, nil, nil): resolved.question = .single(.params(n))
    case (nil, nil, let d?, nil): resolved.question = .single(.tokens(d))
    case (nil, nil, nil, let l?): resolved.question = .single(.loss(l))
    case (let c?, let n?, nil, nil): resolved.question = .pair(.computeParams(compute: c, params: n))
    case (let c?, nil, let d?, nil): resolved.question = .pair(.computeTokens(compute: c, tokens: d))
    case (nil, let n?, let d?, nil): resolved.question = .pair(.paramsTokens(params: n, tokens: d))
    case (nil, let n?, nil, let l?): resolved.question = .pair(.paramsLoss(params: n, loss: l))
    case (nil, nil, let d?, let l?): resolved.question = .pair(.tokensLoss(tokens: d, loss: l))
    default:
      throw RequestError.invalid(
        "Give one of --compute, --budget, --params, --tokens, --target-loss or a cluster window "
          + "(--gpus with --days or --hours), or two that fit together such as --compute with "
          + "--params.")
    }
    return resolved
  }
}
