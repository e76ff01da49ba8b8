// `scaleplan catalog list|show|validate`: read the catalogs in data/ (or a user's --catalog DIR,
// which overrides them file by file). Thin: flags → Catalog*Request → Engine.catalog* → table or
// JSON.

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
    subcommands: [
      CatalogListCommand.self, CatalogShowCommand.self, CatalogValidateCommand.self,
      CatalogRefitsCommand.self,
    ])
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
    let r = try Engine(catalogDirectory: catalog.catalog).catalogList(
      CatalogListRequest(section: section))
    if output.json {
      try JSONOutput.print(r)
    } else if r.section == nil {
      var t = TextTable(header: ["catalog", "file", "rows", "from"])
      for e in r.files { t.add([e.catalog, e.file, e.rows.map(String.init) ?? "—", e.from]) }
      print(t.render(), terminator: "")
    } else {
      print(TextTable(header: r.header, rows: r.rows).render(), terminator: "")
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
    let r = try Engine(catalogDirectory: catalog.catalog).catalogShow(CatalogShowRequest(id: id))
    if output.json {
      try JSONOutput.print(r)
    } else if let a = r.accelerator {
      print(CatalogShowText.accelerator(a, prices: r.prices), terminator: "")
    } else if let m = r.model {
      print(CatalogShowText.model(m), terminator: "")
    }
  }
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
    let r = try Engine(catalogDirectory: catalog.catalog).catalogValidate(CatalogValidateRequest())
    let failures = r.failures
    if output.json {
      try JSONOutput.print(r)
    } else {
      for e in r.files {
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
    v.map(Format.catalogValue) ?? "—"
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

/// `scaleplan catalog refits`: regenerate data/law-refits.csv.
public struct CatalogRefitsCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "refits",
    abstract: "Bootstrap-refit the default law's data: the refits behind its plan intervals.",
    discussion: """
      Fits Epoch AI's 240 Chinchilla points (Besiroglu et al. 2024) with Approach 3, refits \
      --resamples resamples with replacement, and writes the refits as the catalog file \
      law-refits.csv (--out). The shipped file: --resamples 1000 --seed 2024.
      """)

  @Option(help: "The law whose data is refitted (only epoch2024 ships its data).")
  public var law: String?
  @Option(help: "Bootstrap resamples (10 to 20,000; default 1,000).")
  public var resamples: Int?
  @Option(help: "Bootstrap seed (default 2024); same seed, same file.")
  public var seed: UInt64?
  @Option(help: "Worker threads (default 2); the result does not depend on it.")
  public var threads: Int?
  @Option(help: "Write the refits catalog to this file.")
  public var out: String?
  @Flag(help: "Replace --out if it exists.")
  public var force = false

  @OptionGroup public var output: JSONOptions
  @OptionGroup public var catalog: CatalogOptions

  public init() {}

  public func run() throws {
    let r = try Engine(catalogDirectory: catalog.catalog).lawRefits(
      LawRefitsRequest(
        law: law, resamples: resamples, seed: seed, threads: threads, out: out, force: force))
    if output.json { return try JSONOutput.print(r) }
    let p = r.fit
    print("law: \(r.law) — \(r.points) points: \(r.data)")
    print(
      "full-data fit: E = \(Format.significant(p.E, digits: 6)), A = \(Format.significant(p.A, digits: 6)), "
        + "B = \(Format.significant(p.B, digits: 6)), α = \(Format.significant(p.alpha, digits: 6)), "
        + "β = \(Format.significant(p.beta, digits: 6))")
    print("refits: \(r.refits.count) of \(r.resamples) resamples (\(r.failed) failed), seed \(r.seed)")
    if let w = r.written { print("Wrote \(r.refits.count) refits to \(w).") }
  }
}
