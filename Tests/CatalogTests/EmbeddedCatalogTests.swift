// The catalogs compiled into the binary (Sources/Catalog/EmbeddedCatalog.swift) must be exactly
// the files of data/ (README files and dot files excepted), byte for byte, so nobody edits data/
// and ships a binary with the old copy. The fix is always one command: .ci/embed-catalog.

import Catalog
import Foundation
import Testing
import TestSupport

/// The files .ci/embed-catalog embeds: every regular file under data/ except README.md and dot
/// files, keyed by its path relative to data/.
private func dataFiles() throws -> [String: Data] {
  let data = repositoryRoot().appendingPathComponent("data")
  let fm = FileManager.default
  var out: [String: Data] = [:]
  guard let walker = fm.enumerator(atPath: data.path) else { return out }
  for case let rel as String in walker {
    let name = (rel as NSString).lastPathComponent
    if name.hasPrefix(".") || rel.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
      continue
    }
    var isDir: ObjCBool = false
    let full = data.appendingPathComponent(rel).path
    guard fm.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue, name != "README.md"
    else { continue }
    out[rel] = try Data(contentsOf: URL(fileURLWithPath: full))
  }
  return out
}

private let regenerate = "the embedded catalogs differ from data/; run .ci/embed-catalog"

@Suite("Embedded catalogs")
struct EmbeddedCatalogTests {
  @Test("the embedded copy holds exactly the files of data/")
  func sameNames() throws {
    let files = try dataFiles()
    #expect(files.count > 15)
    let missing = Set(files.keys).subtracting(CatalogFiles.embeddedNames).sorted()
    let extra = Set(CatalogFiles.embeddedNames).subtracting(files.keys).sorted()
    #expect(missing.isEmpty, "\(regenerate) (not embedded: \(missing.joined(separator: ", ")))")
    #expect(extra.isEmpty, "\(regenerate) (embedded but gone: \(extra.joined(separator: ", ")))")
  }

  @Test("every embedded file is byte-identical to data/")
  func sameBytes() throws {
    for (name, bytes) in try dataFiles().sorted(by: { $0.key < $1.key }) {
      #expect(CatalogFiles.embeddedData(name) == bytes, "\(regenerate) (\(name) changed)")
    }
  }

  @Test("--catalog DIR overrides one file; the others come from the embedded copy")
  func override() throws {
    let text = try CatalogFiles().text(for: "prices.csv")
    let dir = try userCatalog(["prices.csv": text])
    let files = try CatalogFiles(overrideDirectory: dir.path)
    #expect(files.isOverridden("prices.csv") && !files.isOverridden("accelerators.csv"))
    #expect(try files.data(for: "accelerators.csv") == CatalogFiles.embeddedData("accelerators.csv"))
    #expect(try CatalogSet.load(files: files).acceleratorRecords.count == 17)
    #expect(
      errorText { _ = try files.data(for: "nope.csv") } == "Catalog file 'nope.csv' does not exist.")
  }
}
