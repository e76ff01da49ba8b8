// `runway`: the year training-set demand meets the stock of human text (Villalobos et al. 2024,
// arXiv 2211.04325 v2), per scenario, with intervals. Stock and datasets: data/data-stock.csv;
// trends: data/trends.csv; the model: Planner/DataRunway.swift.

import Catalog
import Foundation
import Planner

/// A `runway` question. Optional fields take the catalogs' default rows; the engine applies
/// `defaultOvertrain`, `defaultLaw`, `defaultScenario`, `defaultUntil`, the draws and the seed.
public struct RunwayRequest: Codable, Sendable, Equatable {
  /// Tokens per parameter as a multiple of the compute-optimal ratio (`--overtrain`).
  public var overtrain: Double?
  /// Epochs of repetition allowed (`--epochs`), replacing the stock's own allowance.
  public var epochs: Double?
  /// Compute-optimal dataset rule (`--law`): `tokens20` or a law id of data/laws.csv.
  public var law: String?
  /// Scenario for the top-level keys (`--scenario`): historical, compute-optimal or combined.
  public var scenario: String?
  /// Effective stock of text in tokens, fixed (`--stock`).
  public var stock: Double?
  /// Stock growth factor per year, fixed (`--stock-growth`).
  public var stockGrowth: Double?
  /// Largest-dataset growth factor per year or doubling time, fixed.
  public var datasetGrowth: Double?
  public var datasetDoublingMonths: Double?
  /// Frontier compute growth factor per year or doubling time, fixed.
  public var computeGrowth: Double?
  public var computeDoublingMonths: Double?
  /// Largest training set (tokens) and frontier compute (FLOP) at `startYear`, fixed.
  public var startDataset: Double?
  public var startCompute: Double?
  /// Date of every start point, decimal year (`--start-year`).
  public var startYear: Double?
  /// Trend and anchor ids (data/trends.csv, data/data-stock.csv, data/anchors.csv).
  public var datasetTrend: String?
  public var computeTrend: String?
  public var datasetAnchor: String?
  public var computeAnchor: String?
  /// Last year of the series (`--until`).
  public var until: Double?
  /// Monte Carlo draws and seed.
  public var draws: Int?
  public var seed: UInt64?

  /// Compute-optimal tokens per parameter as published (no overtraining).
  public static let defaultOvertrain = 1.0
  /// The rule Villalobos et al. 2024 use: D* = √(20·C/6).
  public static let defaultLaw = "tokens20"
  /// Both demand models pooled, as the paper's headline.
  public static let defaultScenario = RunwayScenario.combined
  /// Last year of the series when none is given.
  public static let defaultUntil = 2040.0
  /// Epochs beyond which repetition adds almost nothing: Muennighoff et al. 2023 ("Scaling
  /// Data-Constrained Language Models", Fig. 3) find the value of repeated tokens decays to
  /// nearly zero past about 16 epochs; 100 leaves room for what-ifs.
  public static let maxEpochs = 100.0
  /// Overtraining beyond any published recipe (Llama 3 8B is about 95× the compute-optimal
  /// 20 tokens per parameter: 15T tokens / 8B).
  public static let maxOvertrain = 1000.0

  /// An empty request (every default).
  public init() {}

  enum CodingKeys: String, CodingKey {
    case overtrain, epochs, law, scenario, stock
    case stockGrowth = "stock_growth"
    case datasetGrowth = "dataset_growth"
    case datasetDoublingMonths = "dataset_doubling_months"
    case computeGrowth = "compute_growth"
    case computeDoublingMonths = "compute_doubling_months"
    case startDataset = "start_dataset"
    case startCompute = "start_compute"
    case startYear = "start_year"
    case datasetTrend = "dataset_trend"
    case computeTrend = "compute_trend"
    case datasetAnchor = "dataset_anchor"
    case computeAnchor = "compute_anchor"
    case until, draws, seed
  }

