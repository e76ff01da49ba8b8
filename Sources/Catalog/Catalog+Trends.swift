// Loads data/trends.csv (growth rates), data/anchors.csv (dated start points) and
// data/data-stock.csv (stock of text, its growth, largest datasets, published check values).
// Every bad cell is reported as file:line:column with the reason. The file formats are described
// in each file's header comment.

import Foundation
import Planner

/// One row of data/data-stock.csv.
public struct DataStockRow: Sendable, Equatable {
  public var id: String
  public var kind: String
  /// Decimal year, if dated.
  public var year: Double?
  public var value: Double?
  public var low: Double?
  public var high: Double?
  public var level: Double?
  public var unit: String
  public var isDefault: Bool
  public var tag: String
  public var source: String
  public var note: String

  /// The row as a dated, possibly uncertain start point (stock, largest dataset).
  /// - Throws: `QuantityError` when the row has no value or date.
  public func anchor() throws -> TrendAnchor {
    guard let v = value, let y = year else {
      throw QuantityError.malformed(name: "data-stock row '\(id)'", text: "no value or date")
    }
    return TrendAnchor(
      id: id, kind: kind, year: y, value: try distribution(v), isDefault: isDefault, tag: tag,
      source: source, note: note)
  }

  /// The row as a growth rate (factor per year), for `stock_growth` rows.
  /// - Throws: `QuantityError` when the row has no value.
  public func rate() throws -> UncertainRate {
    guard let v = value else {
      throw QuantityError.malformed(name: "data-stock row '\(id)'", text: "no value")
    }
    return try UncertainRate(
      unit: .factorPerYear, value: v, low: low, high: high, level: level,
      label: "\(id) (×\(Format.number(v))/yr)", source: source)
  }

  private func distribution(_ v: Double) throws -> SplitLogNormal {
    if let lo = low, let hi = high, let lv = level {
      return try SplitLogNormal(median: v, low: lo, high: hi, level: lv)
    }
    return SplitLogNormal(fixed: v)
  }
}

/// The trend catalogs together, with lookups by id or default.
public struct TrendCatalog: Sendable {
  public var trends: [TrendRate]
  public var anchors: [TrendAnchor]
  public var dataStock: [DataStockRow]

  public static let trendsFile = "trends.csv"
  public static let anchorsFile = "anchors.csv"
  public static let dataStockFile = "data-stock.csv"

  /// Creates a catalog from parsed rows.
  public init(trends: [TrendRate], anchors: [TrendAnchor], dataStock: [DataStockRow]) {
    self.trends = trends
    self.anchors = anchors
    self.dataStock = dataStock
  }

  /// Reads the three files (user directory first, then the bundled data/).
  /// - Throws: `CatalogError` with file:line:column for any bad cell.
  public static func load(_ files: CatalogFiles) throws -> TrendCatalog {
    TrendCatalog(
      trends: try parseTrends(files.table(trendsFile)),
      anchors: try parseAnchors(files.table(anchorsFile)),
      dataStock: try parseDataStock(files.table(dataStockFile)))
  }

  // MARK: Lookups

  /// The trend with `id`, or the default trend for `quantity` when `id` is nil.
  /// - Throws: `CatalogError.unknownEntry` listing the trends of that quantity.
  public func trend(_ id: String?, for quantity: TrendQuantity) throws -> TrendRate {
    let pool = trends.filter { $0.quantity == quantity }
    let found = id.map { i in pool.first { $0.id == i } } ?? pool.first { $0.isDefault }
    guard let t = found else {
      throw CatalogError.unknownEntry(
        kind: "\(quantity.rawValue) trend", name: id ?? "(default)", known: pool.map(\.id))
    }
    return t
  }

  /// The anchor with `id`, or the default anchor of `kind` when `id` is nil.
  /// - Throws: `CatalogError.unknownEntry` listing the anchors of that kind.
  public func anchor(_ id: String?, kind: String) throws -> TrendAnchor {
    let pool = anchors.filter { $0.kind == kind }
    let found = id.map { i in pool.first { $0.id == i } } ?? pool.first { $0.isDefault }
    guard let a = found else {
      throw CatalogError.unknownEntry(
        kind: "\(kind) anchor", name: id ?? "(default)", known: pool.map(\.id))
    }
    return a
  }

