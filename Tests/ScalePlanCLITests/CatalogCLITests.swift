// End-to-end tests of `scaleplan catalog`: run the built binary (beside this test bundle in
// .build/<config>/) with the current directory set to an empty temp folder, so a binary that only
// works inside the checkout fails here. Skipped, visibly, when the binary is not there.

import Foundation
import Testing
import TestSupport

/// The `scaleplan` executable built next to the test bundle, if present.
private let catalogTestBinary: URL? = builtScaleplanBinary()

/// Result of one run of the binary.
private struct RunResult {
  var status: Int32
  var stdout: String
  var stderr: String
  /// True when the process exited normally (was not killed by a signal, i.e. did not crash).
  var exitedNormally: Bool
}

/// Runs `binary` with `arguments` in `directory`, capturing output.
private func run(_ binary: URL, _ arguments: [String], in directory: URL) throws -> RunResult {
  let p = Process()
  p.executableURL = binary
  p.arguments = arguments
  p.currentDirectoryURL = directory
  let out = Pipe()
  let err = Pipe()
  p.standardOutput = out
  p.standardError = err
  try p.run()
  let o = out.fileHandleForReading.readDataToEndOfFile()
  let e = err.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  return RunResult(
    status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
    stderr: String(decoding: e, as: UTF8.self), exitedNormally: p.terminationReason == .exit)
}

