// data/references.csv, the bibliography: every row parses with the columns filled, keys are
// unique, and every [key] that data/reference/README.md cites is in it.

import Catalog
import Foundation
import Testing
import TestSupport

@Suite("Bibliography")
struct ReferencesTests {
  /// The bibliography parsed with the catalogs' CSV reader (quoted fields, `#` comments).
  func table() throws -> CSVTable {
    try CSVTable(contentsOf: repositoryRoot().appendingPathComponent("data/references.csv"))
  }

  @Test("every row has a key, authors, a four-digit year, a title, a venue and an id")
  func rows() throws {
    let t = try table()
    #expect(t.rows.count >= 30)
    for row in t.rows {
      for column in ["key", "authors", "title", "venue", "id", "note"] {
        #expect(!(try t.string(row, column)).isEmpty, "row \(row): empty \(column)")
      }
      let year = try t.string(row, "year")
      #expect(year.count == 4 && Int(year).map { (1900...2100).contains($0) } == true, "\(year)")
      let id = try t.string(row, "id")
      if id.hasPrefix("arXiv:") {
        // arXiv identifiers since 2007: YYMM.NNNN or YYMM.NNNNN, optionally vN.
        let body = id.dropFirst("arXiv:".count)
        #expect(body.range(of: #"^\d{4}\.\d{4,5}(v\d+)?$"#, options: .regularExpression) != nil, "\(id)")
      }
    }
  }

  @Test("keys are unique and lower-case")
  func uniqueKeys() throws {
    let t = try table()
    let keys = try t.rows.map { try t.string($0, "key") }
    #expect(Set(keys).count == keys.count, "duplicates: \(keys.filter { k in keys.filter { $0 == k }.count > 1 })")
    for k in keys { #expect(k == k.lowercased() && !k.contains(" "), "\(k)") }
  }

  @Test("the papers named in data/laws.csv and data/reference/README.md are in the bibliography")
  func cited() throws {
    let t = try table()
    let keys = Set(try t.rows.map { try t.string($0, "key") })
    let readme = try String(
      contentsOf: referenceDirectory().appendingPathComponent("README.md"), encoding: .utf8)
    let cites = readme.matches(of: /\[([a-z][a-z0-9-]*[0-9]{4}[a-z]?)\]/).map { String($0.output.1) }
    #expect(!cites.isEmpty)
    for c in cites { #expect(keys.contains(c), "data/reference/README.md cites [\(c)]") }
    // Every arXiv identifier in laws.csv appears in the bibliography too.
    let laws = try String(
      contentsOf: repositoryRoot().appendingPathComponent("data/laws.csv"), encoding: .utf8)
    let ids = Set(try t.rows.map { try t.string($0, "id") })
    for m in laws.matches(of: /arXiv (\d{4}\.\d{4,5})/) {
      let id = String(m.output.1)
      #expect(ids.contains { $0.hasPrefix("arXiv:\(id)") }, "laws.csv cites arXiv \(id)")
    }
  }
}
