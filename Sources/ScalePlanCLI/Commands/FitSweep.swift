// `scaleplan fit --sweep ID|latest`: the lines a sweep fit adds to the table (the sweep, its
// corpus and entropy above; Approach 2's profile method, refused budgets and E − H below). The
// fit itself is `Engine.fit` (Lab's `SweepEvidence` through the use-case layer).

import Planner
import UseCases

extension FitCommand {
  /// The lines printed above a sweep fit.
  static func sweepHeader(_ s: FitResult.SweepInfo) -> String {
    var out = "Sweep \(s.id) '\(s.name)': \(s.runsFitted) finished runs fitted"
    if s.excluded.isEmpty {
      out += ", none excluded"
    } else {
      let parts = s.excluded.keys.sorted().map { "\(s.excluded[$0] ?? 0) \($0)" }
      out += ", \(s.excludedTotal) excluded (" + parts.joined(separator: ", ") + ")"
    }
    out += "\n"
    if let c = s.corpus { out += "corpus: \(c)\n" }
    if let h = s.corpusEntropy {
      out += "exact entropy H = \(Format.significant(h, digits: 5)) nats/byte"
      if let v = s.validationSampleEntropy {
        out += " (validation sample \(Format.significant(v, digits: 5)))"
      }
      out += "\n"
    }
    return out + "\n"
  }

  /// The notes printed after the approaches of a sweep fit.
  static func sweepNotes(_ s: FitResult.SweepInfo) -> String {
    var out = ""
    if s.approach2Profiles == "interpolated" {
      out +=
        "  (Approach 2 on a grid: isoFLOP profiles interpolated along D per size, "
        + "extended at most \(Format.number(s.interpolationReach))× beyond a size's runs)\n"
    }
    for r in s.approach2Refused ?? [] {
      out += "  Approach 2 budget \(Format.scientific(r.compute, digits: 3)) refused: \(r.reason)\n"
    }
    if let d = s.fittedEMinusEntropy, let percent = s.fittedEMinusEntropyPercent {
      out +=
        "Fitted E − H = \(Format.significant(d, digits: 3)) nats/byte "
        + "(\(Format.significant(percent, digits: 3)) % of H)\n"
    }
    if s.fixedESource == "corpus_entropy" {
      out += "E fixed at the corpus's exact entropy H.\n"
    }
    return out
  }
}