  /// The data-stock row with `id`, or the default row of `kind` when `id` is nil.
  /// - Throws: `CatalogError.unknownEntry` listing the rows of that kind.
  public func stockRow(_ id: String?, kind: String) throws -> DataStockRow {
    let pool = dataStock.filter { $0.kind == kind }
    let found = id.map { i in pool.first { $0.id == i } } ?? pool.first { $0.isDefault }
    guard let r = found else {
      throw CatalogError.unknownEntry(
        kind: "\(kind) entry", name: id ?? "(default)", known: pool.map(\.id))
    }
    return r
  }

  /// All rows of a kind in data-stock.csv, defaults only if `defaultsOnly`.
  public func stockRows(kind: String, defaultsOnly: Bool = false) -> [DataStockRow] {
    dataStock.filter { $0.kind == kind && (!defaultsOnly || $0.isDefault) }
  }

  // MARK: Parsing

  /// Parses data/trends.csv.
  /// - Throws: `CatalogError.malformed` (file:line:column) for a bad cell or duplicate id.
  public static func parseTrends(_ t: CSVTable) throws -> [TrendRate] {
    var out: [TrendRate] = []
    var seen = Set<String>()
    for row in t.rows {
      let id = try t.string(row, "id")
      guard !id.isEmpty, seen.insert(id).inserted else {
        throw t.error(row, "id", "id '\(id)' is empty or repeated; give each row a unique id.")
      }
      let qText = try t.string(row, "quantity")
      guard let q = TrendQuantity(rawValue: qText) else {
        throw t.error(
          row, "quantity",
          "unknown quantity '\(qText)'; use one of \(TrendQuantity.allCases.map(\.rawValue).joined(separator: ", ")).")
      }
      let uText = try t.string(row, "unit")
      guard let u = RateUnit(rawValue: uText) else {
        throw t.error(
          row, "unit",
          "unknown unit '\(uText)'; use one of \(RateUnit.allCases.map(\.rawValue).joined(separator: ", ")).")
      }
      let value = try t.number(row, "value")
      let (lo, hi, lv) = try interval(t, row, value: value)
      let trend = TrendRate(
        id: id, quantity: q, unit: u, value: value, low: lo, high: hi, level: lv,
        period: try t.string(row, "period"), isDefault: try flag(t, row, "default"),
        tag: try t.string(row, "tag"), source: try t.string(row, "source"),
        note: try t.string(row, "note"))
      do { _ = try trend.uncertainRate() } catch {
        throw t.error(row, "value", "\(error)")
      }
      out.append(trend)
    }
    try requireOneDefault(t, out.map { ($0.quantity.rawValue, $0.isDefault) })
    return out
  }

  /// Parses data/anchors.csv.
  /// - Throws: `CatalogError.malformed` (file:line:column) for a bad cell or duplicate id.
  public static func parseAnchors(_ t: CSVTable) throws -> [TrendAnchor] {
    var out: [TrendAnchor] = []
    var seen = Set<String>()
    let kinds = ["frontier_compute", "frontier_cost", "usd_per_flop"]
    for row in t.rows {
      let id = try t.string(row, "id")
      guard !id.isEmpty, seen.insert(id).inserted else {
        throw t.error(row, "id", "id '\(id)' is empty or repeated; give each row a unique id.")
      }
      let kind = try t.string(row, "kind")
      guard kinds.contains(kind) else {
        throw t.error(
          row, "kind", "unknown kind '\(kind)'; use one of \(kinds.joined(separator: ", ")).")
      }
      let year = try date(t, row)
      let value = try t.number(row, "value")
      guard value > 0 else { throw t.error(row, "value", "the value must be greater than zero.") }
      let (lo, hi, lv) = try interval(t, row, value: value)
      let dist: SplitLogNormal
      if let lo, let hi, let lv {
        dist = try SplitLogNormal(median: value, low: lo, high: hi, level: lv)
      } else {
        dist = SplitLogNormal(fixed: value)
      }
      out.append(
        TrendAnchor(
          id: id, kind: kind, year: year, value: dist, isDefault: try flag(t, row, "default"),
          tag: try t.string(row, "tag"), source: try t.string(row, "source"),
          note: try t.string(row, "note")))
    }
    try requireOneDefault(t, out.map { ($0.kind, $0.isDefault) })
    return out
  }

