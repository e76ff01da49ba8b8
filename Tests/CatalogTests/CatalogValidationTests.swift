// Broken user catalogs (written to temp directories) are reported as "file:line:column: reason";
// --catalog overrides file by file; lookups accept aliases and list the known ids when they fail.

import Foundation
import Planner
import Testing
import TestSupport

@testable import Catalog

/// Writes `files` (name → contents) into a fresh temporary directory.
func userCatalog(_ files: [String: String]) throws -> URL {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
    "scaleplan-catalog-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  for (name, text) in files {
    try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }
  return dir
}

/// The bundled file's text with one line replaced (1-based, counting comment lines).
func bundledText(_ name: String, replacingLine n: Int? = nil, with line: String = "") throws
  -> String
{
  let text = try CatalogFiles().text(for: name)
  guard let n else { return text }
  var lines = text.components(separatedBy: "\n")
  lines[n - 1] = line
  return lines.joined(separator: "\n")
}

/// The line number of the first line starting with `prefix` in a bundled file.
func bundledLine(_ name: String, startingWith prefix: String) throws -> Int {
  let lines = try bundledText(name).components(separatedBy: "\n")
  return try #require(lines.firstIndex { $0.hasPrefix(prefix) }) + 1
}

/// The description of the error `body` throws, or nil if it does not throw.
func errorText(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return "\(error)"
  }
}

let acceleratorHeader =
  "id,aliases,name,vendor,release,memory_gb,bandwidth_tbps,fp32_tflops,tf32_tflops,bf16_tflops,"
  + "fp16_tflops,fp8_tflops,int8_tops,tdp_w,measured_power_w,tag,unverified,source,alternatives,"
  + "notes"