  /// The scenario asked for.
  /// - Throws: `RequestError.invalid` for an unknown name.
  public func chosenScenario() throws -> RunwayScenario {
    guard let s = scenario else { return Self.defaultScenario }
    guard let chosen = RunwayScenario(rawValue: s) else {
      throw RequestError.invalid(
        "--scenario '\(s)' is unknown; use historical, compute-optimal or combined.")
    }
    return chosen
  }

  /// Checks every range and combination before any work is sized by it (`TrendBounds`).
  /// - Throws: `RequestError.invalid` naming the flag, or `RunwayError` for `--overtrain` and
  ///   `--epochs` below their floor.
  public func validate() throws {
    _ = try chosenScenario()
    if let f = overtrain, !(f.isFinite && f > 0) { throw RunwayError.badOvertrain(f) }
    try checkRange(overtrain, "--overtrain", 1e-3...Self.maxOvertrain, "a factor")
    if let e = epochs, !(e.isFinite && e >= 1) { throw RunwayError.badEpochs(e) }
    try checkRange(epochs, "--epochs", 1...Self.maxEpochs, "a number of epochs")
    try checkYear(startYear, "--start-year")
    try checkYear(until, "--until")
    try checkDraws(draws)
    try checkRange(stock, "--stock", TrendBounds.tokens, "a number of tokens")
    try checkRange(startDataset, "--start-dataset", TrendBounds.tokens, "a number of tokens")
    try checkRange(startCompute, "--start-compute", TrendBounds.flops, "a compute in FLOP")
    try checkExclusive(
      datasetGrowth, "--dataset-growth", datasetDoublingMonths, "--dataset-doubling-months")
    try checkExclusive(
      computeGrowth, "--compute-growth", computeDoublingMonths, "--compute-doubling-months")
    try checkRange(stockGrowth, "--stock-growth", TrendBounds.factor, "a growth factor per year")
    try checkRange(
      datasetGrowth, "--dataset-growth", TrendBounds.factor, "a growth factor per year")
    try checkRange(
      computeGrowth, "--compute-growth", TrendBounds.factor, "a growth factor per year")
    try checkRange(
      datasetDoublingMonths, "--dataset-doubling-months", TrendBounds.months, "a time in months")
    try checkRange(
      computeDoublingMonths, "--compute-doubling-months", TrendBounds.months, "a time in months")
    try checkNeeds(startDataset != nil, "--start-dataset", startYear != nil, "--start-year")
    try checkNeeds(startCompute != nil, "--start-compute", startYear != nil, "--start-year")
  }
}

/// The answer to a `runway` question: the exhaustion year per scenario, the start points and rates
/// used, and the yearly series. Its JSON is `scaleplan runway --json`; the top-level exhaustion keys
/// are those of the chosen scenario.
public struct RunwayResult: Codable, Sendable, Equatable, Explained {
  /// One year of a scenario's fan chart.
  public struct Row: Codable, Sendable, Equatable {
    public var year: Double
    public var stockTokens, stockTokensP10, stockTokensP90: Double
    public var demandTokens, demandTokensP10, demandTokensP90: Double
    /// Share of draws whose stock is exhausted by this year.
    public var probabilityExhausted: Double

    /// The stock's percentiles.
    public var stock: Percentiles {
      Percentiles(p10: stockTokensP10, median: stockTokens, p90: stockTokensP90)
    }
    /// The demand's percentiles.
    public var demand: Percentiles {
      Percentiles(p10: demandTokensP10, median: demandTokens, p90: demandTokensP90)
    }

    enum CodingKeys: String, CodingKey {
      case year
      case stockTokens = "stock_tokens"
      case stockTokensP10 = "stock_tokens_p10"
      case stockTokensP90 = "stock_tokens_p90"
      case demandTokens = "demand_tokens"
      case demandTokensP10 = "demand_tokens_p10"
      case demandTokensP90 = "demand_tokens_p90"
      case probabilityExhausted = "probability_exhausted"
    }
  }