  /// Parses data/data-stock.csv.
  /// - Throws: `CatalogError.malformed` (file:line:column) for a bad cell or duplicate id.
  public static func parseDataStock(_ t: CSVTable) throws -> [DataStockRow] {
    var out: [DataStockRow] = []
    var seen = Set<String>()
    let kinds = [
      "stock", "stock_growth", "repetition_allowance", "quality_fraction", "largest_dataset",
      "largest_dataset_words", "stock_words", "check_exhaustion_year", "check_tokens_at_crossing",
    ]
    for row in t.rows {
      let id = try t.string(row, "id")
      guard !id.isEmpty, seen.insert(id).inserted else {
        throw t.error(row, "id", "id '\(id)' is empty or repeated; give each row a unique id.")
      }
      let kind = try t.string(row, "kind")
      guard kinds.contains(kind) else {
        throw t.error(
          row, "kind", "unknown kind '\(kind)'; use one of \(kinds.joined(separator: ", ")).")
      }
      let dateText = try t.string(row, "date")
      let year = dateText.isEmpty ? nil : try date(t, row)
      let value = try t.optionalNumber(row, "value")
      if let v = value, v <= 0 {
        throw t.error(row, "value", "the value must be greater than zero.")
      }
      let needsDate = ["stock", "largest_dataset", "stock_growth"].contains(kind)
      if needsDate && (value == nil || year == nil) {
        throw t.error(row, "value", "a \(kind) row needs both a date and a value.")
      }
      let lo = try t.optionalNumber(row, "low")
      let hi = try t.optionalNumber(row, "high")
      let lvText = try t.string(row, "ci")
      let lv = lvText.isEmpty ? nil : try t.number(row, "ci")
      if let lv, !(lv > 0.5 && lv < 1) {
        throw t.error(row, "ci", "the interval level must be between 0.5 and 1 (e.g. 0.90).")
      }
      if let v = value, let lo, let hi, !(lo <= v && v <= hi) {
        throw t.error(row, "value", "the value must lie between low and high.")
      }
      let r = DataStockRow(
        id: id, kind: kind, year: year, value: value, low: lo, high: hi, level: lv,
        unit: try t.string(row, "unit"), isDefault: try flag(t, row, "default"),
        tag: try t.string(row, "tag"), source: try t.string(row, "source"),
        note: try t.string(row, "note"))
      if needsDate {
        do { _ = kind == "stock_growth" ? try r.rate().distribution : try r.anchor().value } catch {
          throw t.error(row, "value", "\(error)")
        }
      }
      out.append(r)
    }
    return out
  }

  private static func interval(_ t: CSVTable, _ row: CSVTable.Row, value: Double) throws -> (
    Double?, Double?, Double?
  ) {
    let lo = try t.optionalNumber(row, "low")
    let hi = try t.optionalNumber(row, "high")
    let lvText = try t.string(row, "ci")
    let lv = lvText.isEmpty ? nil : try t.number(row, "ci")
    if (lo == nil) != (hi == nil) || (lo != nil && lv == nil) {
      throw t.error(row, "low", "give low, high and ci together, or none of them.")
    }
    if let lv, !(lv > 0.5 && lv < 1) {
      throw t.error(row, "ci", "the interval level must be between 0.5 and 1 (e.g. 0.90).")
    }
    if let lo, let hi, !(lo <= value && value <= hi) {
      throw t.error(row, "value", "the value must lie between low and high.")
    }
    return (lo, hi, lv)
  }

  private static func date(_ t: CSVTable, _ row: CSVTable.Row) throws -> Double {
    let text = try t.string(row, "date")
    do { return try decimalYear(text) } catch {
      throw t.error(row, "date", "date '\(text)' must be YYYY-MM-DD or a decimal year.")
    }
  }

