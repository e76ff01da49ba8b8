// `scaleplan runway`: the year training-set demand meets the stock of human text (Villalobos et al.
// 2024), per scenario, with intervals. Thin: flags → RunwayOptions → TrendCatalog.runwayInputs →
// Planner.runway → table or JSON. Stock and datasets: data/data-stock.csv; trends: data/trends.csv.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan runway`.
public struct RunwayCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "runway",
    abstract: "The year training datasets outgrow the stock of human-written text.",
    discussion: """
      Demand from (a) the historical dataset-size trend and (b) compute-optimal datasets for the \
      projected frontier compute, against the effective stock of public human text (Villalobos et \
      al. 2024: ~300T tokens, 90% CI 100T-1,000T, growing ~8%/yr). 'combined' pools both demand \
      models. --overtrain F trains F× the compute-optimal tokens per parameter at the same compute \
      (D = D*·√F). --epochs E replaces the repetition allowance already inside the published stock \
      (median 3.16×): stock × E / 3.16. Examples:
        scaleplan runway
        scaleplan runway --overtrain 5 --epochs 4 --law epoch2024
      """)

  @OptionGroup public var output: OutputOptions
  @OptionGroup public var catalog: CatalogOptions

  @Option(parsing: .unconditional, help: "Tokens per parameter as a multiple of the compute-optimal ratio (1 = optimal).")
  public var overtrain: String = "1"
  @Option(parsing: .unconditional, help: "Epochs of repetition allowed (replaces the published stock's own allowance).")
  public var epochs: String?
  @Option(
    parsing: .unconditional,
    help: "Compute-optimal dataset rule: tokens20 (D* = sqrt(20·C/6), Villalobos et al. 2024) or a law id from data/laws.csv (e.g. epoch2024).")
  public var law: String = "tokens20"
  @Option(parsing: .unconditional, help: "Scenario for the top-level JSON keys: historical, compute-optimal or combined.")
  public var scenario: String = "combined"
  @Option(parsing: .unconditional, help: "Effective stock of text in tokens (fixed, e.g. 300T). Uses the stock's date unless --start-year.")
  public var stock: String?
  @Option(parsing: .unconditional, help: "Stock growth factor per year (fixed; 1 = no growth).")
  public var stockGrowth: String?
  @Option(parsing: .unconditional, help: "Largest-dataset growth factor per year (fixed, e.g. 3).")
  public var datasetGrowth: String?
  @Option(parsing: .unconditional, help: "Largest-dataset doubling time in months (fixed).")
  public var datasetDoublingMonths: String?
  @Option(parsing: .unconditional, help: "Frontier compute growth factor per year (fixed, e.g. 4.5).")
  public var computeGrowth: String?
  @Option(parsing: .unconditional, help: "Frontier compute doubling time in months (fixed).")
  public var computeDoublingMonths: String?
  @Option(parsing: .unconditional, help: "Largest training set in tokens at --start-year (fixed).")
  public var startDataset: String?
  @Option(parsing: .unconditional, help: "Frontier training compute in FLOP at --start-year (fixed).")
  public var startCompute: String?
  @Option(parsing: .unconditional, help: "Date of every start point (decimal year or YYYY-MM-DD).")
  public var startYear: String?
  @Option(parsing: .unconditional, help: "Trend id for dataset size (data/trends.csv).")
  public var datasetTrend: String?
  @Option(parsing: .unconditional, help: "Trend id for frontier compute (data/trends.csv).")
  public var computeTrend: String?
  @Option(parsing: .unconditional, help: "Largest-dataset anchor id (data/data-stock.csv).")
  public var datasetAnchor: String?
  @Option(parsing: .unconditional, help: "Frontier compute anchor id (data/anchors.csv).")
  public var computeAnchor: String?
  @Option(parsing: .unconditional, help: "Last year of the emitted series.")
  public var until: String = "2040"
  @Option(parsing: .unconditional, help: "Monte Carlo draws (at least 10000 recommended).")
  public var draws: Int = 10_000
  @Option(parsing: .unconditional, help: "Random seed (same seed, same numbers).")
  public var seed: UInt64 = 1
  @Flag(help: "Also print the yearly series behind the answer (always in --json).")
  public var series = false

  public init() {}

  public func run() throws {
    guard let chosen = RunwayScenario(rawValue: scenario) else {
      throw ValidationError(
        "--scenario '\(scenario)' is unknown; use historical, compute-optimal or combined.")
    }
    var o = RunwayOptions()
    func num(_ s: String?, _ name: String) throws -> Double? {
      try s.map { try Quantity.parsePositive($0, name: name) }
    }
    o.overtrain = try Quantity.parsePositive(overtrain, name: "--overtrain")
    o.epochs = try num(epochs, "--epochs")
    if let e = o.epochs, e < 1 { throw RunwayError.badEpochs(e) }
    o.rule = try Self.rule(named: law, files: catalog.files())
    o.stockTokens = try num(stock, "--stock")
    o.stockGrowth = try num(stockGrowth, "--stock-growth")
    o.datasetGrowth = try num(datasetGrowth, "--dataset-growth")
    o.datasetDoublingMonths = try num(datasetDoublingMonths, "--dataset-doubling-months")
    o.computeGrowth = try num(computeGrowth, "--compute-growth")
    o.computeDoublingMonths = try num(computeDoublingMonths, "--compute-doubling-months")
    o.startDataset = try num(startDataset, "--start-dataset")
    o.startCompute = try num(startCompute, "--start-compute")
    o.startYear = try startYear.map { try decimalYear($0, name: "--start-year") }
    o.datasetTrend = datasetTrend
    o.computeTrend = computeTrend
    o.datasetAnchor = datasetAnchor
    o.computeAnchor = computeAnchor
    o.seriesEnd = try decimalYear(until, name: "--until")
    o.draws = draws
    o.seed = seed

    let cat = try TrendCatalog.load(catalog.files())
    let inputs = try cat.runwayInputs(o)
    let r = try runway(inputs)
    if output.json {
      try JSONOutput.print(RunwayJSON(r, inputs, chosen: chosen))
      return
    }
    print(Self.render(r, inputs, withSeries: series, chosen: chosen))
    if output.explain { print(r.explanation.render(), terminator: "") }
  }

  /// The compute-optimal dataset rule for `--law`: `tokens20` (Villalobos et al. 2024's
  /// D* = √(20·C/6)) or any law of data/laws.csv by id or alias.
  /// - Throws: `CatalogError.unknownEntry` listing the known names.
  public static func rule(named name: String, files: CatalogFiles) throws -> TokensRule {
    let key = name.trimmingCharacters(in: .whitespaces).lowercased()
    if key == "tokens20" || key == "villalobos2024" { return .tokens20 }
    let registry = try LawCatalog.registry(files)
    guard let preset = try? registry.law(named: name) else {
      throw CatalogError.unknownEntry(
        kind: "law for runway", name: name, known: ["tokens20"] + registry.all.map(\.id))
    }
    return TokensRule(
      scalingLaw: preset.law, name: preset.id, source: "\(preset.id): \(preset.citation)")
  }

  /// The text table (public for tests and notebooks).
  public static func render(
    _ r: RunwayResult, _ i: RunwayInputs, withSeries: Bool, chosen: RunwayScenario
  ) -> String {
    let f = { (v: Double) in v.isFinite ? Format.fixed(v, decimals: 1) : "never" }
    var t = TextTable(header: ["scenario", "median year", "p10", "p90"])
    for s in r.scenarios {
      t.add([s.scenario.rawValue, f(s.exhaustionYear.median), f(s.exhaustionYear.p10),
             f(s.exhaustionYear.p90)])
    }
    var out = "Year training-set demand meets the stock of human text\n" + t.render()
    out += "\nstock: \(Format.si(r.stockTokens)) tokens (median, \(Format.fixed(i.stockYear, decimals: 2)))"
    if let e = i.epochs { out += " with --epochs \(Format.number(e)) (× \(Format.number(e))/\(Format.number(i.repetitionAllowance)))" }
    out += "; \(i.stockLabel)\n"
    out += "historical: \(i.dataset.startLabel) (\(Format.fixed(i.dataset.startYear, decimals: 2))), \(i.dataset.rate.label)\n"
    out += "compute-optimal: \(i.compute.startLabel) (\(Format.fixed(i.compute.startYear, decimals: 2))), \(i.compute.rate.label); rule \(i.rule.name)"
    if i.overtrain != 1 { out += ", overtrained \(Format.number(i.overtrain))× (D = D*·√F)" }
    out += "\n"
    out += "Monte Carlo: \(r.draws) draws, seed \(r.seed); published: median 2028, 80% interval 2026–2032 (Villalobos et al. 2024).\n"
    if withSeries, let s = r.result(chosen) {
      var st = TextTable(header: [
        "year", "stock p50", "stock p10", "stock p90", "demand p50", "demand p10", "demand p90",
        "P(exhausted)",
      ])
      for row in s.series {
        st.add([
          Format.fixed(row.year, decimals: 0), Format.si(row.stock.median), Format.si(row.stock.p10),
          Format.si(row.stock.p90), Format.si(row.demand.median), Format.si(row.demand.p10),
          Format.si(row.demand.p90), Format.fixed(row.probabilityExhausted, decimals: 3),
        ])
      }
      out += "\nseries (\(chosen.rawValue)):\n" + st.render()
    }
    return out
  }
}

