// chinchilla-presets: deterministic, and the refit of Epoch's points (data/reference/) lands on
// the published grid optimum (data/reference/README.md).

import Catalog
import Foundation
import Testing
import TestSupport

@testable import Notebooks

@Suite("chinchilla-presets notebook")
struct ChinchillaPresetsNotebookTests {
  @Test("builds byte-identically when the reference directory lacks the data")
  func withoutReference() throws {
    let context = NotebookContext(
      files: try CatalogFiles(), referenceDirectory: absentReferenceDirectory)
    let a = try NotebookBuilder.build(.chinchillaPresets, context: context)
    let b = try NotebookBuilder.build(.chinchillaPresets, context: context)
    #expect(a.markdown() == b.markdown())
    #expect(a.markdown().contains("refit is skipped"))
    // Table 3's 1B row is the approach-1 anchor, so it must come out exactly.
    #expect(a.markdown().contains("| 1.21e20 | 1B | 1B | +0.0% |"))
  }

  @Test(
    "the Epoch refit reproduces the published grid optimum")
  func epochRefit() throws {
    let context = NotebookContext(
      files: try CatalogFiles(), referenceDirectory: referenceDirectory())
    let doc = try NotebookBuilder.build(.chinchillaPresets, context: context)
    let md = doc.markdown()
    // data/reference/README.md: plain Huber grid search gives E = 1.8172, α = 0.34731,
    // β = 0.36718, objective 1.01827e-3.
    #expect(md.contains("| E | 1.8172 ["))
    #expect(md.contains("| α | 0.3473 ["))
    #expect(md.contains("| β | 0.3672 ["))
    #expect(md.contains("Huber objective 1.01827e-3"))
    #expect(md == (try NotebookBuilder.build(.chinchillaPresets, context: context)).markdown())
  }
}