  private static func flag(_ t: CSVTable, _ row: CSVTable.Row, _ name: String) throws -> Bool {
    switch try t.string(row, name).lowercased() {
    case "yes", "true", "1": return true
    case "no", "false", "0", "": return false
    case let other:
      throw t.error(row, name, "'\(other)' is not yes or no.")
    }
  }

  private static func requireOneDefault(_ t: CSVTable, _ items: [(String, Bool)]) throws {
    var count: [String: Int] = [:]
    for (k, d) in items where d { count[k, default: 0] += 1 }
    if let (k, _) = count.sorted(by: { $0.key < $1.key }).first(where: { $0.value > 1 }) {
      throw CatalogError.malformed(
        file: t.file, line: 1, column: 1, reason: "more than one default row for '\(k)'; mark one.")
    }
  }
}

// MARK: - Requests: catalog rows + user overrides → Planner inputs

/// Errors combining user flags with the catalogs; one sentence each.
public enum TrendOptionsError: Error, CustomStringConvertible, Equatable {
  case conflicting(String, String)
  case needs(String, String)

  public var description: String {
    switch self {
    case .conflicting(let a, let b):
      return "\(a) and \(b) both set the same rate; give only one of them."
    case .needs(let a, let b):
      return "\(a) only applies together with \(b); add \(b) or drop \(a)."
    }
  }
}

/// What a user may set for `project`; nil means "use the catalog default".
public struct ProjectionOptions: Sendable, Equatable {
  public var year: Double = 2030
  public var cross: CrossThreshold?
  /// FLOP of a fixed run whose later cost is wanted.
  public var runFlops: Double?
  /// Include algorithmic progress (effective compute) in the fixed run's cost.
  public var algorithmic = false
  public var costGrowth: Double?
  public var costDoublingMonths: Double?
  public var computeGrowth: Double?
  public var computeDoublingMonths: Double?
  public var priceDoublingYears: Double?
  public var algorithmicHalvingMonths: Double?
  /// Start cost: the frontier run's, or the fixed run's when `runFlops` is set.
  public var startCost: Double?
  public var startCompute: Double?
  /// Date of every start point (overrides the anchors' dates).
  public var startYear: Double?
  public var computeTrend: String?
  public var costTrend: String?
  public var hardwareTrend: String?
  public var algorithmicTrend: String?
  public var computeAnchor: String?
  public var costAnchor: String?
  public var priceAnchor: String?
  public var draws = 10_000
  public var seed: UInt64 = 1

  /// Defaults everywhere.
  public init() {}
}

/// What a user may set for `runway`; nil means "use the catalog default".
public struct RunwayOptions: Sendable, Equatable {
  /// Effective stock (tokens) at the start year, fixed (replaces the published distribution).
  public var stockTokens: Double?
  /// Stock growth factor per year, fixed (1 = no growth).
  public var stockGrowth: Double?
  public var epochs: Double?
  public var overtrain: Double = 1
  public var rule: TokensRule = .tokens20
  public var datasetGrowth: Double?
  public var datasetDoublingMonths: Double?
  public var computeGrowth: Double?
  public var computeDoublingMonths: Double?
  public var startDataset: Double?
  public var startCompute: Double?
  /// Date of every start point (stock, largest dataset, compute).
  public var startYear: Double?
  public var datasetTrend: String?
  public var computeTrend: String?
  public var datasetAnchor: String?
  public var computeAnchor: String?
  public var draws = 10_000
  public var seed: UInt64 = 1
  public var seriesEnd: Double = 2040

  /// Defaults everywhere.
  public init() {}
}

extension TrendCatalog {
  /// A rate from a user factor, a user doubling time, or the catalog trend (in that order).
  func rate(
    factor: Double?, factorFlag: String, doubling: Double?, doublingFlag: String,
    trend id: String?, quantity: TrendQuantity
  ) throws -> UncertainRate {
    if factor != nil && doubling != nil {
      throw TrendOptionsError.conflicting(factorFlag, doublingFlag)
    }
    if let f = factor {
      return try .fixedFactor(f, label: "\(factorFlag) \(Format.number(f)) (fixed by user)")
    }
    if let m = doubling {
      return try .fixedDoublingMonths(m, label: "\(doublingFlag) \(Format.number(m)) (fixed by user)")
    }
    return try trend(id, for: quantity).uncertainRate()
  }

