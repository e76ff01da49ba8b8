// No citation a user can see points to material outside the repository: Sources/, data/ and the
// top-level README.md must not cite `shared/…` files, `FACTS` sections, the bench RESULTS or
// SYNTHETIC-CORPUS notes, or issue numbers. Cite the paper (author year, section/table/eq.; the
// full reference goes in data/references.csv) or a file in the repository instead.

import Foundation
import Testing
import TestSupport

/// One citation of material outside the repository.
struct OutsideCitation: CustomStringConvertible {
  var file: String
  var line: Int
  var text: String
  var description: String { "\(file):\(line): \(text)" }
}

/// Patterns of citations to material a clone does not have.
let outsideCitationPatterns: [String] = [
  #"\bshared/"#, #"\bFACTS\b"#, #"RESULTS\.md"#, #"SYNTHETIC-CORPUS"#,
  #"\b[Ii]ssue #?[0-9]"#, #"\bissues? #[0-9]"#,
]

/// Every line of Sources/, data/ and README.md that matches a pattern, as repository-relative
/// `file:line`. Binary files and the vendored data sets' CSV rows are not scanned.
func outsideCitations() throws -> [OutsideCitation] {
  let root = repositoryRoot()
  var files: [String] = ["README.md"]
  for dir in ["Sources", "data"] {
    let base = root.appendingPathComponent(dir)
    guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
    for case let rel as String in e {
      let ext = (rel as NSString).pathExtension
      guard ["swift", "md", "csv", "json", "txt"].contains(ext) else { continue }
      if dir == "data" && rel.hasPrefix("reference/") && ext != "md" { continue }
      files.append("\(dir)/\(rel)")
    }
  }
  let regexes = try outsideCitationPatterns.map { try NSRegularExpression(pattern: $0) }
  var hits: [OutsideCitation] = []
  for file in files.sorted() {
    guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
    else { continue }
    for (i, line) in text.components(separatedBy: "\n").enumerated() {
      let range = NSRange(line.startIndex..., in: line)
      if regexes.contains(where: { $0.firstMatch(in: line, range: range) != nil }) {
        hits.append(OutsideCitation(file: file, line: i + 1, text: String(line.prefix(160))))
      }
    }
  }
  return hits
}

@Suite("Citations point inside the repository")
struct CitationTests {
  @Test("the scan finds what it looks for (checked on text written here)")
  func patterns() throws {
    let regexes = try outsideCitationPatterns.map { try NSRegularExpression(pattern: $0) }
    func hit(_ s: String) -> Bool {
      regexes.contains { $0.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
    }
    for bad in [
      "(shared/reference/README.md)", "FACTS §C2", "see FACTS.md", "bench/RESULTS.md §3",
      "SYNTHETIC-CORPUS.md recipe", "issue #5's goals", "as in issue 12",
    ] {
      #expect(hit(bad), "\(bad)")
    }
    for good in [
      "Hoffmann et al. 2022, eq. 4", "data/reference/README.md", "a shared, noisy machine",
      "the shared `--gpu` option", "tissue", "data/peer-benchmarks.csv",
    ] {
      #expect(!hit(good), "\(good)")
    }
  }

  @Test("no file in Sources/, data/ or README.md cites shared/, FACTS, bench notes or issue numbers")
  func noOutsideCitations() throws {
    let sources = repositoryRoot().appendingPathComponent("Sources/ScalePlanCLI").path
    #expect(FileManager.default.fileExists(atPath: sources), "the scan has no tree to read")
    let hits = try outsideCitations()
    #expect(hits.isEmpty, "\(hits.count) citations:\n\(hits.map(\.description).joined(separator: "\n"))")
  }
}
