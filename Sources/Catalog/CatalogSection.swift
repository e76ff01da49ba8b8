// The catalogs `scaleplan catalog list|validate` knows about, one entry per data/ file. A new
// catalog (laws, trends, …) is registered by one line in `CatalogSection.all` naming its file
// and its checking loader; listing falls back to the file's own CSV columns.

import Foundation
import Planner

/// Type-erased `Encodable` value, so sections of different record types list as JSON alike.
public struct AnyEncodable: Encodable, Sendable {
  let body: @Sendable (any Encoder) throws -> Void

  /// Wraps a value.
  public init<T: Encodable & Sendable>(_ value: T) { body = { try value.encode(to: $0) } }

  /// Encodes the wrapped value.
  public func encode(to encoder: any Encoder) throws { try body(encoder) }
}

/// What `catalog list SECTION` prints: a table (selected columns) and the JSON records.
public struct CatalogListing: Sendable {
  /// Table header.
  public var header: [String]
  /// Table rows, already formatted.
  public var rows: [[String]]
  /// The full records for `--json`.
  public var json: AnyEncodable

  /// Creates a listing.
  public init(header: [String], rows: [[String]], json: AnyEncodable) {
    self.header = header
    self.rows = rows
    self.json = json
  }
}

/// One catalog file known to `scaleplan catalog`.
public struct CatalogSection: Sendable {
  /// The name typed after `catalog list`, e.g. `hardware`.
  public let name: String
  /// The file in data/ (or the user's `--catalog` directory), e.g. `accelerators.csv`.
  public let fileName: String
  /// Loads and checks the file, returning its row count; nil while no loader exists yet.
  public let validate: (@Sendable (CatalogFiles) throws -> Int)?
  /// Builds the listing; nil lists the CSV's `columns` after `validate` succeeds.
  public let list: (@Sendable (CatalogFiles) throws -> CatalogListing)?
  /// Columns a generic listing shows (those present in the file); empty shows the first five.
  public let columns: [String]

  /// Registers a catalog file.
  public init(
    name: String, fileName: String, validate: (@Sendable (CatalogFiles) throws -> Int)?,
    list: (@Sendable (CatalogFiles) throws -> CatalogListing)? = nil, columns: [String] = []
  ) {
    self.name = name
    self.fileName = fileName
    self.validate = validate
    self.list = list
    self.columns = columns
  }

  /// Every known catalog, in the order `catalog validate` checks them.
  /// To register a new one, add a line such as
  /// `CatalogSection(name: "laws", fileName: "laws.csv",
  ///   validate: { try CatalogSet.loadLaws(files: $0).count })`.
  public static let all: [CatalogSection] = [
    hardware, models, prices, energy,
    CatalogSection(
      name: "laws", fileName: LawCatalog.fileName, validate: { try LawCatalog.load($0).count },
      columns: ["id", "aliases", "kind", "E", "A", "B", "alpha", "beta", "date"]),
    CatalogSection(
      name: "law-refits", fileName: LawRefitsCatalog.fileName,
      validate: { files in
        try LawRefitsCatalog.parse(files.table(LawRefitsCatalog.fileName)).reduce(0) {
          $0 + $1.rows.count
        }
      },
      columns: ["law", "resample", "E", "A", "B", "alpha", "beta"]),
    CatalogSection(
      name: "trends", fileName: TrendCatalog.trendsFile,
      validate: { try TrendCatalog.parseTrends($0.table(TrendCatalog.trendsFile)).count },
      columns: ["id", "quantity", "unit", "value", "low", "high", "ci", "default", "tag"]),
    CatalogSection(
      name: "anchors", fileName: TrendCatalog.anchorsFile,
      validate: { try TrendCatalog.parseAnchors($0.table(TrendCatalog.anchorsFile)).count },
      columns: ["id", "kind", "date", "value", "low", "high", "default", "tag"]),
    CatalogSection(
      name: "data-stock", fileName: TrendCatalog.dataStockFile,
      validate: { try TrendCatalog.parseDataStock($0.table(TrendCatalog.dataStockFile)).count },
      columns: ["id", "kind", "date", "value", "low", "high", "ci", "unit", "tag"]),
  ]

  /// The section with this name (case-insensitive).
  /// - Throws: `CatalogError.unknownEntry` listing the known sections.
  public static func named(_ name: String) throws -> CatalogSection {
    guard let s = all.first(where: { $0.name == name.lowercased() }) else {
      throw CatalogError.unknownEntry(kind: "catalog", name: name, known: all.map(\.name))
    }
    return s
  }

  /// The listing for this section.
  /// - Throws: `CatalogError.noLoader` when the section has no loader yet, or the loader's error.
  public func listing(files: CatalogFiles) throws -> CatalogListing {
    guard let validate else { throw CatalogError.noLoader(name) }
    if let list { return try list(files) }
    _ = try validate(files)
    return try Self.genericListing(files.table(fileName), columns: columns)
  }

