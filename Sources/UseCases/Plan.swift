// `plan`: compute-optimal parameters N* and tokens D* for a compute or dollar budget, the
// compute-optimal partner of a given N or D, or the least compute for a target loss, under one
// law or all of them (Planner/ComputeOptimal.swift), costed on an accelerator when one is named
// (Planner/TrainingBudget.swift turns dollars into compute, Planner/TrainingCost.swift turns the
// compute back into hours, dollars and days). Two fixed inputs (compute with N or D, N with D,
// a target loss with N or D) plan the run they fix instead (Planner/PairPlan.swift); a cluster
// window (`gpus` for `days` or `hours`) is a compute (PlanInputs.swift says which inputs combine).
// Every row carries the run's peak learning rate and batch size (Planner/Hyperparameters.swift,
// DeepSeek-AI 2024 §3.1). The inference-aware question that `plan` also
// answers (`--inference-tokens`) is in PlanInferenceAware.swift: it takes the same request and
// gives its own result.

import Catalog
import Foundation
import Planner

/// Defaults `plan` applies when a request leaves a value out, with their sources.
public enum PlanDefaults {
  /// Training precision for the accelerator's peak.
  public static let precision: Precision = .bf16
  /// Model FLOPs utilisation (the value `TrainingDefaults.mfu`).
  public static let mfu = TrainingDefaults.mfu
  /// The default MFU's sources, short enough for a table note.
  public static let mfuCitation =
    "Llama 3, Dubey et al. 2024 Table 4; PaLM, Chowdhery et al. 2022 Table 3"
  /// The default MFU's sources in full, for the explanation.
  public static let mfuSource =
    "Llama 3.1 405B 38–43% on H100 (Dubey et al. 2024, The Llama 3 Herd of Models, Table 4); "
    + "PaLM 540B 46.2%, Gopher 32.5%, GPT-3 21.3% (Chowdhery et al. 2022, PaLM, Table 3); "
    + "frontier runs typically 30–50%"
}

/// The inputs of `plan`. Numbers are already parsed from their text (`$10M` → 1e7); nil means
/// "not given" and the engine applies the default. One of compute (`compute`, `budget`, or the
/// cluster window `gpus` with `days` or `hours`), `params`, `tokens`, `targetLoss` says what is
/// fixed, or two of them that fit together (PlanInputs.swift). With `inferenceTokens` the request asks
/// the inference-aware question (`Engine.inferenceAwarePlan`), otherwise the compute-optimal one
/// (`Engine.plan`); both share the law and accelerator fields.
public struct PlanRequest: Codable, Sendable, Equatable {
  /// Training compute in FLOPs (`--compute`).
  public var compute: Double?
  /// Budget in US$ (`--budget`); needs `gpu`.
  public var budget: Double?
  /// Model size: plan the compute for which it is optimal (`--params`).
  public var params: Double?
  /// Token count: plan the compute for which it is optimal (`--tokens`).
  public var tokens: Double?
  /// Target loss in nats/token: the least compute reaching it (`--target-loss`).
  public var targetLoss: Double?
  /// Law id or alias (`--law`); nil means `DefaultLaw.id`.
  public var law: String?
  /// Plan under every law (`--all-laws`).
  public var allLaws: Bool
  /// Accelerator id from data/accelerators.csv (`--gpu`).
  public var gpu: String?
  /// Model FLOPs utilisation in (0, 1] (`--mfu`); nil means `PlanDefaults.mfu`.
  public var mfu: Double?
  /// US$ per accelerator-hour (`--price`); nil means the catalog's dated price.
  public var price: Double?
  /// Cluster size for wall-clock time (`--gpus`).
  public var gpus: Int?
  /// Training precision (`--precision`); nil means `PlanDefaults.precision`.
  public var precision: Precision?