@Suite("Malformed catalogs and overrides")
struct CatalogValidationTests {
  @Test("a non-numeric cell is reported with file, line and column")
  func nonNumeric() throws {
    let dir = try userCatalog([
      "accelerators.csv": acceleratorHeader + "\n"
        + "x1,,X One,Acme,2024,eighty,1,,,100,,,,300,,R,,datasheet,,\n"
    ])
    let files = try CatalogFiles(overrideDirectory: dir.path)
    // "x1,,X One,Acme,2024," is 20 characters, so memory_gb starts at column 21.
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: files) }
        == "accelerators.csv:2:21: column 'memory_gb' must be a finite number, found 'eighty'.")
  }

  @Test("a negative value where none is possible is reported")
  func negative() throws {
    let dir = try userCatalog([
      "accelerators.csv": acceleratorHeader + "\n"
        + "x1,,X One,Acme,2024,80,1,,,-100,,,,300,,R,,datasheet,,\n"
    ])
    let files = try CatalogFiles(overrideDirectory: dir.path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: files) }
        == "accelerators.csv:2:28: column 'bf16_tflops' must be greater than zero, found '-100'.")
  }

  @Test("a missing required cell, a bad tag and a wrong field count are reported")
  func missingTagAndFieldCount() throws {
    let missing = try CatalogFiles(
      overrideDirectory: userCatalog([
        "accelerators.csv": acceleratorHeader + "\n"
          + "x1,,,Acme,2024,80,1,,,100,,,,300,,R,,datasheet,,\n"
      ]).path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: missing) }
        == "accelerators.csv:2:5: column 'name' is required but empty.")
    let badTag = try CatalogFiles(
      overrideDirectory: userCatalog([
        "accelerators.csv": acceleratorHeader + "\n"
          + "x1,,X,Acme,2024,80,1,,,100,,,,300,,maybe,,datasheet,,\n"
      ]).path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: badTag) }?.hasPrefix(
        "accelerators.csv:2:36: column 'tag' must be a tag R, E, D or U") == true)
    let short = try CatalogFiles(
      overrideDirectory: userCatalog([
        "accelerators.csv": acceleratorHeader + "\n" + "x1,,X,Acme,2024,80\n"
      ]).path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: short) }
        == "accelerators.csv:2:1: expected 20 fields as in the header, found 6.")
  }

  @Test("a duplicate id or alias is reported at its second occurrence")
  func duplicate() throws {
    // Append a copy of the H100 row under a new id but keep its alias `h100-sxm`.
    let n = try bundledLine("accelerators.csv", startingWith: "h100,")
    let lines = try bundledText("accelerators.csv").components(separatedBy: "\n")
    let copy = lines[n - 1].replacingOccurrences(of: "h100,h100-sxm", with: "h100b,h100-sxm")
    let text = lines.filter { !$0.isEmpty }.joined(separator: "\n") + "\n" + copy + "\n"
    let files = try CatalogFiles(overrideDirectory: userCatalog(["accelerators.csv": text]).path)
    let last = lines.filter { !$0.isEmpty }.count + 1
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: files) }
        == "accelerators.csv:\(last):7: accelerator name 'h100-sxm' is already used on line \(n); "
        + "ids and aliases must be unique.")
  }

  @Test("an unknown accelerator id in prices.csv is reported with the known ids")
  func unknownAcceleratorInPrices() throws {
    let header = try bundledText("prices.csv").components(separatedBy: "\n").first {
      $0.hasPrefix("accelerator_id,")
    }
    let text = try #require(header) + "\n" + "h1000,Cheap,1.0,,,,,2025,list,no,E,me,\n"
    let files = try CatalogFiles(overrideDirectory: userCatalog(["prices.csv": text]).path)
    let message = errorText { _ = try CatalogSet.load(files: files) }
    #expect(
      message?.hasPrefix(
        "prices.csv:2:1: unknown accelerator 'h1000'; use an id from accelerators.csv (v100, ")
        == true, "\(message ?? "no error")")
  }

  @Test("two defaults for one accelerator, or a price outside its range, are reported")
  func priceRules() throws {
    let header = try #require(
      try bundledText("prices.csv").components(separatedBy: "\n").first {
        $0.hasPrefix("accelerator_id,")
      })
    let two = header + "\n" + "h100,A,1.0,,,,,2025,list,yes,E,me,\n"
      + "h100-sxm,B,2.0,,,,,2025,list,yes,E,me,\n"
    let f2 = try CatalogFiles(overrideDirectory: userCatalog(["prices.csv": two]).path)
    #expect(
      errorText { _ = try CatalogSet.load(files: f2) }
        == "prices.csv:3:30: 'h100' already has a default price on an earlier row.")
    let outside = header + "\n" + "h100,A,5.0,1.0,2.0,,,2025,range,no,E,me,\n"
    let f3 = try CatalogFiles(overrideDirectory: userCatalog(["prices.csv": outside]).path)
    #expect(
      errorText { _ = try CatalogSet.load(files: f3) }
        == "prices.csv:2:8: usd_per_chip_hour must lie between range_low and range_high.")
  }

  @Test("inconsistent model architecture is reported")
  func modelArchitecture() throws {
    // GPT-3 row with kv_heads 7, which does not divide 96 heads.
    let n = try bundledLine("models.csv", startingWith: "gpt3,")
    let lines = try bundledText("models.csv").components(separatedBy: "\n")
    let broken = lines[n - 1].replacingOccurrences(of: ",96,12288,96,96,", with: ",96,12288,96,7,")
    #expect(broken != lines[n - 1])
    let text = try bundledText("models.csv", replacingLine: n, with: broken)
    let files = try CatalogFiles(overrideDirectory: userCatalog(["models.csv": text]).path)
    let message = errorText { _ = try CatalogSet.load(files: files) }
    #expect(message?.hasPrefix("models.csv:\(n):") == true, "\(message ?? "no error")")
    #expect(message?.hasSuffix("heads (96) must be a multiple of kv_heads.") == true)
  }

  @Test("a malformed alternative is reported")
  func badAlternative() throws {
    let dir = try userCatalog([
      "accelerators.csv": acceleratorHeader + "\n"
        + "x1,,X,Acme,2024,80,1,,,100,,,,300,,R,,datasheet,memory_gb=lots (me),\n"
    ])
    let files = try CatalogFiles(overrideDirectory: dir.path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: files) }
        == "accelerators.csv:2:49: alternative 'memory_gb=lots (me)' has a non-numeric value "
        + "'lots'.")
  }

  @Test("energy: a second default for a quantity is reported")
  func energyDefaults() throws {
    let text = """
      quantity,variant,value,unit,default,tag,source,notes
      pue,a,1.2,ratio,yes,E,me,
      pue,b,1.3,ratio,yes,E,me,

      """
    let files = try CatalogFiles(overrideDirectory: userCatalog(["energy.csv": text]).path)
    #expect(
      errorText { _ = try CatalogSet.loadEnergy(files: files) }
        == "energy.csv:3:17: 'pue' already has a default value on line 2.")
  }

  @Test("energy: a PUE or server overhead below 1 is refused where it is written")
  func energyBelowOne() throws {
    let text = """
      quantity,variant,value,unit,default,tag,source,notes
      pue,a,0.9,ratio,yes,E,me,

      """
    let files = try CatalogFiles(overrideDirectory: userCatalog(["energy.csv": text]).path)
    // "pue,a," is 6 characters, so value starts at column 7.
    #expect(
      errorText { _ = try CatalogSet.loadEnergy(files: files) }
        == "energy.csv:2:7: pue must be at least 1 (it multiplies the accelerators' energy), "
        + "found 0.9.")
  }

  @Test("a catalog number with a suffix is refused, not scaled")
  func suffixRefused() throws {
    // bf16_tflops = 989.4T would otherwise be read as 9.894e14 TFLOP/s.
    let dir = try userCatalog([
      "accelerators.csv": acceleratorHeader + "\n"
        + "x1,,X One,Acme,2024,80,1,,,989.4T,,,,300,,R,,datasheet,,\n"
    ])
    let files = try CatalogFiles(overrideDirectory: dir.path)
    #expect(
      errorText { _ = try CatalogSet.loadAccelerators(files: files) }
        == "accelerators.csv:2:28: column 'bf16_tflops' must be a finite number, found '989.4T' "
        + "(catalog numbers are plain numbers in the column's unit; drop the suffix or sign).")
  }

  @Test("an unclosed quote is reported where it opened")
  func unclosedQuote() throws {
    let text = "a,b\n1,\"open\n2,3\n4,5\n"
    #expect(
      errorText { _ = try CSVTable(text: text, file: "x.csv") }
        == "x.csv:2:3: the quoted field opened here is never closed; close it with a quote.")
  }

  @Test("an override replaces only the file it provides")
  func overrideOneFile() throws {
    let text = """
      quantity,variant,value,unit,default,tag,source,notes
      pue,mine,1.35,ratio,yes,R,facilities team,

      """
    let files = try CatalogFiles(overrideDirectory: userCatalog(["energy.csv": text]).path)
    let c = try CatalogSet.load(files: files)
    #expect(c.energy.count == 1)
    #expect(try c.energyDefault("pue").value == 1.35)
    #expect(files.isOverridden("energy.csv"))
    #expect(!files.isOverridden("accelerators.csv"))
    // Everything else is the bundled catalog.
    #expect(c.acceleratorRecords.count == 17)
    #expect(c.modelRecords.count == 27)
    #expect(try c.accelerator("h100").peakTFLOPS[.bf16] == 989.4)
  }

  @Test("an override accelerator becomes usable by id and by price")
  func overrideAccelerators() throws {
    var text = try bundledText("accelerators.csv")
    text += "x9,xnine,X Nine,Acme,2026,100,4,,,1000,,,,500,,R,,our datasheet,,\n"
    let files = try CatalogFiles(overrideDirectory: userCatalog(["accelerators.csv": text]).path)
    let c = try CatalogSet.load(files: files)
    #expect(try c.accelerator("XNINE").peakFLOPS(.bf16) == 1e15)
    #expect(try c.defaultPrice(for: "x9") == nil)
  }

  @Test("unknown ids throw unknownEntry listing the known ids")
  func unknownIDs() throws {
    let c = try CatalogSet.load()
    let known = c.acceleratorRecords.map(\.id)
    #expect(throws: CatalogError.unknownEntry(kind: "accelerator", name: "h1000", known: known)) {
      try c.accelerator("h1000")
    }
    let m = errorText { _ = try c.model("gpt5") }
    #expect(m?.hasPrefix("Unknown model 'gpt5'; try one of: gpt2, gpt3, gopher,") == true)
    #expect(throws: CatalogError.missingValue(
      kind: "model", name: "gemini-ultra", field: "parameter count")) {
      try c.model("gemini")
    }
    #expect(errorText { _ = try c.energyDefault("wind") }?.hasPrefix(
      "Unknown energy quantity 'wind'; try one of: pue,") == true)
  }

  @Test("lookups accept ids and aliases in any case, and loose punctuation")
  func aliases() throws {
    let c = try CatalogSet.load()
    #expect(try c.accelerator("A100").id == "a100-80gb")
    #expect(try c.accelerator("H100-SXM").id == "h100")
    #expect(try c.accelerator("tpuv4").id == "tpu-v4")
    #expect(try c.accelerator("tpu_v5e").id == "tpu-v5e")
    #expect(try c.model("GPT-3").id == "gpt3")
    #expect(try c.model("llama-3.1-405b").id == "llama3.1-405b")
    #expect(try c.model("Llama31-405B").id == "llama3.1-405b")
    #expect(try c.model("llama-65b").id == "llama-65b")
  }

  @Test("a build without embedded catalogs fails with one sentence")
  func bundleMissing() throws {
    let files = try CatalogFiles(overrideDirectory: nil, embedded: nil)
    let message = errorText { _ = try CatalogSet.load(files: files) }
    #expect(
      message == "This build has no embedded catalogs, so 'accelerators.csv' cannot be read; "
        + "pass --catalog DIR with a copy of the data/ files.")
    // A complete --catalog directory works without them.
    let dir = repositoryRoot().appendingPathComponent("data")
    let full = try CatalogFiles(overrideDirectory: dir.path, embedded: nil)
    #expect(try CatalogSet.load(files: full).acceleratorRecords.count == 17)
  }

  @Test("a missing --catalog directory is one sentence")
  func missingDirectory() {
    #expect(
      errorText { _ = try CatalogFiles(overrideDirectory: "/nonexistent/x") }
        == "Catalog directory '/nonexistent/x' does not exist; pass --catalog a folder holding "
        + ".csv files.")
  }

  @Test("every registered section with a loader validates the bundled catalogs")
  func sections() throws {
    let files = try CatalogFiles()
    for s in CatalogSection.all {
      guard let validate = s.validate else { continue }
      #expect(try validate(files) > 0, "\(s.name)")
      #expect(try !s.listing(files: files).rows.isEmpty, "\(s.name)")
    }
    #expect(errorText { _ = try CatalogSection.named("weather") }?.hasPrefix(
      "Unknown catalog 'weather'; try one of: hardware, models, prices, energy") == true)
  }
}