  /// One scenario's answer.
  public struct Scenario: Codable, Sendable, Equatable {
    public var scenario: String
    /// Exhaustion year percentiles; nil where demand never catches up (JSON has no infinity).
    public var exhaustionYearMedian, exhaustionYearP10, exhaustionYearP90: Double?
    /// Share of draws in which demand never catches up with the stock.
    public var neverFraction: Double
    public var series: [Row]

    /// The exhaustion year's percentiles, +∞ where draws never cross.
    public var exhaustionYear: Percentiles {
      Percentiles(
        p10: exhaustionYearP10 ?? .infinity, median: exhaustionYearMedian ?? .infinity,
        p90: exhaustionYearP90 ?? .infinity)
    }

    enum CodingKeys: String, CodingKey {
      case scenario
      case exhaustionYearMedian = "exhaustion_year_median"
      case exhaustionYearP10 = "exhaustion_year_p10"
      case exhaustionYearP90 = "exhaustion_year_p90"
      case neverFraction = "never_fraction"
      case series
    }
  }

  /// The chosen scenario and its exhaustion year.
  public var scenario: String
  public var exhaustionYearMedian, exhaustionYearP10, exhaustionYearP90: Double?
  /// Median effective stock at `stockYear` (tokens), after the epochs adjustment.
  public var stockTokens: Double
  public var stockYear: Double
  /// Where the stock comes from.
  public var stockSource: String
  public var overtrain: Double
  public var epochs: Double?
  /// The repetition multiplier inside the published stock that `epochs` replaces.
  public var repetitionAllowance: Double
  /// The compute-optimal dataset rule's name and source.
  public var law: String
  public var lawSource: String
  /// The historical demand's start point and rate.
  public var datasetStart: String
  public var datasetStartYear: Double
  public var datasetRate: String
  /// The compute-optimal demand's compute start point and rate.
  public var computeStart: String
  public var computeStartYear: Double
  public var computeRate: String
  public var draws: Int
  public var seed: UInt64
  public var scenarios: [Scenario]
  /// Caveats a face shows beside the table.
  public var warnings: [String]
  public var explanation: Explanation?

  /// The result for one scenario.
  public func result(_ s: RunwayScenario) -> Scenario? {
    scenarios.first { $0.scenario == s.rawValue }
  }

  enum CodingKeys: String, CodingKey {
    case scenario
    case exhaustionYearMedian = "exhaustion_year_median"
    case exhaustionYearP10 = "exhaustion_year_p10"
    case exhaustionYearP90 = "exhaustion_year_p90"
    case stockTokens = "stock_tokens"
    case stockYear = "stock_year"
    case stockSource = "stock_source"
    case overtrain, epochs
    case repetitionAllowance = "repetition_allowance"
    case law
    case lawSource = "law_source"
    case datasetStart = "dataset_start"
    case datasetStartYear = "dataset_start_year"
    case datasetRate = "dataset_rate"
    case computeStart = "compute_start"
    case computeStartYear = "compute_start_year"
    case computeRate = "compute_rate"
    case draws, seed, scenarios, warnings, explanation
  }

  init(_ r: Planner.RunwayResult, _ i: RunwayInputs, chosen: RunwayScenario) {
    func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
    scenarios = r.scenarios.map { s in
      Scenario(
        scenario: s.scenario.rawValue, exhaustionYearMedian: finite(s.exhaustionYear.median),
        exhaustionYearP10: finite(s.exhaustionYear.p10),
        exhaustionYearP90: finite(s.exhaustionYear.p90), neverFraction: s.neverFraction,
        series: s.series.map {
          Row(
            year: $0.year, stockTokens: $0.stock.median, stockTokensP10: $0.stock.p10,
            stockTokensP90: $0.stock.p90, demandTokens: $0.demand.median,
            demandTokensP10: $0.demand.p10, demandTokensP90: $0.demand.p90,
            probabilityExhausted: $0.probabilityExhausted)
        })
    }
    let top = scenarios.first { $0.scenario == chosen.rawValue }
    scenario = chosen.rawValue
    exhaustionYearMedian = top?.exhaustionYearMedian
    exhaustionYearP10 = top?.exhaustionYearP10
    exhaustionYearP90 = top?.exhaustionYearP90
    stockTokens = r.stockTokens
    stockYear = i.stockYear
    stockSource = i.stockLabel
    overtrain = i.overtrain
    epochs = i.epochs
    repetitionAllowance = i.repetitionAllowance
    law = i.rule.name
    lawSource = i.rule.source
    datasetStart = i.dataset.startLabel
    datasetStartYear = i.dataset.startYear
    datasetRate = i.dataset.rate.label
    computeStart = i.compute.startLabel
    computeStartYear = i.compute.startYear
    computeRate = i.compute.rate.label
    draws = r.draws
    seed = r.seed
    warnings = []
    explanation = r.explanation
  }

