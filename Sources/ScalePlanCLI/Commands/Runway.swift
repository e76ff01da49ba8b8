// `scaleplan runway`: the year training-set demand meets the stock of human text (Villalobos et al.
// 2024), per scenario, with intervals. Thin: flags → RunwayRequest → Engine.runway → table or JSON. Stock and datasets: data/data-stock.csv; trends: data/trends.csv.

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

  @Option(parsing: .unconditional, help: "Tokens per parameter as a multiple of the compute-optimal ratio (1 = optimal, the default).")
  public var overtrain: String?
  @Option(parsing: .unconditional, help: "Epochs of repetition allowed (replaces the published stock's own allowance).")
  public var epochs: String?
  @Option(
    parsing: .unconditional,
    help: "Compute-optimal dataset rule: tokens20 (D* = sqrt(20·C/6), Villalobos et al. 2024; the default) or a law id from data/laws.csv (e.g. epoch2024).")
  public var law: String?
  @Option(parsing: .unconditional, help: "Scenario for the top-level JSON keys: historical, compute-optimal or combined (default \(RunwayRequest.defaultScenario.rawValue)).")
  public var scenario: String?
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
  @Option(parsing: .unconditional, help: "Date of every start point, 1950-2100 (decimal year or YYYY-MM-DD).")
  public var startYear: String?
  @Option(parsing: .unconditional, help: "Trend id for dataset size (data/trends.csv).")
  public var datasetTrend: String?
  @Option(parsing: .unconditional, help: "Trend id for frontier compute (data/trends.csv).")
  public var computeTrend: String?
  @Option(parsing: .unconditional, help: "Largest-dataset anchor id (data/data-stock.csv).")
  public var datasetAnchor: String?
  @Option(parsing: .unconditional, help: "Frontier compute anchor id (data/anchors.csv).")
  public var computeAnchor: String?
  @Option(parsing: .unconditional, help: "Last year of the emitted series, 1950-2100 (default \(Format.number(RunwayRequest.defaultUntil))).")
  public var until: String?
  @Option(
    parsing: .unconditional,
    help: "Monte Carlo draws, 1-1000000 (default \(ProjectRequest.defaultDraws); at least 10000 recommended).")
  public var draws: Int?
  @Option(parsing: .unconditional, help: "Random seed (same seed, same numbers; default \(ProjectRequest.defaultSeed)).")
  public var seed: UInt64?
  @Flag(help: "Also print the yearly series behind the answer (always in --json).")
  public var series = false

  public init() {}

  /// The request these flags describe (quantities parsed, nothing defaulted).
  /// - Throws: `QuantityError` for text that is not a quantity.
  public func request() throws -> RunwayRequest {
    var r = RunwayRequest()
    r.overtrain = try positiveQuantity(overtrain, "--overtrain")
    r.epochs = try positiveQuantity(epochs, "--epochs")
    r.law = law
    r.scenario = scenario
    r.stock = try positiveQuantity(stock, "--stock")
    r.stockGrowth = try positiveQuantity(stockGrowth, "--stock-growth")
    r.datasetGrowth = try positiveQuantity(datasetGrowth, "--dataset-growth")
    r.datasetDoublingMonths = try positiveQuantity(datasetDoublingMonths, "--dataset-doubling-months")
    r.computeGrowth = try positiveQuantity(computeGrowth, "--compute-growth")
    r.computeDoublingMonths = try positiveQuantity(computeDoublingMonths, "--compute-doubling-months")
    r.startDataset = try positiveQuantity(startDataset, "--start-dataset")
    r.startCompute = try positiveQuantity(startCompute, "--start-compute")
    r.startYear = try startYear.map { try decimalYear($0, name: "--start-year") }
    r.datasetTrend = datasetTrend
    r.computeTrend = computeTrend
    r.datasetAnchor = datasetAnchor
    r.computeAnchor = computeAnchor
    r.until = try until.map { try decimalYear($0, name: "--until") }
    r.draws = draws
    r.seed = seed
    return r
  }

  public func validate() throws {
    try request().validate()
  }

  public func run() throws {
    let request = try request()
    let r = try Engine(catalogDirectory: catalog.catalog).runway(request)
    if output.json {
      try JSONOutput.print(output.explain ? r : r.withoutExplanation())
      return
    }
    print(Self.render(r, withSeries: series, chosen: try request.chosenScenario()))
    if output.explain, let e = r.explanation { print(e.render(), terminator: "") }
  }

  /// The text table (public for tests and notebooks).
  public static func render(_ r: UseCases.RunwayResult, withSeries: Bool, chosen: RunwayScenario) -> String {
    let f = { (v: Double) in v.isFinite ? Format.fixed(v, decimals: 1) : "never" }
    var t = TextTable(header: ["scenario", "median year", "p10", "p90"])
    for s in r.scenarios {
      let y = s.exhaustionYear
      t.add([s.scenario, f(y.median), f(y.p10), f(y.p90)])
    }
    var out = "Year training-set demand meets the stock of human text\n" + t.render()
    out += "\nstock: \(Format.si(r.stockTokens)) tokens (median, \(Format.fixed(r.stockYear, decimals: 2)))"
    if let e = r.epochs { out += " with --epochs \(Format.number(e)) (× \(Format.number(e))/\(Format.number(r.repetitionAllowance)))" }
    out += "; \(r.stockSource)\n"
    out += "historical: \(r.datasetStart) (\(Format.fixed(r.datasetStartYear, decimals: 2))), \(r.datasetRate)\n"
    out += "compute-optimal: \(r.computeStart) (\(Format.fixed(r.computeStartYear, decimals: 2))), \(r.computeRate); rule \(r.law)"
    if r.overtrain != 1 { out += ", overtrained \(Format.number(r.overtrain))× (D = D*·√F)" }
    out += "\n"
    out += "Monte Carlo: \(r.draws) draws, seed \(r.seed); published: median 2028, 80% interval 2026–2032 (Villalobos et al. 2024).\n"
    for w in r.warnings { out += "warning: \(w)\n" }
    if withSeries, let s = r.result(chosen) {
      var st = TextTable(header: [
        "year", "stock p50", "stock p10", "stock p90", "demand p50", "demand p10", "demand p90",
        "P(exhausted)",
      ])
      for row in s.series {
        st.add([
          Format.fixed(row.year, decimals: 0), Format.si(row.stockTokens),
          Format.si(row.stockTokensP10), Format.si(row.stockTokensP90), Format.si(row.demandTokens),
          Format.si(row.demandTokensP10), Format.si(row.demandTokensP90),
          Format.fixed(row.probabilityExhausted, decimals: 3),
        ])
      }
      out += "\nseries (\(chosen.rawValue)):\n" + st.render()
    }
    return out
  }
}
