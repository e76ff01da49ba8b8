// data/quantization.csv and data/inference.csv load through CSVTable and hold the GPTQ figures.

import Catalog
import Foundation
import Planner
import Testing

@Suite("Inference catalogs")
struct InferenceCatalogTests {
  @Test("quantization.csv holds GPTQ's 175B-class WikiText2 perplexities")
  func gptqRows() throws {
    let rows = try InferenceCatalog.quantization(files: CatalogFiles())
    let opt3 = rows.first {
      $0.model == "opt-175b" && $0.method == "gptq" && $0.bits == 3 && $0.dataset == "WikiText2"
    }
    #expect(opt3?.value == 8.68)
    let bloomBase = rows.first {
      $0.model == "bloom-176b" && $0.bits == 16 && $0.dataset == "WikiText2"
    }
    #expect(bloomBase?.value == 8.11)
    // A 175B query at 3 bits matches both 175B-class models by parameter count (within 2 %).
    let q = rows.quality(modelID: nil, params: 175e9, bits: 3)
    #expect(Set(q.map(\.model)) == ["opt-175b", "bloom-176b"])
    #expect(rows.quality(modelID: nil, params: 70e9, bits: 3).isEmpty)
  }

  @Test("inference.csv defaults map onto the serving assumptions")
  func defaults() throws {
    let rows = try InferenceCatalog.defaults(files: CatalogFiles())
    let a = InferenceCatalog.assumptions(from: rows)
    #expect(a.bandwidthEfficiency == 0.6)
    #expect(a.memoryOverheadFraction == 0)
    #expect(rows.allSatisfy { !$0.source.isEmpty })
  }

  @Test("A malformed quantization row is reported with file, line and column")
  func malformed() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("scaleplan-quant-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let text =
      "model,params,method,bits,metric,dataset,value,paper,table,date,tag,source\n"
      + "x,175e9,gptq,three,perplexity,W,8,p,t,d,R,s\n"
    try text.write(
      to: dir.appendingPathComponent("quantization.csv"), atomically: true, encoding: .utf8)
    do {
      _ = try InferenceCatalog.quantization(files: CatalogFiles(overrideDirectory: dir.path))
      Issue.record("expected an error")
    } catch let e as CatalogError {
      #expect(e.description.hasPrefix("quantization.csv:2:"))
    }
  }
}
