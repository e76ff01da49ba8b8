// seed-claims: the 2023 article's ten claims, each reproduced by a scaleplan command shown in the
// notebook, with a verdict (reproduced / differs, by how much). Numbers come from the use-case
// layer in-process (`Engine.answer`, the JSON the commands' --json prints), so the notebook and the
// CLI cannot drift apart.

import Foundation
import Planner
import UseCases

extension NotebookBuilder {
  /// Per-claim notes: what the reproduction does and does not show.
  static let claimNotes: [Int: String] = [
    1: "Lambda's inputs (28 TFLOP/s sustained on a V100, $1.50/h) give the published figure; 6ND = 3.15e23 FLOP is 0.3% above the paper's 3.14e23. The $4.6M is one final run at on-demand rental prices; it leaves out failed runs, staff and data.",
    2: "Compute alone reaches $100M only at about $2 per A100-hour; at SemiAnalysis's $1/h it is about half. Altman's figure is a whole-programme cost (staff, experiments), so the claim holds but not from the final run's compute alone.",
    3: "Ten-fold growth at a 10-month doubling takes 10·log2(10) = 33.2 months, so a $100M run in 2023 becomes $1B late in 2025, i.e. by 2026. At Cottier et al.'s 2.4×/yr from $78M it takes 2.9 years.",
    4: "The 2024 estimate (Villalobos et al.) is reproduced from its inputs: a stock of ~300T tokens (90% CI 100T–1,000T) against compute-optimal datasets of the projected frontier. The 2022 paper's 'high-quality text before 2026' rests on a much smaller high-quality stock whose size was not confirmed here (Villalobos et al. 2022's figure reached us second-hand), so it is not recomputed.",
    5: "$6B is Morgan Stanley's own per-query figure times half of Google's 3.3T yearly searches. From first principles, a GPT-3-sized model in 16-bit on five A100s at $3/h answering one query at a time costs about 1.6 cents, inside their $0.0022–0.022 range; batching 32 queries per replica cuts that about 14-fold, so the bill depends on serving efficiency as much as on model size.",
    6: "Under every preset of Chinchilla's form (hoffmann2022, its unrounded TeX values, Epoch's refit, the Sardana refit) Chinchilla's (70B, 1.4T) predicted loss is below GPT-3's (175B, 300B): see `scaleplan loss --params 70B --tokens 1.4T --vs 175B:300B --all-laws`. Kaplan et al.'s L(N, D), fit on models trained short of convergence with a fixed schedule, ranks them the other way (1.740 against 1.732) — the disagreement the Chinchilla paper was about. Chinchilla also used about 1.8× GPT-3's compute.",
    7: "350 GB of 16-bit weights need five 80 GB cards; at 3 bits 65.6 GB fit on one. At 4 bits (87.5 GB) a single 80 GB card is not enough, so the one-GPU claim rests on 3-bit weights. GPTQ's measured perplexities at 3 and 4 bits are in the inference-economics notebook.",
    8: "Full fine-tuning counts 12 bytes per parameter (16-bit weights and gradients, two 32-bit Adam moments), the accounting that gives the paper's '> 780 GB'; QLoRA keeps a 4-bit NF4 base and trains adapters.",
    9: "Decoding is memory-bound at batch 1, so cost per query scales with the weights read per token: the ratio of serving costs equals the ratio of sizes, about 700×.",
    10: "These two claims are speed-ups measured on GPUs; here they enter the cost model as inputs (MFU × 3, MFU × 2), so the check shows the model carries them through, not that they hold. MiniGPT's own kernel speed-ups are measured in the benchmarks notebook.",
  ]

  static func seedClaims(_ context: NotebookContext) throws -> NotebookDocument {
    let checks = try SeedClaims.load(context.files)
    let outcomes = try SeedClaims.evaluate(checks, engine: context.engine)
    var doc = NotebookDocument(
      name: NotebookName.seedClaims.rawValue,
      title: "The seed article's ten claims, reproduced",
      metadata: metadata(.seedClaims))
    doc.heading("Question")
    doc.paragraph(
      "In June 2023 *The Economist* argued that \"bigger is better\" is running out of road "
        + "(\"The bigger-is-better approach to AI is running out of road\", 21 June 2023). "
        + "Which of its numbers follow from first principles? Each check below runs the "
        + "scaleplan command shown (with `--json`) and compares one output with the published "
        + "figure; the checks are in `data/claims.csv`.")
    // Summary.
    let claims = Dictionary(grouping: outcomes, by: { $0.check.claim })
    var summary: [[String]] = []
    for n in claims.keys.sorted() {
      guard let group = claims[n], let first = group.first else { continue }
      summary.append(["\(n)", first.check.title, verdict(group)])
    }
    doc.heading("Verdicts")
    doc.table(["claim", "what the article says", "verdict"], summary)
    // Figure: observed / published for judged numeric checks.
    let judged = outcomes.filter { $0.passed != nil && $0.check.expected != nil && $0.check.rule == .approx }
    let bars = BarChart(
      title: "Reproduced ÷ published", yLabel: "ratio",
      categories: judged.map(\.check.id),
      groups: [(name: "reproduced / published", values: judged.map { $0.observed / ($0.check.expected ?? 1) })])
    doc.figure(
      "seed-claims-ratios.svg", svg: bars.svg(),
      caption: "Ratio of reproduced to published figure for every check judged by relative error (1 = exact).")
    for n in claims.keys.sorted() {
      guard let group = claims[n], let first = group.first else { continue }
      doc.heading("Claim \(n): \(first.check.title)")
      var rows: [[String]] = []
      for o in group {
        rows.append([
          o.check.id, o.check.statement, "`\(o.check.commandLine)`", o.check.published,
          SeedClaims.show(o.observed, unit: o.check.unit), o.difference,
          o.passed.map { $0 ? "reproduced" : "differs" } ?? "shown",
        ])
      }
      doc.table(["check", "statement", "command", "published", "scaleplan", "difference", "verdict"], rows)
      doc.paragraph("Sources: " + Array(Set(group.map(\.check.source))).sorted().joined(separator: "; ") + ".")
      if let note = claimNotes[n] { doc.paragraph("Where we differ, and why: " + note) }
      doc.paragraph("**Verdict: \(verdict(group)).**")
    }
    return doc
  }

  /// "reproduced" when every judged check passes, else "differs".
  static func verdict(_ group: [ClaimOutcome]) -> String {
    let judged = group.compactMap(\.passed)
    if judged.isEmpty { return "shown" }
    if judged.allSatisfy({ $0 }) {
      return group.first?.check.claim == 10 ? "modelled (speed-ups are inputs)" : "reproduced"
    }
    return "differs"
  }
}