  /// A start point from a user value or a catalog anchor; `startYear` re-dates it.
  func start(
    value: Double?, flag: String, anchor: TrendAnchor, startYear: Double?, redate: Bool
  ) throws -> (SplitLogNormal, Double, String) {
    if let v = value {
      try requirePositive(v, flag)
      guard let y = startYear else { throw TrendOptionsError.needs(flag, "--start-year") }
      return (SplitLogNormal(fixed: v), y, "\(flag) (user)")
    }
    let label = "\(anchor.id) [\(anchor.tag)]: \(anchor.source)"
    return (anchor.value, redate ? (startYear ?? anchor.year) : anchor.year, label)
  }

  /// Builds `project` inputs from the catalog and the user's overrides.
  /// - Throws: `TrendOptionsError`, `CatalogError.unknownEntry`, `QuantityError`.
  public func projectionInputs(_ o: ProjectionOptions) throws -> ProjectionInputs {
    if o.runFlops == nil {
      if o.algorithmic { throw TrendOptionsError.needs("--algorithmic", "--compute") }
      if o.priceDoublingYears != nil {
        throw TrendOptionsError.needs("--price-doubling-years", "--compute")
      }
      if o.algorithmicHalvingMonths != nil {
        throw TrendOptionsError.needs("--algorithmic-halving-months", "--compute")
      }
    }
    if let y = o.startYear, !y.isFinite {
      throw QuantityError.malformed(name: "--start-year", text: "\(y)")
    }
    // --start-year dates the start points the user gives; with none given it re-dates them all.
    let redateAll = o.startCost == nil && o.startCompute == nil
    let computeRate = try rate(
      factor: o.computeGrowth, factorFlag: "--compute-growth", doubling: o.computeDoublingMonths,
      doublingFlag: "--compute-doubling-months", trend: o.computeTrend,
      quantity: .frontierCompute)
    let (c0, ct, cl) = try start(
      value: o.startCompute, flag: "--start-compute",
      anchor: anchor(o.computeAnchor, kind: "frontier_compute"), startYear: o.startYear,
      redate: redateAll)
    let costRate = try rate(
      factor: o.costGrowth, factorFlag: "--growth", doubling: o.costDoublingMonths,
      doublingFlag: "--doubling-months", trend: o.costTrend, quantity: .frontierCost)
    let (d0, dt, dl) = try start(
      value: o.runFlops == nil ? o.startCost : nil, flag: "--start-cost",
      anchor: anchor(o.costAnchor, kind: "frontier_cost"), startYear: o.startYear,
      redate: redateAll)
    var run: FixedRunSpec?
    if let flops = o.runFlops {
      try requirePositive(flops, "--compute")
      let pp: UncertainRate
      if let t = o.priceDoublingYears {
        try requirePositive(t, "--price-doubling-years")
        pp = try UncertainRate(
          unit: .doublingYears, value: t,
          label: "--price-doubling-years \(Format.number(t)) (fixed by user)", source: "user")
      } else {
        pp = try trend(o.hardwareTrend, for: .pricePerformance).uncertainRate()
      }
      var alg: UncertainRate?
      if let m = o.algorithmicHalvingMonths {
        try requirePositive(m, "--algorithmic-halving-months")
        alg = try UncertainRate(
          unit: .halvingMonths, value: m,
          label: "--algorithmic-halving-months \(Format.number(m)) (fixed by user)", source: "user")
      } else if o.algorithmic {
        alg = try trend(o.algorithmicTrend, for: .algorithmicEfficiency).uncertainRate()
      }
      let startCost: SplitLogNormal
      let runYear: Double
      let runLabel: String
      if let s = o.startCost {
        try requirePositive(s, "--start-cost")
        guard let y = o.startYear else { throw TrendOptionsError.needs("--start-cost", "--start-year") }
        (startCost, runYear, runLabel) = (SplitLogNormal(fixed: s), y, "--start-cost (user)")
      } else {
        let a = try anchor(o.priceAnchor, kind: "usd_per_flop")
        startCost = SplitLogNormal(
          median: a.value.median * flops, sigmaLow: a.value.sigmaLow, sigmaHigh: a.value.sigmaHigh)
        runYear = redateAll ? (o.startYear ?? a.year) : a.year
        runLabel =
          "\(Format.scientific(flops)) FLOP × \(Format.scientific(a.value.median, digits: 5)) $/FLOP, \(a.id) [\(a.tag)]: \(a.source)"
      }
      run = FixedRunSpec(
        flops: flops, startCost: startCost, startYear: runYear, startLabel: runLabel,
        pricePerformance: pp, algorithmic: alg)
    }
    return ProjectionInputs(
      year: o.year,
      compute: SeriesSpec(
        name: "frontier training compute", start: c0, startYear: ct, startLabel: cl,
        rate: computeRate),
      cost: SeriesSpec(
        name: "frontier training cost", start: d0, startYear: dt, startLabel: dl, rate: costRate),
      cross: o.cross, fixedRun: run, draws: o.draws, seed: o.seed)
  }