  /// Every stock and demand figure is finite and positive.
  /// - Throws: `RequestError.invalid` naming the inputs that size them.
  func checkFinite() throws {
    let ok = scenarios.allSatisfy { s in
      s.series.allSatisfy { row in
        [row.stockTokens, row.stockTokensP10, row.stockTokensP90, row.demandTokens,
          row.demandTokensP10, row.demandTokensP90].allSatisfy { $0.isFinite && $0 > 0 }
      }
    }
    guard ok, stockTokens.isFinite, stockTokens > 0 else {
      throw RequestError.invalid(
        "The runway leaves the range of a number (over- or underflow); bring --until, "
          + "--start-year and the growth rates closer to the catalog's.")
    }
  }
}

extension Engine {
  /// The compute-optimal dataset rule for `name`: `tokens20` (Villalobos et al. 2024's
  /// D* = √(20·C/6)) or a law of data/laws.csv by id or alias (a parametric law's closed-form
  /// optimum, Hoffmann et al. 2022 eq. 4; other laws read off as a power law of compute).
  /// - Throws: `CatalogError.unknownEntry` listing the known names.
  public func tokensRule(named name: String) throws -> TokensRule {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
    if key == "tokens20" || key == "villalobos2024" { return .tokens20 }
    let registry = try LawCatalog.registry(catalogFiles())
    guard let preset = try? registry.law(named: name) else {
      throw CatalogError.unknownEntry(
        kind: "law for runway", name: name, known: ["tokens20"] + registry.all.map(\.id))
    }
    return TokensRule(
      scalingLaw: preset.law, name: preset.id, source: "\(preset.id): \(preset.citation)")
  }

  /// Answers a `runway` question.
  /// - Throws: `RequestError.invalid`/`RunwayError` for a bad request; `TrendOptionsError`,
  ///   `CatalogError.unknownEntry`, `QuantityError` from the catalogs and the model.
  public func runway(_ request: RunwayRequest) throws -> RunwayResult {
    try request.validate()
    let chosen = try request.chosenScenario()
    var o = RunwayOptions()
    o.overtrain = request.overtrain ?? RunwayRequest.defaultOvertrain
    o.epochs = request.epochs
    o.rule = try tokensRule(named: request.law ?? RunwayRequest.defaultLaw)
    o.stockTokens = request.stock
    o.stockGrowth = request.stockGrowth
    o.datasetGrowth = request.datasetGrowth
    o.datasetDoublingMonths = request.datasetDoublingMonths
    o.computeGrowth = request.computeGrowth
    o.computeDoublingMonths = request.computeDoublingMonths
    o.startDataset = request.startDataset
    o.startCompute = request.startCompute
    o.startYear = request.startYear
    o.datasetTrend = request.datasetTrend
    o.computeTrend = request.computeTrend
    o.datasetAnchor = request.datasetAnchor
    o.computeAnchor = request.computeAnchor
    o.seriesEnd = request.until ?? RunwayRequest.defaultUntil
    o.draws = request.draws ?? ProjectRequest.defaultDraws
    o.seed = request.seed ?? ProjectRequest.defaultSeed
    let inputs = try trendCatalog().runwayInputs(o)
    let answer = RunwayResult(try Planner.runway(inputs), inputs, chosen: chosen)
    try answer.checkFinite()
    return answer
  }
}
