// The vendored published data sets (data/reference/): present in the checkout and embedded in
// the binary, byte-identical between the two, with the sizes and row counts that
// data/reference/README.md records for the copies taken from the source repositories.

import Catalog
import Foundation
import Testing
import TestSupport

@Suite("Vendored reference data")
struct ReferenceDataTests {
  /// Bytes and data rows (header excluded) of each file, as `wc -c` and `wc -l` gave them for the
  /// source repositories' files (data/reference/README.md). The Sardana file has no final newline.
  static let expected: [(ReferenceFile, bytes: Int, rows: Int)] = [
    (.epochChinchilla, 23_224, 245),
    (.sardana, 9_578, 47),
    (.epochDatasetSizes, 4_414, 80),
    (.openAthenaIsoFLOPs, 18_059, 124),
  ]

  @Test("each file has its recorded size and row count, and every row has the header's width")
  func sizes() throws {
    #expect(Self.expected.count == ReferenceFile.allCases.count)
    for (file, bytes, rows) in Self.expected {
      let data = try Data(contentsOf: file.url)
      #expect(data.count == bytes, "\(file.rawValue): \(data.count) bytes")
      let table = try referenceTable(file)
      #expect(table.rows.count == rows, "\(file.rawValue): \(table.rows.count) rows")
      for (i, row) in table.rows.enumerated() {
        #expect(row.count == table.header.count, "\(file.rawValue) row \(i + 2): \(row.count) cells")
      }
    }
  }

  @Test("the Sardana file keeps its CRLF line ends (a byte-for-byte copy)")
  func lineEnds() throws {
    let data = try Data(contentsOf: ReferenceFile.sardana.url)
    let crlf = data.indices.dropLast().filter { data[$0] == 13 && data[$0 + 1] == 10 }.count
    #expect(crlf == 47)
    #expect(data.last != 10)
  }

  @Test("the embedded catalogs carry the same bytes, found through CatalogFiles")
  func bundled() throws {
    let files = try CatalogFiles()
    for file in ReferenceFile.allCases {
      let name = "reference/\(file.rawValue)"
      #expect(try files.data(for: name) == (try Data(contentsOf: file.url)), "\(name)")
    }
    // The licence of the Apache-2.0 file travels with it.
    let licence = try files.text(for: "reference/LICENSE-beyond-chinchilla.txt")
    #expect(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004"))
  }

  @Test("the README names every file with its commit")
  func readme() throws {
    let text = try String(
      contentsOf: referenceDirectory().appendingPathComponent("README.md"), encoding: .utf8)
    for file in ReferenceFile.allCases { #expect(text.contains("`\(file.rawValue)`")) }
    for commit in [
      "92258837425e1b5f2851d624287f0120583a3d0e", "190f70e365dc75037a2b3178609d00243f24b4b9",
      "83da8edaa853f036f1bbd521df9e789335d64b3b", "9c9225b6095904eac65a2223e3288f46a5cbdadb",
    ] {
      #expect(text.contains(commit))
    }
  }
}
