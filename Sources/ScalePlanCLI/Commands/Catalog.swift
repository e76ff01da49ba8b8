// `scaleplan catalog list|show|validate`: read the catalogs in data/ (or a user's --catalog DIR,
// which overrides them file by file). Thin: the Catalog module loads and checks; this renders.

import ArgumentParser
import Catalog
import UseCases
import Foundation
import Planner

/// `scaleplan catalog`.
public struct CatalogCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "catalog",
    abstract: "List, show and validate the catalogs (accelerators, models, prices, energy, …).",
    discussion: """
      The catalogs are CSV files bundled from data/. --catalog DIR overrides them file by file: \
      put an edited accelerators.csv in DIR and the other files still come from the bundle.
      """,
    subcommands: [CatalogListCommand.self, CatalogShowCommand.self, CatalogValidateCommand.self])
  public init() {}
}

/// `scaleplan catalog list [SECTION]`.
public struct CatalogListCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List a catalog's entries, or every catalog with its row count.")

  @Argument(
    help: ArgumentHelp(
      "Which catalog: \(CatalogSection.all.map(\.name).joined(separator: ", ")). Omit for all."))
  public var section: String?

  @OptionGroup public var output: JSONOptions
  @OptionGroup public var catalog: CatalogOptions

  public init() {}

  public func run() throws {
    let files = try catalog.files()
    guard let name = section else {
      let overview = CatalogOverview.build(files: files)
      if output.json {
        try JSONOutput.print(overview)
      } else {
        var t = TextTable(header: ["catalog", "file", "rows", "from"])
        for e in overview { t.add([e.catalog, e.file, e.rows.map(String.init) ?? "—", e.from]) }
        print(t.render(), terminator: "")
      }
      return
    }
    let listing = try CatalogSection.named(name).listing(files: files)
    if output.json {
      try JSONOutput.print(listing.json)
    } else {
      print(TextTable(header: listing.header, rows: listing.rows).render(), terminator: "")
    }
  }
}

/// One line of `catalog list` without a section.
struct CatalogOverview: Encodable {
  var catalog: String
  var file: String
  var rows: Int?
  var from: String
  var status: String

  static func build(files: CatalogFiles) -> [CatalogOverview] {
    CatalogSection.all.map { s in
      let from = files.isOverridden(s.fileName) ? "--catalog" : "bundled"
      guard let validate = s.validate else {
        return CatalogOverview(
          catalog: s.name, file: s.fileName, rows: nil, from: from, status: "no loader yet")
      }
      do {
        return CatalogOverview(
          catalog: s.name, file: s.fileName, rows: try validate(files), from: from, status: "ok")
      } catch {
        return CatalogOverview(
          catalog: s.name, file: s.fileName, rows: nil, from: from, status: "\(error)")
      }
    }
  }
}

/// `scaleplan catalog show ID`.
public struct CatalogShowCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one accelerator or model with every figure's source.")

  @Argument(help: "An accelerator or model id or alias, e.g. h100, a100, gpt3, llama3.1-405b.")
  public var id: String

  @OptionGroup public var output: JSONOptions
  @OptionGroup public var catalog: CatalogOptions

  public init() {}

  public func run() throws {
    let c = try Catalog.load(files: catalog.files())
    if let r = try? c.acceleratorRecord(id) {
      let prices = try c.prices(for: r.id)
      if output.json {
        try JSONOutput.print(AcceleratorDetail(accelerator: AnyEncodable(r), prices: prices))
      } else {
        print(CatalogShowText.accelerator(r, prices: prices), terminator: "")
      }
      return
    }
    if let m = try? c.modelRecord(id) {
      if output.json {
        try JSONOutput.print(m)
      } else {
        print(CatalogShowText.model(m), terminator: "")
      }
      return
    }
    throw CatalogError.unknownEntry(
      kind: "accelerator or model", name: id,
      known: c.acceleratorRecords.map(\.id) + c.modelRecords.map(\.id))
  }
}

/// JSON of `catalog show` for an accelerator: the record plus every price row.
struct AcceleratorDetail: Encodable {
  var accelerator: AnyEncodable
  var prices: [PriceRecord]
}

/// `scaleplan catalog validate`.
public struct CatalogValidateCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check every catalog file; print OK or the first error (file:line:column) for each.")

  @OptionGroup public var output: JSONOptions
  @OptionGroup public var catalog: CatalogOptions

  public init() {}

  public func run() throws {
    let report = CatalogOverview.build(files: try catalog.files())
    let failures = report.filter { $0.status != "ok" && $0.status != "no loader yet" }
    if output.json {
      try JSONOutput.print(report)
    } else {
      for e in report {
        let result: String
        switch e.status {
        case "ok": result = "OK (\(e.rows ?? 0) rows)"
        case "no loader yet": result = "skipped: no loader in this build yet"
        default: result = "ERROR \(e.status)"
        }
        print("\(e.file) [\(e.from)]: \(result)")
      }
    }
    if !failures.isEmpty {
      let n = failures.count
      let files = n == 1 ? "1 catalog file" : "\(n) catalog files"
      FileHandle.standardError.write(Data("\(files) failed to load; see the reasons above.\n".utf8))
      throw ExitCode.failure
    }
  }
}