private func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }

/// JSON of `runway` (snake_case keys as in issue 4): top-level keys for the chosen scenario, and
/// every scenario with its series under `scenarios`.
struct RunwayJSON: Encodable {
  struct Row: Encodable {
    var year: Double
    var stock_tokens, stock_tokens_p10, stock_tokens_p90: Double
    var demand_tokens, demand_tokens_p10, demand_tokens_p90: Double
    var probability_exhausted: Double
  }
  struct Scenario: Encodable {
    var scenario: String
    var exhaustion_year_median, exhaustion_year_p10, exhaustion_year_p90: Double?
    var never_fraction: Double
    var series: [Row]
  }
  var scenario: String
  var exhaustion_year_median, exhaustion_year_p10, exhaustion_year_p90: Double?
  var stock_tokens: Double
  var stock_year: Double
  var overtrain: Double
  var epochs: Double?
  var law: String
  var draws: Int
  var seed: UInt64
  var scenarios: [Scenario]

  init(_ r: RunwayResult, _ i: RunwayInputs, chosen: RunwayScenario) {
    scenarios = r.scenarios.map { s in
      Scenario(
        scenario: s.scenario.rawValue, exhaustion_year_median: finite(s.exhaustionYear.median),
        exhaustion_year_p10: finite(s.exhaustionYear.p10),
        exhaustion_year_p90: finite(s.exhaustionYear.p90), never_fraction: s.neverFraction,
        series: s.series.map {
          Row(
            year: $0.year, stock_tokens: $0.stock.median, stock_tokens_p10: $0.stock.p10,
            stock_tokens_p90: $0.stock.p90, demand_tokens: $0.demand.median,
            demand_tokens_p10: $0.demand.p10, demand_tokens_p90: $0.demand.p90,
            probability_exhausted: $0.probabilityExhausted)
        })
    }
    let top = scenarios.first { $0.scenario == chosen.rawValue }
    scenario = chosen.rawValue
    exhaustion_year_median = top?.exhaustion_year_median
    exhaustion_year_p10 = top?.exhaustion_year_p10
    exhaustion_year_p90 = top?.exhaustion_year_p90
    stock_tokens = r.stockTokens
    stock_year = i.stockYear
    overtrain = i.overtrain
    epochs = i.epochs
    law = i.rule.name
    draws = r.draws
    seed = r.seed
  }
}
