// The CLI holds no domain arithmetic: with string literals and comments removed, no file of
// Sources/ScalePlanCLI contains a formula constant, a unit conversion or a math function. Help
// texts and examples may say "1e21"; code may not compute with it. The one kind of number code
// may hold is a flag-parsing bound, listed below with its reason.

import Foundation
import Testing
import TestSupport

/// Code (strings and comments removed) that would be domain arithmetic in the CLI.
let domainArithmeticPatterns: [String] = [
  #"\b\d+(\.\d+)?[eE][+-]?\d+\b"#,  // scientific literals: 1e9, 3.6e3
  #"\b\d{3,}\b"#, #"\b\d{1,3}(_\d{3})+\b"#,  // 100 and above: 3600, 1024, 1_000_000
  #"\b(pow|exp|log|log2|log10|sqrt|expm1|log1p)\("#, #"\.squareRoot\(\)"#,
  #"(^|[^\w.])6\s*\*"#, #"\*\s*6\b"#, #"/\s*6\b"#,  // C = 6ND
]

/// Flag-parsing bounds the CLI may hold (file suffix and the code it contains).
let flagParsingBounds: [(file: String, code: String, reason: String)] = [
  (
    "Commands/InferenceSupport.swift", "abs(v) < 1e15",
    "a whole-number flag must fit an Int before it becomes one"
  ),
  ("Commands/Serve.swift", "(0...65535).contains(port)", "--port is a TCP port"),
  ("Commands/Serve.swift", "host.count <= 255", "--host is a DNS name (RFC 1035, §2.3.4)"),
  ("Commands/Train.swift", "ExitCode(130)", "exit status 128 + SIGINT after an interruption"),
  ("ErrorText.swift", "longestMessage = 400", "error sentences are clipped for the terminal"),
]

/// A line with its string literals (including multi-line ones) and comments removed.
func codeOnly(_ lines: [String]) -> [String] {
  var out: [String] = []
  var inMultiline = false
  for line in lines {
    var code = ""
    var i = line.startIndex
    var inString = false
    while i < line.endIndex {
      let rest = line[i...]
      if inMultiline {
        if rest.hasPrefix("\"\"\"") {
          inMultiline = false
          i = line.index(i, offsetBy: 3)
        } else {
          i = line.index(after: i)
        }
        continue
      }
      if inString {
        if rest.hasPrefix("\\") {
          i = line.index(i, offsetBy: min(2, line.distance(from: i, to: line.endIndex)))
          continue
        }
        if rest.hasPrefix("\"") { inString = false }
        i = line.index(after: i)
        continue
      }
      if rest.hasPrefix("//") { break }
      if rest.hasPrefix("\"\"\"") {
        inMultiline = true
        code += "\"\""
        i = line.index(i, offsetBy: 3)
        continue
      }
      if rest.hasPrefix("\"") {
        inString = true
        code += "\"\""
        i = line.index(after: i)
        continue
      }
      code.append(line[i])
      i = line.index(after: i)
    }
    out.append(code)
  }
  return out
}

/// Every match in the CLI's sources, as `file:line: code`, less the listed flag-parsing bounds.
func cliArithmetic() throws -> [String] {
  let root = repositoryRoot().appendingPathComponent("Sources/ScalePlanCLI")
  let regexes = try domainArithmeticPatterns.map { try NSRegularExpression(pattern: $0) }
  var hits: [String] = []
  let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String]) ?? []
  for rel in files.sorted() where rel.hasSuffix(".swift") {
    let text = try String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
    for (n, code) in codeOnly(text.components(separatedBy: "\n")).enumerated() {
      let range = NSRange(code.startIndex..., in: code)
      guard regexes.contains(where: { $0.firstMatch(in: code, range: range) != nil }) else {
        continue
      }
      if flagParsingBounds.contains(where: { rel.hasSuffix($0.file) && code.contains($0.code) }) {
        continue
      }
      hits.append("\(rel):\(n + 1): \(code.trimmingCharacters(in: .whitespaces))")
    }
  }
  return hits
}

@Suite("The CLI is thin")
struct ThinCLITests {
  @Test("the scan sees through strings and comments and catches arithmetic (text written here)")
  func scanner() throws {
    let code = codeOnly([
      #"let x = "1e21 FLOP" // 6 * N * D"#, #"let s = 3600.0 * hours"#, "let t = \"\"\"",
      "  1024 inside a multi-line string", "  \"\"\" + pow(a, b)", #"let c = 6 * n * d"#,
      #"let q = "say \"1e9\"" + "x""#,
    ])
    let regexes = try domainArithmeticPatterns.map { try NSRegularExpression(pattern: $0) }
    func hit(_ s: String) -> Bool {
      regexes.contains { $0.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
    }
    #expect(code.map(hit) == [false, true, false, false, true, true, false], "\(code)")
  }

  @Test("no formula constant, unit conversion or math function in Sources/ScalePlanCLI")
  func noArithmetic() throws {
    let hits = try cliArithmetic()
    #expect(
      FileManager.default.fileExists(
        atPath: repositoryRoot().appendingPathComponent("Sources/ScalePlanCLI/Commands").path))
    #expect(hits.isEmpty, "\(hits.count) lines:\n\(hits.joined(separator: "\n"))")
  }
}
