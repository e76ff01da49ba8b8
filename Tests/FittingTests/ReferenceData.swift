// Loaders for the published data sets in shared/reference (never copied into the project).

import Fitting
import Foundation
import TestSupport

/// Minimal CSV split for the reference files (no quoted commas in the columns used).
func referenceRows(_ name: String) -> (header: [String], rows: [[String]])? {
  guard let dir = sharedReferenceDirectory(),
    let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
  else { return nil }
  var lines = text.split(whereSeparator: \.isNewline).map(String.init)  // "\r\n" is one Character
  guard !lines.isEmpty else { return nil }
  let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
    .map(String.init)
  return (
    header,
    lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
  )
}

/// Epoch AI's 245 digitised Chinchilla points with D = C/(6N) and the 5 highest losses dropped
/// (`losses < sorted(losses)[-5]`, Besiroglu et al. 2024; shared/reference/README.md) → 240.
func epochChinchillaObservations() -> [Observation]? {
  guard let (header, rows) = referenceRows("epoch_chinchilla_svg_extracted_data.csv"),
    let iN = header.firstIndex(of: "Model Size"), let iC = header.firstIndex(of: "Training FLOP"),
    let iL = header.firstIndex(of: "loss")
  else { return nil }
  var all: [Observation] = []
  for r in rows {
    guard let n = Double(r[iN]), let c = Double(r[iC]), let l = Double(r[iL]) else { continue }
    all.append(Observation(params: n, tokens: c / (6 * n), loss: l))
  }
  let cut = all.map(\.loss).sorted()[all.count - 5]
  return all.filter { $0.loss < cut }
}

/// Sardana et al. 2024's 47 MPT runs: `Parameters`, `Tokens`, `Smoothed Loss`.
func sardanaObservations() -> [Observation]? {
  guard let (header, rows) = referenceRows("sardana_beyond_chinchilla_trainingresults.csv"),
    let iN = header.firstIndex(of: "Parameters"), let iD = header.firstIndex(of: "Tokens"),
    let iL = header.firstIndex(of: "Smoothed Loss")
  else { return nil }
  return rows.compactMap { r in
    guard let n = Double(r[iN]), let d = Double(r[iD]), let l = Double(r[iL]) else { return nil }
    return Observation(params: n, tokens: d, loss: l)
  }
}