  /// Lifetime inference tokens (`--inference-tokens`); turns on inference-aware allocation.
  public var inferenceTokens: Double?
  /// `flops` or `cost` (`--objective`); nil means `flops`.
  public var objective: String?
  /// Inference accelerator for the cost objective (`--inference-gpu`); nil means `gpu`.
  public var inferenceGpu: String?
  /// Training accelerator for the cost objective (`--train-gpu`); nil means `gpu`.
  public var trainGpu: String?
  /// Inference precision (`--inference-precision`); nil means fp8 where the accelerator has it.
  public var inferencePrecision: String?
  /// Training precision for the cost objective (`--train-precision`); nil means bf16.
  public var trainPrecision: String?
  /// Inference US$ per accelerator-hour (`--inference-price`); nil means `price`, else catalog.
  public var inferencePrice: Double?
  /// Training US$ per accelerator-hour (`--train-price`); nil means `price`, else catalog.
  public var trainPrice: Double?
  /// Training MFU for the cost objective (`--train-mfu`); nil means `mfu`, else 0.5.
  public var trainMfu: Double?
  /// Prefill MFU (`--prefill-mfu`); nil means 0.5.
  public var prefillMfu: Double?
  /// Decode MFU (`--decode-mfu`); nil means 0.01.
  public var decodeMfu: Double?
  /// Fraction of inference tokens that are prompt tokens (`--input-fraction`); nil means 70/285.
  public var inputFraction: Double?

  // Cluster window (PlanInputs.swift): `gpus` accelerators for a wall-clock time.
  /// Wall-clock days of the cluster window (`--days`); needs `gpus` and `gpu`.
  public var days: Double?
  /// Wall-clock hours of the cluster window (`--hours`); needs `gpus` and `gpu`.
  public var hours: Double?

  /// Creates a request; every field may be left out.
  public init(
    compute: Double? = nil, budget: Double? = nil, params: Double? = nil, tokens: Double? = nil,
    targetLoss: Double? = nil, law: String? = nil, allLaws: Bool = false, gpu: String? = nil,
    mfu: Double? = nil, price: Double? = nil, gpus: Int? = nil, precision: Precision? = nil,
    inferenceTokens: Double? = nil, objective: String? = nil, inferenceGpu: String? = nil,
    trainGpu: String? = nil, inferencePrecision: String? = nil, trainPrecision: String? = nil,
    inferencePrice: Double? = nil, trainPrice: Double? = nil, trainMfu: Double? = nil,
    prefillMfu: Double? = nil, decodeMfu: Double? = nil, inputFraction: Double? = nil,
    days: Double? = nil, hours: Double? = nil
  ) {
    self.compute = compute
    self.budget = budget
    self.params = params
    self.tokens = tokens
    self.targetLoss = targetLoss
    self.law = law
    self.allLaws = allLaws
    self.gpu = gpu
    self.mfu = mfu
    self.price = price
    self.gpus = gpus
    self.precision = precision
    self.inferenceTokens = inferenceTokens
    self.objective = objective
    self.inferenceGpu = inferenceGpu
    self.trainGpu = trainGpu
    self.inferencePrecision = inferencePrecision
    self.trainPrecision = trainPrecision
    self.inferencePrice = inferencePrice
    self.trainPrice = trainPrice
    self.trainMfu = trainMfu
    self.prefillMfu = prefillMfu
    self.decodeMfu = decodeMfu
    self.inputFraction = inputFraction
    self.days = days
    self.hours = hours
  }

  /// True when the request asks the inference-aware question.
  public var isInferenceAware: Bool { inferenceTokens != nil }

  /// Checks every field and combination.
  /// - Throws: `RequestError.invalid` with one sentence naming the flag.
  public func validate() throws {
    _ = try resolvedInputs()
    if budget != nil && gpu == nil {
      throw RequestError.invalid(
        "--budget needs --gpu to turn dollars into FLOPs, e.g. --gpu h100.")
    }
    if law != nil && allLaws {
      throw RequestError.invalid("Give either --law or --all-laws, not both.")
    }
    if gpu == nil && (mfu != nil || price != nil || gpus != nil || days != nil || hours != nil) {
      throw RequestError.invalid(
        "--mfu, --price, --gpus, --days and --hours need --gpu to say which accelerator.")
    }
    if let gpus, gpus <= 0 {
      throw RequestError.invalid("--gpus must be a positive whole number, got \(gpus).")
    }
    for (value, flag, bound) in [
      (compute, "--compute", InputBounds.flops), (budget, "--budget", InputBounds.dollars),
      (params, "--params", InputBounds.params), (tokens, "--tokens", InputBounds.tokens),
      (targetLoss, "--target-loss", InputBounds.loss), (price, "--price", InputBounds.pricePerHour),
      (days, "--days", InputBounds.days), (hours, "--hours", InputBounds.hours),
    ] {
      if let value { try bound.check(value, flag) }
    }
    if let mfu { try positive(mfu, "--mfu") }
    if let gpus { try InputBounds.accelerators.check(gpus, "--gpus") }
    if let mfu, mfu > 1 {
      throw RequestError.invalid(
        QuantityError.outOfRange(name: "--mfu", value: mfu, range: "between 0 and 1").description)
    }
    if let t = inferenceTokens { try validateInferenceAware(tokens: t) }
  }