/// A fresh empty temporary directory.
func makeTempDir() throws -> URL {
  let u = FileManager.default.temporaryDirectory.appendingPathComponent(
    "scaleplan-cli-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
  return u
}

@Suite(
  "scaleplan catalog (built binary)",
  .enabled(
    if: catalogTestBinary != nil,
    "the scaleplan binary is not beside the test bundle; run `swift build` first"))
struct CatalogCLITests {
  let binary: URL
  let cwd: URL

  init() throws {
    binary = try #require(catalogTestBinary)
    cwd = try makeTempDir()
  }

  @Test("list hardware works from an unrelated current directory")
  func listHardwareFromTempDir() throws {
    let r = try run(binary, ["catalog", "list", "hardware"], in: cwd)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("h100"))
    #expect(r.stdout.contains("989.4"))  // H100 dense BF16 (FACTS §A1)
    #expect(r.stdout.contains("a100-80gb"))
  }

  @Test("list hardware --json gives every accelerator with snake_case keys")
  func listHardwareJSON() throws {
    let r = try run(binary, ["catalog", "list", "hardware", "--json"], in: cwd)
    #expect(r.status == 0, "\(r.stderr)")
    let items = try #require(
      try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    #expect(items.count == 17)
    let h100 = try #require(items.first { $0["id"] as? String == "h100" })
    #expect(h100["memory_gb"] as? Double == 80)
    #expect(h100["bandwidth_tbps"] as? Double == 3.35)
    let peaks = try #require(h100["peak_tflops_dense"] as? [String: Double])
    #expect(peaks["bf16"] == 989.4)
    #expect(h100["default_usd_per_chip_hour"] as? Double == 2.49)
  }

  @Test("show gpt3 prints its figures and sources; JSON has the documented keys")
  func showModel() throws {
    let r = try run(binary, ["catalog", "show", "GPT-3"], in: cwd)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("175B [R]"))
    #expect(r.stdout.contains("Brown et al. 2020"))
    let j = try run(binary, ["catalog", "show", "gpt3", "--json"], in: cwd)
    let obj = try #require(
      try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
    #expect(obj["training_flops"] as? Double == 3.14e23)
    #expect(obj["tokens"] as? Double == 300e9)
  }

  @Test("unknown id: one sentence listing the known ids, exit ≠ 0")
  func unknownID() throws {
    let r = try run(binary, ["catalog", "show", "h1000"], in: cwd)
    #expect(r.exitedNormally)
    #expect(r.status != 0)
    #expect(r.stderr.contains("Unknown accelerator or model 'h1000'; try one of: v100"))
    #expect(r.stderr.contains("h100"))
  }

  @Test("validate passes on the bundled catalogs")
  func validateBundled() throws {
    let r = try run(binary, ["catalog", "validate"], in: cwd)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("accelerators.csv [bundled]: OK (17 rows)"))
    #expect(r.stdout.contains("prices.csv [bundled]: OK (18 rows)"))
  }

  @Test("validate reports a broken user file with file:line:column and exits ≠ 0")
  func validateBroken() throws {
    let dir = try makeTempDir()
    let csv = """
      accelerator_id,offering,usd_per_chip_hour,range_low,range_high,usd_per_instance_hour,\
      chips_per_instance,date,status,default,tag,source,notes
      h100,Cheap cloud,-2.0,,,,,2025,list,yes,E,my notes,

      """
    try csv.write(to: dir.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
    let r = try run(binary, ["catalog", "validate", "--catalog", dir.path], in: cwd)
    #expect(r.exitedNormally)
    #expect(r.status != 0)
    // Line 2, column 18: the price cell "-2.0".
    #expect(
      r.stdout.contains(
        "prices.csv [--catalog]: ERROR prices.csv:2:18: column 'usd_per_chip_hour' must be "
          + "greater than zero"),
      "\(r.stdout)")
    #expect(r.stdout.contains("accelerators.csv [bundled]: OK"))
    #expect(r.stderr.contains("1 catalog file failed to load; see the reasons above."))
    // Other commands reading the catalog stop with the same positioned sentence.
    let l = try run(binary, ["catalog", "list", "prices", "--catalog", dir.path], in: cwd)
    #expect(l.status != 0)
    #expect(l.stderr.contains("prices.csv:2:18:"))
  }

  @Test("--catalog overrides one file; the others still come from the bundle")
  func overrideOneFile() throws {
    let dir = try makeTempDir()
    let csv = """
      quantity,variant,value,unit,default,tag,source,notes
      pue,my-datacentre,1.35,ratio,yes,R,our facilities team,

      """
    try csv.write(to: dir.appendingPathComponent("energy.csv"), atomically: true, encoding: .utf8)
    let r = try run(binary, ["catalog", "list", "energy", "--catalog", dir.path], in: cwd)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("my-datacentre"))
    #expect(!r.stdout.contains("industry-average-2023"))
    let h = try run(binary, ["catalog", "list", "hardware", "--catalog", dir.path], in: cwd)
    #expect(h.status == 0)
    #expect(h.stdout.contains("989.4"))
  }

  @Test("a missing --catalog directory is one sentence, exit ≠ 0")
  func missingOverrideDirectory() throws {
    let r = try run(binary, ["catalog", "list", "--catalog", "/nonexistent/dir"], in: cwd)
    #expect(r.exitedNormally)
    #expect(r.status != 0)
    #expect(r.stderr.contains("Catalog directory '/nonexistent/dir' does not exist"))
  }

  @Test("a catalog without a loader yet is one sentence, not a crash")
  func sectionWithoutLoader() throws {
    let r = try run(binary, ["catalog", "list", "trends"], in: cwd)
    #expect(r.exitedNormally)
    // Either the trends loader has landed (exit 0) or the command says it has not (one sentence).
    if r.status != 0 {
      #expect(r.stderr.contains("has no loader in this build yet"))
    }
  }

  @Test("a copy of the binary elsewhere still finds the catalogs or says why, without crashing")
  func copiedBinary() throws {
    let dir = try makeTempDir()
    let copy = dir.appendingPathComponent("scaleplan")
    try FileManager.default.copyItem(at: binary, to: copy)
    let r = try run(copy, ["catalog", "list", "hardware"], in: cwd)
    #expect(r.exitedNormally)
    if r.status == 0 {
      // Found through the source checkout's data/ (the checkout this binary was built from).
      #expect(r.stdout.contains("h100"))
    } else {
      #expect(r.stderr.contains("bundled catalogs"))
    }
  }
}