/// Plain-text renderings for `catalog show`.
enum CatalogShowText {
  /// Counts with SI suffixes (175B, 3.55M), huge values in scientific notation, others plain.
  static func num(_ v: Double?) -> String {
    guard let v else { return "—" }
    if abs(v) >= 1e15 { return Format.scientific(v, digits: 4) }
    if abs(v) >= 1e4 { return Format.si(v, digits: 4) }
    return Format.significant(v, digits: 6)
  }

  static func accelerator(_ r: AcceleratorRecord, prices: [PriceRecord]) -> String {
    let a = r.accelerator
    var lines: [(String, String)] = [
      ("id", a.id), ("aliases", r.aliases.joined(separator: ", ")), ("name", a.name),
      ("vendor", a.vendor), ("release", a.release), ("memory_gb", num(a.memoryGB)),
      ("bandwidth_tbps", num(a.bandwidthTBps)),
    ]
    for p in Precision.allCases {
      if let v = a.peakTFLOPS[p] {
        lines.append(("\(p.rawValue)_\(p == .int8 ? "tops" : "tflops") (dense)", num(v)))
      }
    }
    lines.append(("tdp_w", num(a.tdpWatts)))
    if let m = r.measuredPowerWatts { lines.append(("measured_power_w", num(m))) }
    lines.append(("tag", r.tag + (r.unverified.isEmpty ? "" : "; unverified [U]: "
      + r.unverified.joined(separator: ", "))))
    lines.append(("source", a.source))
    for alt in r.alternatives {
      lines.append(("alternative", "\(alt.column) = \(num(alt.value)) (\(alt.source))"))
    }
    if !r.notes.isEmpty { lines.append(("notes", r.notes)) }
    var out = keyValues(lines)
    if !prices.isEmpty {
      out += "\nprices (US$ per chip-hour; default marked *):\n"
      var t = TextTable(header: ["", "usd", "date", "status", "tag", "offering"])
      for p in prices {
        t.add([p.isDefault ? "*" : "", num(p.usdPerChipHour), p.date, p.status, p.tag,
               "\(p.offering) — \(p.source)"])
      }
      out += t.render()
    }
    return out
  }

  static func model(_ m: ModelRecord) -> String {
    func tagged(_ v: Double?, _ tag: String?) -> String {
      guard let v else { return "—" }
      return num(v) + (tag.map { " [\($0)]" } ?? "")
    }
    func int(_ v: Int?) -> String { v.map(String.init) ?? "—" }
    var lines: [(String, String)] = [
      ("id", m.id), ("aliases", m.aliases.joined(separator: ", ")), ("name", m.name),
      ("organisation", m.organisation), ("date", m.date),
      ("params", tagged(m.params, m.paramsTag)),
      ("active_params", m.activeParams.map(num) ?? "(dense: all)"),
      ("tokens", tagged(m.tokens, m.tokensTag)),
      ("training_flops", tagged(m.trainingFLOPs, m.flopsTag)),
      ("hardware", m.hardware.isEmpty ? "—" : m.hardware),
      ("accelerator_id", m.acceleratorID ?? "—"),
      ("accelerator_count", num(m.acceleratorCount)),
      ("accelerator_hours", tagged(m.acceleratorHours, m.hoursTag)),
      ("cost_usd", tagged(m.costUSD, m.costTag) + (m.costBasis.isEmpty ? "" : " (\(m.costBasis))")),
      ("energy_mwh", num(m.energyMWh)),
    ]
    let arch = [m.layers, m.dModel, m.heads, m.kvHeads, m.vocab, m.context]
    if arch.contains(where: { $0 != nil }) {
      lines.append(
        ("architecture",
         "layers \(int(m.layers)), d_model \(int(m.dModel)), heads \(int(m.heads)), "
           + "kv_heads \(int(m.kvHeads)), vocab \(int(m.vocab)), context \(int(m.context))"
           + (m.archTag.map { " [\($0)]" } ?? "")))
      lines.append(("architecture source", m.archSource))
    }
    lines.append(("source", m.source))
    for alt in m.alternatives {
      lines.append(("alternative", "\(alt.column) = \(num(alt.value)) (\(alt.source))"))
    }
    if !m.notes.isEmpty { lines.append(("notes", m.notes)) }
    return keyValues(lines)
  }

  static func keyValues(_ lines: [(String, String)]) -> String {
    let width = lines.map(\.0.count).max() ?? 0
    return lines.map { k, v in
      k + String(repeating: " ", count: width - k.count) + "  " + v
    }.joined(separator: "\n") + "\n"
  }
}