  private func validateInferenceAware(tokens t: Double) throws {
    if targetLoss == nil {
      throw RequestError.invalid("--inference-tokens needs --target-loss (the quality to reach).")
    }
    guard t.isFinite, t >= 0 else {
      throw RequestError.invalid(
        InferenceError.negative(name: "--inference-tokens", value: t).description)
    }
    if t > 0 { try InputBounds.servedTokens.check(t, "--inference-tokens") }
    let objective = (self.objective ?? "flops").lowercased()
    guard objective == "flops" || objective == "cost" else {
      throw RequestError.invalid("Unknown --objective '\(self.objective ?? "")'; use flops or cost.")
    }
    if objective == "cost" && ((inferenceGpu ?? gpu) == nil || (trainGpu ?? gpu) == nil) {
      throw RequestError.invalid(
        "--objective cost needs --gpu ID (or --train-gpu and --inference-gpu).")
    }
    for (value, flag) in [(trainPrice, "--train-price"), (inferencePrice, "--inference-price")] {
      if let value, !(value.isFinite && value > 0) {
        throw RequestError.invalid(InferenceError.notPositive(name: flag, value: value).description)
      }
      if let value { try InputBounds.pricePerHour.check(value, flag) }
    }
    for (value, flag) in [
      (trainMfu, "--train-mfu"), (prefillMfu, "--prefill-mfu"), (decodeMfu, "--decode-mfu"),
    ] {
      if let value, !(value.isFinite && value > 0 && value <= 1) {
        throw RequestError.invalid(
          InferenceError.fractionOutOfRange(name: flag, value: value).description)
      }
    }
    if let f = inputFraction, !(f.isFinite && f >= 0 && f <= 1) {
      throw RequestError.invalid(
        InferenceError.fractionOutOfRange(name: "--input-fraction", value: f).description)
    }
  }

  private func positive(_ value: Double, _ flag: String) throws {
    guard value.isFinite, value > 0 else {
      throw RequestError.invalid(QuantityError.notPositive(name: flag, value: value).description)
    }
  }

  enum CodingKeys: String, CodingKey {
    case compute, budget, params, tokens, law, gpu, mfu, price, gpus, precision, objective
    case targetLoss = "target_loss"
    case allLaws = "all_laws"
    case inferenceTokens = "inference_tokens"
    case inferenceGpu = "inference_gpu"
    case trainGpu = "train_gpu"
    case inferencePrecision = "inference_precision"
    case trainPrecision = "train_precision"
    case inferencePrice = "inference_price"
    case trainPrice = "train_price"
    case trainMfu = "train_mfu"
    case prefillMfu = "prefill_mfu"
    case decodeMfu = "decode_mfu"
    case inputFraction = "input_fraction"
    case days, hours
  }

  /// Decodes a request in which any key may be missing (`all_laws` then means false).
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      compute: try c.decodeIfPresent(Double.self, forKey: .compute),
      budget: try c.decodeIfPresent(Double.self, forKey: .budget),
      params: try c.decodeIfPresent(Double.self, forKey: .params),
      tokens: try c.decodeIfPresent(Double.self, forKey: .tokens),
      targetLoss: try c.decodeIfPresent(Double.self, forKey: .targetLoss),
      law: try c.decodeIfPresent(String.self, forKey: .law),
      allLaws: try c.decodeIfPresent(Bool.self, forKey: .allLaws) ?? false,
      gpu: try c.decodeIfPresent(String.self, forKey: .gpu),
      mfu: try c.decodeIfPresent(Double.self, forKey: .mfu),
      price: try c.decodeIfPresent(Double.self, forKey: .price),
      gpus: try c.decodeIfPresent(Int.self, forKey: .gpus),
      precision: try c.decodeIfPresent(Precision.self, forKey: .precision),
      inferenceTokens: try c.decodeIfPresent(Double.self, forKey: .inferenceTokens),
      objective: try c.decodeIfPresent(String.self, forKey: .objective),
      inferenceGpu: try c.decodeIfPresent(String.self, forKey: .inferenceGpu),
      trainGpu: try c.decodeIfPresent(String.self, forKey: .trainGpu),
      inferencePrecision: try c.decodeIfPresent(String.self, forKey: .inferencePrecision),
      trainPrecision: try c.decodeIfPresent(String.self, forKey: .trainPrecision),
      inferencePrice: try c.decodeIfPresent(Double.self, forKey: .inferencePrice),
      trainPrice: try c.decodeIfPresent(Double.self, forKey: .trainPrice),
      trainMfu: try c.decodeIfPresent(Double.self, forKey: .trainMfu),
      prefillMfu: try c.decodeIfPresent(Double.self, forKey: .prefillMfu),
      decodeMfu: try c.decodeIfPresent(Double.self, forKey: .decodeMfu),
      inputFraction: try c.decodeIfPresent(Double.self, forKey: .inputFraction),
      days: try c.decodeIfPresent(Double.self, forKey: .days),
      hours: try c.decodeIfPresent(Double.self, forKey: .hours))
  }
}

