// The seed-claims notebook: every number comes from a scaleplan command, and these tests run the
// same commands (through the built binary) and check the verdicts against independent arithmetic.

import Catalog
import Foundation
import Testing
import TestSupport
import UseCases

@testable import Notebooks

/// Runs the built binary with --json, failing on a non-zero exit.
private let binaryRunner: CommandRunner = { args in
  let r = try runBuiltScaleplan(args + ["--json"])
  guard r.status == 0 else { throw CocoaError(.executableLoad) }
  return r.stdout
}

@Suite(
  "Seed claims",
  .enabled(if: builtScaleplanBinary() != nil, "scaleplan binary not found beside the test bundle"))
struct SeedClaimsTests {
  @Test("every judged check reproduces the published figure")
  func verdicts() throws {
    let checks = try SeedClaims.load(try CatalogFiles())
    #expect(Set(checks.map(\.claim)) == Set(1...10), "all ten claims have checks")
    let outcomes = try SeedClaims.evaluate(checks, engine: Engine())
    for o in outcomes where o.passed != nil {
      #expect(o.passed == true, "\(o.check.id): observed \(o.observed), \(o.difference)")
    }
  }

  @Test("GPT-3's cost matches Lambda's arithmetic done here independently")
  func gpt3Arithmetic() throws {
    // 6·N·D FLOPs at 28 TFLOP/s sustained (125 TFLOP/s × 0.224) and $1.50 per GPU-hour.
    let flops = 6 * 175e9 * 300e9
    let hours = flops / (125e12 * 0.224) / 3600
    let dollars = hours * 1.5
    let r = try runBuiltScaleplan([
      "cost", "train", "--params", "175B", "--tokens", "300B", "--gpu", "v100", "--mfu", "0.224",
      "--price", "1.5", "--json",
    ])
    let json = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
    let cost = try #require((json["cost_usd"] as? NSNumber)?.doubleValue)
    #expect(isClose(cost, dollars, rel: 1e-9), "\(closeness(cost, dollars))")
    #expect(isClose(cost, 4.6e6, rel: 0.05), "within 5% of Lambda's $4.6M")
    #expect(isClose(hours / 8766, 355, rel: 0.02), "about 355 GPU-years")
  }

  @Test("claim rules judge numbers as documented")
  func rules() {
    func check(_ rule: ClaimRule, expected: Double?, upper: Double? = nil, tol: Double? = nil)
      -> ClaimCheck
    {
      ClaimCheck(
        claim: 1, id: "x", title: "", statement: "", published: "", expected: expected,
        upper: upper, unit: "USD", command: [], useCase: "", request: "", key: "", rule: rule,
        tolerance: tol, of: nil,
        source: "", tag: "")
    }
    #expect(SeedClaims.judge(check(.approx, expected: 100, tol: 0.05), 104.9).passed == true)
    #expect(SeedClaims.judge(check(.approx, expected: 100, tol: 0.05), 105.1).passed == false)
    #expect(SeedClaims.judge(check(.above, expected: 1), 1.0).passed == false)
    #expect(SeedClaims.judge(check(.below, expected: 1), 0.99).passed == true)
    #expect(SeedClaims.judge(check(.between, expected: 1, upper: 2), 2.5).passed == false)
    #expect(SeedClaims.judge(check(.within, expected: 2028, tol: 1), 2029.5).passed == false)
    #expect(SeedClaims.judge(check(.info, expected: 1), 3).passed == nil)
    #expect(SeedClaims.splitCommand("project --cross '$1B' --x \"a b\"") == ["project", "--cross", "$1B", "--x", "a b"])
  }

  @Test("regenerating the notebook gives byte-identical files")
  func byteIdentical() throws {
    let context = NotebookContext(files: try CatalogFiles())
    let a = try NotebookBuilder.build(.seedClaims, context: context)
    let b = try NotebookBuilder.build(.seedClaims, context: context)
    #expect(a.markdown() == b.markdown())
    #expect(a.html() == b.html())
    #expect(a.markdown().contains("**Verdict: reproduced.**"))
  }
}