  /// Builds `runway` inputs from the catalog and the user's overrides.
  /// - Throws: `TrendOptionsError`, `CatalogError.unknownEntry`, `QuantityError`.
  public func runwayInputs(_ o: RunwayOptions) throws -> RunwayInputs {
    if let y = o.startYear, !y.isFinite {
      throw QuantityError.malformed(name: "--start-year", text: "\(y)")
    }
    let stockRow = try self.stockRow(nil, kind: "stock")
    let stockAnchor = try stockRow.anchor()
    var stock = stockAnchor.value
    var stockLabel = "\(stockAnchor.id) [\(stockAnchor.tag)]: \(stockAnchor.source)"
    if let s = o.stockTokens {
      try requirePositive(s, "--stock")
      stock = SplitLogNormal(fixed: s)
      stockLabel = "--stock (user)"
    }
    // --start-year dates the start points the user gives; with none given it re-dates them all.
    let redateAll = o.stockTokens == nil && o.startDataset == nil && o.startCompute == nil
    let stockYear = (o.stockTokens != nil || redateAll) ? (o.startYear ?? stockAnchor.year)
      : stockAnchor.year
    var growth: [UncertainRate]
    if let g = o.stockGrowth {
      try requirePositive(g, "--stock-growth")
      growth = [try .fixedFactor(g, label: "--stock-growth \(Format.number(g)) (fixed by user)")]
    } else {
      growth = try stockRows(kind: "stock_growth", defaultsOnly: true).map { try $0.rate() }
    }
    let rep = try self.stockRow(nil, kind: "repetition_allowance")
    guard let repetition = rep.value else {
      throw QuantityError.malformed(name: "repetition allowance", text: "empty")
    }
    let datasetRate = try rate(
      factor: o.datasetGrowth, factorFlag: "--dataset-growth", doubling: o.datasetDoublingMonths,
      doublingFlag: "--dataset-doubling-months", trend: o.datasetTrend, quantity: .datasetSize)
    let (d0, dt, dl) = try start(
      value: o.startDataset, flag: "--start-dataset",
      anchor: self.stockRow(o.datasetAnchor, kind: "largest_dataset").anchor(),
      startYear: o.startYear, redate: redateAll)
    let computeRate = try rate(
      factor: o.computeGrowth, factorFlag: "--compute-growth", doubling: o.computeDoublingMonths,
      doublingFlag: "--compute-doubling-months", trend: o.computeTrend,
      quantity: .frontierCompute)
    let (c0, ct, cl) = try start(
      value: o.startCompute, flag: "--start-compute",
      anchor: anchor(o.computeAnchor, kind: "frontier_compute"), startYear: o.startYear,
      redate: redateAll)
    return RunwayInputs(
      stock: stock, stockYear: stockYear, stockLabel: stockLabel, stockGrowth: growth,
      epochs: o.epochs, repetitionAllowance: repetition,
      dataset: SeriesSpec(
        name: "largest training set", start: d0, startYear: dt, startLabel: dl, rate: datasetRate),
      compute: SeriesSpec(
        name: "frontier training compute", start: c0, startYear: ct, startLabel: cl,
        rate: computeRate),
      rule: o.rule, overtrain: o.overtrain, draws: o.draws, seed: o.seed, seriesEnd: o.seriesEnd)
  }
}