/// The accelerator a plan was costed on, with every value's source.
public struct PlanSetup: Codable, Sendable, Equatable {
  /// Accelerator id from the catalog, e.g. `h100`.
  public var accelerator: String
  /// The precision whose peak was used (bf16 and fp16 stand in for each other).
  public var precision: Precision
  /// Display name: id and precision, e.g. `h100 bf16`.
  public var acceleratorName: String
  /// Dense peak FLOP/s of one accelerator at `precision`.
  public var peakFLOPS: Double
  /// Model FLOPs utilisation used.
  public var mfu: Double
  /// True when `mfu` is the default, not the request's.
  public var mfuIsDefault: Bool
  /// Where the MFU comes from, in full (`--mfu`, or the default's sources).
  public var mfuSource: String
  /// The same, short enough for a table note: `--mfu` or `default (…)`.
  public var mfuNote: String
  /// US$ per accelerator-hour used, nil when neither the request nor the catalog has one.
  public var pricePerHour: Double?
  /// Where the price comes from: `--price`, or the catalog row with its date and source.
  public var priceSource: String
  /// Accelerators in the cluster, for wall-clock time.
  public var clusterSize: Int?

  enum CodingKeys: String, CodingKey {
    case accelerator, precision, mfu
    case acceleratorName = "accelerator_name"
    case peakFLOPS = "peak_flops"
    case mfuIsDefault = "mfu_is_default"
    case mfuSource = "mfu_source"
    case mfuNote = "mfu_note"
    case pricePerHour = "price_per_hour"
    case priceSource = "price_source"
    case clusterSize = "cluster_size"
  }
}

/// One law's compute-optimal plan, costed when the request named an accelerator.
public struct PlanRow: Codable, Sendable, Equatable {
  /// Law id, e.g. `epoch2024`.
  public var law: String
  /// The law's citation from data/laws.csv.
  public var citation: String
  /// Why this law was used when the request named none (`DefaultLaw.why`), else nil.
  public var defaultLaw: String?
  /// Training compute in FLOPs.
  public var computeFLOPs: Double
  /// Compute-optimal parameters N*.
  public var params: Double
  /// True when the law counts non-embedding parameters (Kaplan et al. 2020).
  public var paramsAreNonEmbedding: Bool
  /// Compute-optimal tokens D*.
  public var tokens: Double
  /// D*/N*.
  public var tokensPerParam: Double
  /// Predicted loss in nats/token; nil for allocation-only laws.
  public var loss: Double?
  /// 80% interval on N* (equal ends when N was given).
  public var paramsInterval: [Double]?
  /// 80% interval on D*.
  public var tokensInterval: [Double]?
  /// How the intervals were drawn (bootstrap refits, correlated or independent normals).
  public var intervalMethod: String?
  /// 80% interval on D/N (each refit's or draw's own ratio).
  public var tokensPerParamInterval: [Double]? = nil
  /// 80% interval on the planned run's loss across the refits or draws.
  public var lossInterval: [Double]? = nil
  /// N under the 20-tokens-per-parameter rule at the same compute.
  public var rule20Params: Double
  /// D under the same rule.
  public var rule20Tokens: Double
  /// Accelerator-hours for the compute (with an accelerator).
  public var acceleratorHours: Double?
  /// US$ for the compute (with a price).
  public var costUSD: Double?
  /// Days on the cluster (with `gpus`).
  public var wallClockDays: Double?
  /// The two quantities a pair plan fixed (`compute`, `params`, `tokens`, `loss`); nil for a
  /// compute-optimal plan.
  public var fixed: [String]?
  /// For a pair plan: the compute-optimal N*, D* and loss at the same compute, and the loss
  /// penalty of the planned split.
  public var computeOptimal: PairComparison?
  /// Peak learning rate and batch size for the compute (DeepSeek LLM §3.1).
  public var hyperparameters: RunHyperparameters?
  /// This law's steps: budget, allocation, loss, rule, interval, cost.
  public var explanation: Explanation?