  /// Lists a CSV catalog by the given columns (or its first five); JSON holds every column.
  static func genericListing(_ t: CSVTable, columns: [String]) -> CatalogListing {
    var indices = columns.compactMap { t.header.firstIndex(of: $0) }
    if indices.isEmpty { indices = Array(t.header.indices.prefix(5)) }
    let shown = indices.map { t.header[$0] }
    let rows = t.rows.map { r in
      indices.map { r.cells[$0].trimmingCharacters(in: .whitespaces) }
    }
    var json: [[String: String]] = []
    for r in t.rows {
      var d: [String: String] = [:]
      for (h, c) in zip(t.header, r.cells) { d[h] = c.trimmingCharacters(in: .whitespaces) }
      json.append(d)
    }
    return CatalogListing(header: shown, rows: rows, json: AnyEncodable(json))
  }

  // MARK: - The four core catalogs

  /// accelerators.csv.
  public static let hardware = CatalogSection(
    name: "hardware", fileName: CatalogSet.acceleratorsFile,
    validate: { try CatalogSet.loadAccelerators(files: $0).count },
    list: { files in
      let c = try CatalogSet.load(files: files)
      let rows = c.acceleratorRecords.map { r -> [String] in
        let a = r.accelerator
        return [
          a.id, a.name, a.release, fmt(a.memoryGB), fmt(a.bandwidthTBps),
          fmt(a.peakFLOPS(.bf16).map { $0 / 1e12 }), fmt(a.peakTFLOPS[.fp8]), fmt(a.tdpWatts),
          a.priceUSDPerHour.map { "$" + fmt($0) } ?? "—", r.tag,
        ]
      }
      return CatalogListing(
        header: [
          "id", "name", "release", "memory_gb", "bandwidth_tbps", "bf16_tflops", "fp8_tflops",
          "tdp_w", "usd_per_hour", "tag",
        ], rows: rows, json: AnyEncodable(c.acceleratorRecords))
    })

  /// models.csv.
  public static let models = CatalogSection(
    name: "models", fileName: CatalogSet.modelsFile,
    validate: { files in
      let ids = try? AcceleratorIndex(CatalogSet.loadAccelerators(files: files))
      return try CatalogSet.loadModels(files: files, accelerators: ids).count
    },
    list: { files in
      let c = try CatalogSet.load(files: files)
      let rows = c.modelRecords.map { m -> [String] in
        [
          m.id, m.name, m.date, tagged(m.params, m.paramsTag, si: true),
          m.activeParams.map { si($0) } ?? "",
          tagged(m.tokens, m.tokensTag, si: true), tagged(m.trainingFLOPs, m.flopsTag, si: false),
          m.acceleratorID ?? "", tagged(m.acceleratorHours, m.hoursTag, si: true),
          m.costUSD.map { "$" + si($0) + " [\(m.costTag ?? "?")]" } ?? "",
        ]
      }
      return CatalogListing(
        header: [
          "id", "name", "date", "params", "active", "tokens", "training_flops", "hardware",
          "accel_hours", "cost_usd",
        ], rows: rows, json: AnyEncodable(c.modelRecords))
    })

  /// prices.csv.
  public static let prices = CatalogSection(
    name: "prices", fileName: CatalogSet.pricesFile,
    validate: { files in
      let ids = try? AcceleratorIndex(CatalogSet.loadAccelerators(files: files))
      return try CatalogSet.loadPrices(files: files, accelerators: ids).count
    },
    list: { files in
      let c = try CatalogSet.load(files: files)
      let rows = c.prices.map { p -> [String] in
        let range = p.rangeLow.flatMap { lo in p.rangeHigh.map { "\(fmt(lo))–\(fmt($0))" } }
        return [
          p.acceleratorID ?? "—", p.offering, "$" + fmt(p.usdPerChipHour), range ?? "", p.date,
          p.status, p.isDefault ? "yes" : "", p.tag,
        ]
      }
      return CatalogListing(
        header: [
          "accelerator", "offering", "usd_per_chip_hour", "range", "date", "status", "default",
          "tag",
        ], rows: rows, json: AnyEncodable(c.prices))
    })

  /// energy.csv.
  public static let energy = CatalogSection(
    name: "energy", fileName: CatalogSet.energyFile,
    validate: { try CatalogSet.loadEnergy(files: $0).count },
    list: { files in
      let e = try CatalogSet.loadEnergy(files: files)
      let rows = e.map {
        [$0.quantity, $0.variant, fmt($0.value), $0.unit, $0.isDefault ? "yes" : "", $0.tag,
         $0.source]
      }
      return CatalogListing(
        header: ["quantity", "variant", "value", "unit", "default", "tag", "source"], rows: rows,
        json: AnyEncodable(e))
    })
}

/// Shortest plain rendering of a catalog number ("989.4", "80", "0.0806"); "—" for nil.
func fmt(_ v: Double?) -> String {
  guard let v else { return "—" }
  if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
  return String(v)
}

/// SI rendering for counts (7e10 → "70B").
func si(_ v: Double) -> String { Format.si(v) }

/// A value with its tag, e.g. "175B [R]"; empty when the value is unknown.
func tagged(_ v: Double?, _ tag: String?, si useSI: Bool) -> String {
  guard let v else { return "" }
  let text = useSI ? si(v) : Format.scientific(v, digits: 3)
  return tag.map { "\(text) [\($0)]" } ?? text
}
