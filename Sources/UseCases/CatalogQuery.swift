// `catalog list|show|validate`: the catalogs in data/ (or a user's override directory, file by
// file) as data. Catalog loads and checks the files; these types carry what a face shows.
// Results are Encodable only: the catalog's own records (AcceleratorRecord) are.

import Catalog
import Foundation
import Planner

/// `catalog list [SECTION]`: one catalog's entries, or every catalog with its row count.
public struct CatalogListRequest: Codable, Sendable, Equatable {
  /// The catalog's name (`hardware`, `models`, `laws`, …); nil for the overview.
  public var section: String?

  /// A request for `section` (nil: the overview).
  public init(section: String? = nil) { self.section = section }

  /// Checks the section name.
  /// - Throws: `CatalogError.unknownEntry` listing the known sections.
  public func validate() throws {
    if let s = section { _ = try CatalogSection.named(s) }
  }
}

/// One catalog file: where it comes from and whether it loads.
public struct CatalogFileStatus: Codable, Sendable, Equatable {
  /// Section name, file name, row count (nil when it does not load), `bundled` or `--catalog`.
  public var catalog: String
  public var file: String
  public var rows: Int?
  public var from: String
  /// `ok`, `no loader yet`, or the one-sentence error (file:line:column).
  public var status: String

  /// True for a file that has a loader and fails it.
  public var failed: Bool { status != "ok" && status != "no loader yet" }
}

/// The answer to `catalog list`: its JSON is the overview array, or the section's records.
public struct CatalogListResult: Encodable, Sendable {
  /// The section listed; nil for the overview.
  public var section: String?
  /// Every catalog file with its status (the overview).
  public var files: [CatalogFileStatus]
  /// The section's table: header and formatted rows (not part of the JSON).
  public var header: [String]
  public var rows: [[String]]
  /// The section's full records.
  public var records: AnyEncodable?

  /// The overview array, or the section's records.
  public func encode(to encoder: any Encoder) throws {
    if section != nil, let records {
      try records.encode(to: encoder)
    } else {
      try files.encode(to: encoder)
    }
  }
}

/// `catalog show ID`: one accelerator or model with every figure's source.
public struct CatalogShowRequest: Codable, Sendable, Equatable {
  /// An accelerator or model id or alias (`h100`, `llama3.1-405b`).
  public var id: String

  /// A request for `id`.
  public init(id: String) { self.id = id }

  /// Checks that an id is given.
  /// - Throws: `RequestError.invalid`.
  public func validate() throws {
    if id.trimmingCharacters(in: .whitespaces).isEmpty {
      throw RequestError.invalid("Give an accelerator or model id, e.g. h100 or gpt3.")
    }
  }
}

/// The answer to `catalog show`: an accelerator with its price rows, or a model. Its JSON is
/// `{"accelerator": …, "prices": […]}` for an accelerator and the model record for a model.
public struct CatalogShowResult: Encodable, Sendable {
  /// The accelerator found, with every price row for it.
  public var accelerator: AcceleratorRecord?
  public var prices: [PriceRecord]
  /// The model found.
  public var model: ModelRecord?

  private enum CodingKeys: String, CodingKey { case accelerator, prices }

  /// The accelerator and its prices, or the model record.
  public func encode(to encoder: any Encoder) throws {
    if let accelerator {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(accelerator, forKey: .accelerator)
      try c.encode(prices, forKey: .prices)
    } else if let model {
      try model.encode(to: encoder)
    }
  }
}

/// `catalog validate`: load every catalog file.
public struct CatalogValidateRequest: Codable, Sendable, Equatable {
  /// The only request.
  public init() {}
  /// Nothing to check.
  public func validate() throws {}
}

/// The answer to `catalog validate`: every file's status. Its JSON is the array of statuses.
public struct CatalogValidateResult: Codable, Sendable, Equatable {
  public var files: [CatalogFileStatus]
  /// The files that failed to load.
  public var failures: [CatalogFileStatus] { files.filter(\.failed) }

  /// Creates a result.
  public init(files: [CatalogFileStatus]) { self.files = files }
  /// The array of statuses.
  public func encode(to encoder: any Encoder) throws { try files.encode(to: encoder) }
  /// Reads the array of statuses.
  public init(from decoder: any Decoder) throws {
    files = try [CatalogFileStatus](from: decoder)
  }
}

extension Engine {
  /// Every catalog file's origin, row count and status (never throws for a bad file: its error
  /// becomes its status).
  /// - Throws: `CatalogError.missingDirectory` when the override directory does not exist.
  public func catalogStatus() throws -> [CatalogFileStatus] {
    let files = try catalogFiles()
    return CatalogSection.all.map { s in
      let from = files.isOverridden(s.fileName) ? "--catalog" : "bundled"
      guard let validate = s.validate else {
        return CatalogFileStatus(
          catalog: s.name, file: s.fileName, rows: nil, from: from, status: "no loader yet")
      }
      do {
        return CatalogFileStatus(
          catalog: s.name, file: s.fileName, rows: try validate(files), from: from, status: "ok")
      } catch {
        return CatalogFileStatus(
          catalog: s.name, file: s.fileName, rows: nil, from: from, status: "\(error)")
      }
    }
  }

  /// Answers `catalog list`.
  /// - Throws: `CatalogError` for an unknown section or a file that does not load.
  public func catalogList(_ request: CatalogListRequest) throws -> CatalogListResult {
    try request.validate()
    guard let name = request.section else {
      return CatalogListResult(
        section: nil, files: try catalogStatus(), header: [], rows: [], records: nil)
    }
    let listing = try CatalogSection.named(name).listing(files: catalogFiles())
    return CatalogListResult(
      section: name, files: [], header: listing.header, rows: listing.rows, records: listing.json)
  }

  /// Answers `catalog show`.
  /// - Throws: `CatalogError.unknownEntry` listing every accelerator and model id.
  public func catalogShow(_ request: CatalogShowRequest) throws -> CatalogShowResult {
    try request.validate()
    let c = try catalog()
    if let r = try? c.acceleratorRecord(request.id) {
      return CatalogShowResult(accelerator: r, prices: try c.prices(for: r.id), model: nil)
    }
    if let m = try? c.modelRecord(request.id) {
      return CatalogShowResult(accelerator: nil, prices: [], model: m)
    }
    throw CatalogError.unknownEntry(
      kind: "accelerator or model", name: request.id,
      known: c.acceleratorRecords.map(\.id) + c.modelRecords.map(\.id))
  }

  /// Answers `catalog validate`.
  /// - Throws: `CatalogError.missingDirectory` when the override directory does not exist.
  public func catalogValidate(_ request: CatalogValidateRequest) throws -> CatalogValidateResult {
    try request.validate()
    return CatalogValidateResult(files: try catalogStatus())
  }
}