  enum CodingKeys: String, CodingKey {
    case law, citation, params, tokens, loss, explanation
    case defaultLaw = "default_law"
    case computeFLOPs = "compute_flops"
    case paramsAreNonEmbedding = "params_are_non_embedding"
    case tokensPerParam = "tokens_per_param"
    case paramsInterval = "params_interval"
    case tokensInterval = "tokens_interval"
    case intervalMethod = "interval_method"
    case tokensPerParamInterval = "tokens_per_param_interval"
    case lossInterval = "loss_interval"
    case rule20Params = "rule20_params"
    case rule20Tokens = "rule20_tokens"
    case acceleratorHours = "accelerator_hours"
    case costUSD = "cost_usd"
    case wallClockDays = "wall_clock_days"
    case fixed, hyperparameters
    case computeOptimal = "compute_optimal"
  }

  /// Encodes `loss` as null for allocation-only laws (never missing), the rest when present.
  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(law, forKey: .law)
    try c.encode(citation, forKey: .citation)
    try c.encodeIfPresent(defaultLaw, forKey: .defaultLaw)
    try c.encode(computeFLOPs, forKey: .computeFLOPs)
    try c.encode(params, forKey: .params)
    try c.encode(paramsAreNonEmbedding, forKey: .paramsAreNonEmbedding)
    try c.encode(tokens, forKey: .tokens)
    try c.encode(tokensPerParam, forKey: .tokensPerParam)
    try c.encode(loss, forKey: .loss)
    try c.encodeIfPresent(paramsInterval, forKey: .paramsInterval)
    try c.encodeIfPresent(tokensInterval, forKey: .tokensInterval)
    try c.encodeIfPresent(intervalMethod, forKey: .intervalMethod)
    try c.encodeIfPresent(tokensPerParamInterval, forKey: .tokensPerParamInterval)
    try c.encodeIfPresent(lossInterval, forKey: .lossInterval)
    try c.encode(rule20Params, forKey: .rule20Params)
    try c.encode(rule20Tokens, forKey: .rule20Tokens)
    try c.encodeIfPresent(acceleratorHours, forKey: .acceleratorHours)
    try c.encodeIfPresent(costUSD, forKey: .costUSD)
    try c.encodeIfPresent(wallClockDays, forKey: .wallClockDays)
    try c.encodeIfPresent(fixed, forKey: .fixed)
    try c.encodeIfPresent(computeOptimal, forKey: .computeOptimal)
    try c.encodeIfPresent(hyperparameters, forKey: .hyperparameters)
    try c.encodeIfPresent(explanation, forKey: .explanation)
  }
}

/// The 20-tokens-per-parameter split of one compute budget (the all-laws table's last row).
public struct RuleOfThumb: Codable, Sendable, Equatable {
  /// The compute budget in FLOPs.
  public var computeFLOPs: Double
  /// N = √(C/120).
  public var params: Double
  /// D = 20·N.
  public var tokens: Double
  /// D/N (20).
  public var tokensPerParam: Double
}

/// The answer to a `PlanRequest` without `inferenceTokens`.
///
/// JSON (the `--json` of `plan`): with one law, the row's object with `setup`, `cluster_window`
/// and `warnings` added; with `allLaws`, the array of rows, each with `setup` and
/// `cluster_window`. A row carries `hyperparameters` and, for a pair plan, `fixed` and
/// `compute_optimal`. The all-laws notes, the skipped
/// laws and the rule-of-thumb row are for tables and are not in the JSON; decoding restores the
/// rows, the setup and (one law) the warnings.
public struct PlanResult: Codable, Sendable, Explained {
  /// True when every law was asked (`--all-laws`).
  public var allLaws: Bool
  /// One row per law that could answer, in registry order.
  public var rows: [PlanRow]
  /// The accelerator, MFU, price and cluster the rows were costed on; nil without `gpu`.
  public var setup: PlanSetup?
  /// What the budget bought, when the request gave `budget`.
  public var budget: BudgetCompute?
  /// The cluster window: given (`gpus` with `days` or `hours`), or the days `budget` buys on
  /// `gpus`.
  public var window: ClusterWindow?
  /// The 20-tokens rule at the requested compute (all laws, compute or budget requests only:
  /// with a size, tokens or loss fixed, each law plans a different compute).
  public var ruleOfThumb: RuleOfThumb?
  /// Laws that could not answer (no loss prediction, or the target is out of reach).
  public var skippedLaws: [String]
  /// "Why they disagree: …" for the all-laws table (the N* spread and its causes).
  public var whyTheyDisagree: String?
  /// The lines the all-laws table prints under it, in order.
  public var notes: [String]
  /// Anything the user should know about the answer.
  public var warnings: [String]

  /// Every row's explanation: one law's steps as they are; with several laws, each step's
  /// quantity prefixed with its law (`epoch2024: predicted loss`). Setting nil removes every
  /// row's explanation; setting steps back distributes them by that prefix.
  public var explanation: Explanation? {
    get {
      if rows.count == 1 { return rows[0].explanation }
      guard rows.contains(where: { $0.explanation != nil }) else { return nil }
      return Explanation(
        rows.flatMap { row in
          (row.explanation?.steps ?? []).map { step in
            var s = step
            s.quantity = "\(row.law): \(step.quantity)"
            return s
          }
        })
    }
    set {
      for i in rows.indices {
        guard let all = newValue else {
          rows[i].explanation = nil
          continue
        }
        if rows.count == 1 {
          rows[i].explanation = all
          continue
        }
        let prefix = "\(rows[i].law): "
        rows[i].explanation = Explanation(
          all.steps.filter { $0.quantity.hasPrefix(prefix) }.map { step in
            var s = step
            s.quantity = String(step.quantity.dropFirst(prefix.count))
            return s
          })
      }
    }
  }

  /// Creates a result.
  public init(
    allLaws: Bool, rows: [PlanRow], setup: PlanSetup?, budget: BudgetCompute? = nil,
    ruleOfThumb: RuleOfThumb? = nil, skippedLaws: [String] = [], whyTheyDisagree: String? = nil,
    notes: [String] = [], warnings: [String] = []
  ) {
    self.allLaws = allLaws
    self.rows = rows
    self.setup = setup
    self.budget = budget
    self.ruleOfThumb = ruleOfThumb
    self.skippedLaws = skippedLaws
    self.whyTheyDisagree = whyTheyDisagree
    self.notes = notes
    self.warnings = warnings
  }

  private enum ExtraKeys: String, CodingKey {
    case setup, warnings
    case window = "cluster_window"
  }

  /// Encodes as `plan --json` prints: one row's object, or the array of rows.
  public func encode(to encoder: Encoder) throws {
    if allLaws {
      var list = encoder.unkeyedContainer()
      for row in rows {
        try list.encode(RowWithSetup(row: row, setup: setup, window: window, warnings: nil))
      }
    } else {
      guard let row = rows.first else {
        var empty = encoder.singleValueContainer()
        try empty.encodeNil()
        return
      }
      try RowWithSetup(row: row, setup: setup, window: window, warnings: warnings)
        .encode(to: encoder)
    }
  }

  /// Decodes what `encode(to:)` wrote.
  public init(from decoder: Decoder) throws {
    if var list = try? decoder.unkeyedContainer() {
      var rows: [PlanRow] = []
      var setup: PlanSetup?
      var window: ClusterWindow?
      while !list.isAtEnd {
        let r = try list.decode(RowWithSetup.self)
        rows.append(r.row)
        setup = setup ?? r.setup
        window = window ?? r.window
      }
      self.init(allLaws: true, rows: rows, setup: setup)
      self.window = window
    } else {
      let r = try RowWithSetup(from: decoder)
      self.init(allLaws: false, rows: [r.row], setup: r.setup, warnings: r.warnings ?? [])
      self.window = r.window
    }
  }

  /// A row's keys with the setup (and, for one law, the warnings) beside them.
  private struct RowWithSetup: Codable {
    var row: PlanRow
    var setup: PlanSetup?
    var window: ClusterWindow?
    var warnings: [String]?

    init(row: PlanRow, setup: PlanSetup?, window: ClusterWindow?, warnings: [String]?) {
      self.row = row
      self.setup = setup
      self.window = window
      self.warnings = warnings
    }

    func encode(to encoder: Encoder) throws {
      try row.encode(to: encoder)
      var c = encoder.container(keyedBy: ExtraKeys.self)
      try c.encodeIfPresent(setup, forKey: .setup)
      try c.encodeIfPresent(window, forKey: .window)
      try c.encodeIfPresent(warnings, forKey: .warnings)
    }

    init(from decoder: Decoder) throws {
      row = try PlanRow(from: decoder)
      let c = try decoder.container(keyedBy: ExtraKeys.self)
      setup = try c.decodeIfPresent(PlanSetup.self, forKey: .setup)
      window = try c.decodeIfPresent(ClusterWindow.self, forKey: .window)
      warnings = try c.decodeIfPresent([String].self, forKey: .warnings)
    }
  }
}

extension Engine {
  /// Answers the compute-optimal question of `request`: N*, D*, loss and intervals under one law
  /// or all of them, costed on `request.gpu` when given.
  ///
  /// - Throws: `RequestError` for an invalid request, an unknown accelerator or law, a missing
  ///   price for a budget; `LawError` when the one law asked cannot answer; `QuantityError` for
  ///   an implied compute out of range.
  public func plan(_ request: PlanRequest) throws -> PlanResult {
    try requireFinite(
      planUnchecked(request),
      inputs: "--compute, --budget, --params, --tokens, --target-loss, --days or --hours")
  }

  func planUnchecked(_ request: PlanRequest) throws -> PlanResult {
    try request.validate()
    if request.isInferenceAware {
      throw RequestError.invalid(
        "--inference-tokens asks for an inference-aware plan (Engine.inferenceAwarePlan).")
    }
    let inputs = try request.resolvedInputs()
    let registry = try laws(named: request.law)
    let costing = try request.gpu.map { try trainingSetup(accelerator: $0, request) }
    let resolved = try resolvePlan(inputs, request: request, costing: costing)
    let bought = resolved.bought

    let presets =
      request.allLaws ? registry.all : [try registry.law(named: request.law ?? DefaultLaw.id)]
    var plans: [ComputeOptimalPlan] = []
    var pairFixed: [String]?
    switch resolved.question {
    case .single(let target):
      plans =
        request.allLaws
        ? try planAllLaws(target, presets: presets)
        : [try planComputeOptimal(target, preset: presets[0])]
    case .pair(let pair):
      pairFixed = pair.fixed
      for preset in presets {
        do {
          let plan = try planPair(pair, preset: preset, computeSource: resolved.computeSource)
          try checkDerived(plan, pair: pair)
          plans.append(plan)
        } catch let error
          where request.allLaws
          && (error is PairError || error is LawError || error is RequestError)
        {
          continue
        }
      }
    }
    var rows: [PlanRow] = []
    var warnings: [String] = []
    for plan in plans {
      guard let preset = presets.first(where: { $0.id == plan.law }) else { continue }
      var explanation = plan.explanation
      explanation.steps.insert(
        contentsOf: [bought?.step, resolved.windowStep].compactMap { $0 }, at: 0)
      var row = PlanRow(
        law: plan.law, citation: preset.citation,
        defaultLaw: request.law == nil && !request.allLaws ? DefaultLaw.why : nil,
        computeFLOPs: plan.computeFLOPs, params: plan.params,
        paramsAreNonEmbedding: { if case .kaplan = preset.law { return true } else { return false } }(),
        tokens: plan.tokens, tokensPerParam: plan.tokensPerParam, loss: plan.loss,
        paramsInterval: plan.paramsInterval, tokensInterval: plan.tokensInterval,
        intervalMethod: plan.paramsInterval == nil
          ? nil : preset.uncertainty.map { AllocationIntervalMethod.caveat(for: $0) },
        rule20Params: plan.rule20Params, rule20Tokens: plan.rule20Tokens, explanation: nil)
      row.tokensPerParamInterval = plan.tokensPerParamInterval
      row.lossInterval = plan.lossInterval
      row.fixed = pairFixed
      row.computeOptimal = plan.comparison
      if let costing {
        let cost = try estimateTrainingCost(flops: plan.computeFLOPs, setup: costing.setup)
        row.acceleratorHours = cost.acceleratorHours
        row.costUSD = cost.costUSD
        row.wallClockDays = cost.wallClockDays
        explanation.steps += cost.explanation.steps
      }
      let hyper = RunHyperparameters(flops: plan.computeFLOPs)
      row.hyperparameters = hyper
      explanation.steps += hyper.steps
      if let w = hyper.rangeWarning, !warnings.contains(w) { warnings.append(w) }
      row.explanation = explanation
      rows.append(row)
    }
    if rows.isEmpty, case .pair = resolved.question {
      throw RequestError.invalid(
        "No law can answer this pair: each either predicts no loss or cannot reach the target; "
          + "drop --all-laws to see why under one law.")
    }

    var result = PlanResult(
      allLaws: request.allLaws, rows: rows, setup: costing?.summary, budget: bought,
      warnings: warnings)
    result.window = resolved.window
    if request.allLaws {
      result.skippedLaws = presets.filter { p in !rows.contains { $0.law == p.id } }.map(\.id)
      if case .single(.compute(let c)) = resolved.question {
        let rule = twentyTokensPerParam(flops: c)
        result.ruleOfThumb = RuleOfThumb(
          computeFLOPs: c, params: rule.params, tokens: rule.tokens,
          tokensPerParam: rule.tokens / rule.params)
      }
      let spread = pairFixed == nil ? parameterSpread(plans).map { $0 + "; " } ?? "" : ""
      let why = "Why they disagree: \(spread)\(whyLawsDisagree)"
      result.whyTheyDisagree = why
      if !result.skippedLaws.isEmpty {
        result.notes.append(
          "not shown (no loss prediction, or the target is out of reach): "
            + result.skippedLaws.joined(separator: ", "))
      }
      result.notes.append(
        "Losses are in nats/token on each law's own data set (kaplan2020: WebText2; others: "
          + "MassiveText or their own runs), so compare losses within a law, not across laws.")
      result.notes.append(why)
    }
    return result
  }

  /// Refuses a pair plan whose derived size, tokens or compute leave the ranges every input is
  /// held to (a model under one parameter, more tokens than `InputBounds.tokens`, …).
  func checkDerived(_ plan: ComputeOptimalPlan, pair: PlanPair) throws {
    let derived: [(Double, String, InputBound, Bool)] = [
      (plan.params, "parameters N", InputBounds.params, !pair.fixed.contains("params")),
      (plan.tokens, "tokens D", InputBounds.tokens, !pair.fixed.contains("tokens")),
      (plan.computeFLOPs, "compute C", InputBounds.flops, !pair.fixed.contains("compute")),
    ]
    for (value, name, bound, isDerived) in derived where isDerived {
      guard value >= 1, value <= bound.limit else {
        throw RequestError.invalid(
          "These inputs imply \(name) = \(Format.scientific(value)), outside 1 to "
            + "\(Format.scientific(bound.limit)) (\(bound.reason)); bring the two inputs closer to "
            + "a compute-optimal pair.")
      }
    }
  }

  /// The training setup for `plan` on accelerator `id`, and its summary with sources.
  func trainingSetup(accelerator id: String, _ request: PlanRequest) throws
    -> (setup: TrainingSetup, summary: PlanSetup)
  {
    let cat = try catalog()
    let acc = try cat.accelerator(id)
    let energy = try EnergyDefaults(cat)
    let precision = request.precision ?? PlanDefaults.precision
    let used = acc.effectivePrecision(precision)
    let price = request.price ?? acc.priceUSDPerHour
    let name = "\(acc.id) \(used.rawValue)"
    var setup = TrainingSetup(
      acceleratorName: name, peakFLOPS: try acc.peak(at: precision),
      mfu: request.mfu ?? PlanDefaults.mfu, pricePerHour: price, chipWatts: acc.tdpWatts,
      serverOverhead: energy.overhead, pue: energy.pue, gridKgCO2PerKWh: energy.grid,
      clusterSize: request.gpus, memoryBytesPerAccelerator: acc.memoryGB * 1e9)
    setup.priceSource =
      request.price != nil
      ? "--price" : "catalog, \(acc.priceDate ?? "undated"): \(acc.priceSource ?? "")"
    try setup.validate()
    let summary = PlanSetup(
      accelerator: acc.id, precision: used, acceleratorName: name, peakFLOPS: setup.peakFLOPS,
      mfu: setup.mfu, mfuIsDefault: request.mfu == nil,
      mfuSource: request.mfu == nil ? "default, \(PlanDefaults.mfuSource)" : "--mfu",
      mfuNote: request.mfu == nil ? "default (\(PlanDefaults.mfuCitation))" : "--mfu",
      pricePerHour: price, priceSource: setup.priceSource, clusterSize: request.gpus)
    return (setup, summary)
  }
}
