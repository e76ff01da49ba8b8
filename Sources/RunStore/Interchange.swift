// Runs as flat rows of named fields, for CSV and JSON-lines export and import. The field names
// (snake_case) are the export format; an export read back with `RunInterchange.record(from:)`
// gives the same records (ids and sweep links aside: an import creates new runs outside any
// sweep). Numbers are written in Swift's shortest round-trip form, so nothing is lost.
// Reading files (CSV parsing, column mappings, line numbers) is the caller's job (Lab).

import Foundation

/// A typed field value as written to CSV or JSON.
public enum FieldValue: Sendable, Equatable, Codable {
  case int(Int64)
  case double(Double)
  case text(String)
  case bool(Bool)
  case null

  /// The CSV cell text (empty for null); numbers in shortest round-trip form. A non-finite
  /// number (a diverged run's loss) is written empty, as null, never as `nan` or `inf`.
  public var cellText: String {
    switch self {
    case .int(let v): return String(v)
    case .double(let v): return v.isFinite ? "\(v)" : ""
    case .text(let s): return s
    case .bool(let b): return b ? "true" : "false"
    case .null: return ""
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let i = try? c.decode(Int64.self) {
      self = .int(i)
    } else if let d = try? c.decode(Double.self) {
      self = .double(d)
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else {
      self = .text(try c.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .int(let v): try c.encode(v)
    case .double(let v): if v.isFinite { try c.encode(v) } else { try c.encodeNil() }
    case .text(let s): try c.encode(s)
    case .bool(let b): try c.encode(b)
    case .null: try c.encodeNil()
    }
  }
}

/// A field of a run that cannot be read from import text; the caller adds file and line.
public enum InterchangeError: Error, CustomStringConvertible, Equatable {
  /// A required field has no column (or no mapping).
  case missingColumn(field: String)
  /// A required field's cell is empty.
  case emptyValue(field: String)
  /// A cell that must be a number is not one.
  case notNumeric(field: String, text: String)
  /// A cell that must be positive is zero or negative.
  case notPositive(field: String, text: String)
  /// A cell holds a value outside its allowed set.
  case invalidValue(field: String, text: String, expected: String)

  public var description: String {
    switch self {
    case .missingColumn(let f):
      return "there is no column for '\(f)'; add one or map it with --columns \(f)=COLUMN."
    case .emptyValue(let f):
      return "'\(f)' is empty; every run needs a value there."
    case .notNumeric(let f, let t):
      return "'\(f)' must be a number, found '\(t)'."
    case .notPositive(let f, let t):
      return "'\(f)' must be greater than zero, found '\(t)'."
    case .invalidValue(let f, let t, let expected):
      return "'\(f)' must be \(expected), found '\(t)'."
    }
  }
}

/// Conversion between `RunRecord` + loss curve and flat named fields.
public enum RunInterchange {
  /// Export columns in order. `id` and `sweep_id` are informative: import ignores them.
  public static let fieldNames: [String] = [
    "id", "sweep_id", "sweep_slot", "created_at", "status",
    "layers", "d_model", "heads", "context", "vocab",
    "batch", "tokens_requested", "learning_rate", "weight_decay", "beta1", "beta2", "grad_clip",
    "warmup_steps", "min_lr_fraction", "eval_every", "eval_windows", "seed", "threads",
    "corpus_kind", "corpus_path", "lexicon_size", "zipf_exponent", "corpus_seed",
    "non_embedding_params", "total_params", "tokens_trained", "flops",
    "final_train_loss", "final_validation_loss", "corpus_entropy", "validation_sample_entropy",
    "wall_seconds", "tokens_per_second", "software_version", "diverged_at_step", "source", "notes",
  ]

  /// Short names accepted in column mappings, and the field each stands for.
  public static let aliases: [String: String] = [
    "params": "non_embedding_params", "n": "non_embedding_params",
    "tokens": "tokens_trained", "d": "tokens_trained",
    "loss": "final_validation_loss", "train_loss": "final_train_loss",
    "compute": "flops", "c": "flops",
  ]

  /// The canonical field name for a name or alias, or nil if unknown.
  public static func canonicalField(_ name: String) -> String? {
    let lower = name.lowercased()
    if fieldNames.contains(lower) { return lower }
    return aliases[lower]
  }

  /// The fields of a run in export order.
  public static func fields(of r: RunRecord) -> [(name: String, value: FieldValue)] {
    func i(_ v: Int?) -> FieldValue { v.map { .int(Int64($0)) } ?? .null }
    func i64(_ v: Int64?) -> FieldValue { v.map { .int($0) } ?? .null }
    func d(_ v: Double?) -> FieldValue { v.map { .double($0) } ?? .null }
    func s(_ v: String?) -> FieldValue { v.map { .text($0) } ?? .null }
    let m = r.model
    let t = r.training
    var kind: String? = nil
    var path: String? = nil
    var lexicon: Int? = nil
    var zipf: Double? = nil
    var corpusSeed: UInt64? = nil
    switch r.corpus {
    case .synthetic(let k, let z, let seed):
      (kind, lexicon, zipf, corpusSeed) = ("synthetic", k, z, seed)
    case .file(let p):
      (kind, path) = ("file", p)
    case nil:
      break
    }
    let values: [FieldValue] = [
      i64(r.id), i64(r.sweepId), i(r.sweepSlot), .text(Timestamp.text(r.createdAt)),
      .text(r.status.rawValue),
      i(m?.layers), i(m?.dModel), i(m?.heads), i(m?.context), i(m?.vocab),
      i(t?.batch), i(t?.tokens), d(t?.learningRate), d(t?.weightDecay), d(t?.beta1),
      d(t?.beta2), d(t?.gradClip), i(t?.warmupSteps), d(t?.minLRFraction), i(t?.evalEvery),
      i(t?.evalWindows), t.map { seedValue($0.seed) } ?? .null, i(t?.threads),
      s(kind), s(path), i(lexicon), d(zipf), corpusSeed.map(seedValue) ?? .null,
      d(r.nonEmbeddingParams), d(r.totalParams), d(r.tokensTrained), d(r.flops),
      d(r.finalTrainLoss), d(r.finalValidationLoss), d(r.corpusEntropy),
      d(r.validationSampleEntropy), d(r.wallSeconds), d(r.tokensPerSecond),
      s(r.softwareVersion), i(r.divergedAtStep), s(r.source), s(r.notes),
    ]
    return Array(zip(fieldNames, values)).map { (name: $0.0, value: $0.1) }
  }

  /// Seeds above Int64.max are written as text so JSON readers do not round them.
  private static func seedValue(_ seed: UInt64) -> FieldValue {
    seed <= UInt64(Int64.max) ? .int(Int64(seed)) : .text(String(seed))
  }

  /// A CSV document of runs: a header of `fieldNames` and one row per run (RFC 4180 quoting).
  public static func csv(_ runs: [RunRecord]) -> String {
    var out = fieldNames.joined(separator: ",") + "\n"
    for r in runs {
      out += fields(of: r).map { quoteCSV($0.value.cellText) }.joined(separator: ",") + "\n"
    }
    return out
  }

  /// JSON lines: one object per run with every field and, under `curve`, its loss points.
  /// - Throws: `RunStoreError.database` only if encoding fails (it does not for finite data).
  public static func jsonLines(_ runs: [(run: RunRecord, curve: [StoredLossPoint])]) throws
    -> String
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var out = ""
    for (run, curve) in runs {
      let line = RunLine(fields: fields(of: run), curve: curve)
      do {
        out += String(decoding: try encoder.encode(line), as: UTF8.self) + "\n"
      } catch {
        throw RunStoreError.database("cannot encode run \(run.id ?? 0) as JSON: \(error)")
      }
    }
    return out
  }

  /// Builds a run from cells keyed by canonical field name (absent key = no such column).
  ///
  /// Required: `non_embedding_params` and `tokens_trained` (positive numbers) and, for a
  /// finished run (the default status), `final_validation_loss` or `final_train_loss`. When the
  /// file has no `flops` column, FLOPs are taken as C = 6·N·D (Kaplan et al. 2020, §2.1).
  /// - Parameters:
  ///   - createdAt: used when there is no `created_at` cell.
  ///   - source: used when there is no `source` cell.
  /// - Throws: `InterchangeError` naming the field (the caller adds file and line).
  public static func record(
    from cells: [String: String], createdAt: Date, source: String?
  ) throws -> RunRecord {
    let reader = CellReader(cells: cells)
    let n = try reader.requiredPositive("non_embedding_params")
    // Without a token column, D = C/(6N) from the FLOP column (as Besiroglu et al. 2024, §2, do
    // for the Chinchilla points, whose figure gives N and C).
    let d: Double
    if !reader.has("tokens_trained"), let c = try reader.positive("flops") {
      d = c / (6 * n)
      guard d > 0, d.isFinite else {
        throw InterchangeError.notPositive(field: "tokens_trained", text: "\(d) (= C/6N)")
      }
    } else {
      d = try reader.requiredPositive("tokens_trained")
    }
    var status = RunState.finished
    if let text = reader.text("status") {
      guard let s = RunState(rawValue: text.lowercased()) else {
        throw InterchangeError.invalidValue(
          field: "status", text: text, expected: "running, finished, diverged or interrupted")
      }
      status = s
    }
    let trainLoss = try reader.positive("final_train_loss")
    let validationLoss = try reader.positive("final_validation_loss")
    if status == .finished && trainLoss == nil && validationLoss == nil {
      if !reader.has("final_validation_loss") && !reader.has("final_train_loss") {
        throw InterchangeError.missingColumn(field: "loss")
      }
      throw InterchangeError.emptyValue(field: "loss")
    }
    var created = createdAt
    if let text = reader.text("created_at") {
      guard let date = Timestamp.parse(text) else {
        throw InterchangeError.invalidValue(
          field: "created_at", text: text,
          expected: "an ISO 8601 UTC time like 2026-11-29T04:53:31Z")
      }
      created = date
    }
    var model: ModelShape? = nil
    if let layers = try reader.int("layers"), let dModel = try reader.int("d_model"),
      let heads = try reader.int("heads"), let context = try reader.int("context")
    {
      model = ModelShape(
        layers: layers, dModel: dModel, heads: heads, context: context,
        vocab: try reader.int("vocab") ?? 256)
    }
    var training: TrainingSettings? = nil
    if let batch = try reader.int("batch"), let tokens = try reader.int("tokens_requested"),
      let lr = try reader.positive("learning_rate")
    {
      training = TrainingSettings(
        batch: batch, tokens: tokens, learningRate: lr,
        weightDecay: try reader.double("weight_decay") ?? 0.1,
        beta1: try reader.double("beta1") ?? 0.9, beta2: try reader.double("beta2") ?? 0.95,
        gradClip: try reader.double("grad_clip") ?? 1.0,
        warmupSteps: try reader.int("warmup_steps"),
        minLRFraction: try reader.double("min_lr_fraction") ?? 0.1,
        evalEvery: try reader.int("eval_every") ?? 100,
        evalWindows: try reader.int("eval_windows") ?? 256,
        seed: try reader.uint64("seed") ?? 1, threads: try reader.int("threads") ?? 1)
    }
    var corpus: CorpusDescription? = nil
    switch reader.text("corpus_kind") {
    case "synthetic":
      if let k = try reader.int("lexicon_size"), let s = try reader.double("zipf_exponent") {
        corpus = .synthetic(
          lexiconSize: k, zipfExponent: s, seed: try reader.uint64("corpus_seed") ?? 0)
      }
    case "file":
      if let p = reader.text("corpus_path") { corpus = .file(path: p) }
    case nil:
      break
    case let other?:
      throw InterchangeError.invalidValue(
        field: "corpus_kind", text: other, expected: "synthetic or file")
    }
    let flops: Double? = reader.has("flops") ? try reader.positive("flops") : 6 * n * d
    return RunRecord(
      sweepSlot: nil, createdAt: created, status: status, model: model, training: training,
      corpus: corpus, nonEmbeddingParams: n, totalParams: try reader.positive("total_params"),
      tokensTrained: d, flops: flops, finalTrainLoss: trainLoss,
      finalValidationLoss: validationLoss, corpusEntropy: try reader.double("corpus_entropy"),
      validationSampleEntropy: try reader.double("validation_sample_entropy"),
      wallSeconds: try reader.double("wall_seconds"),
      tokensPerSecond: try reader.double("tokens_per_second"),
      softwareVersion: reader.text("software_version"),
      divergedAtStep: try reader.int("diverged_at_step"),
      source: reader.has("source") ? reader.text("source") : source,
      notes: reader.text("notes"))
  }

  static func quoteCSV(_ s: String) -> String {
    guard
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        || s.hasPrefix(" ") || s.hasSuffix(" ") || s.hasPrefix("#")
    else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}

/// One JSON line: the run's fields flattened at top level plus `curve`.
struct RunLine: Encodable {
  var fields: [(name: String, value: FieldValue)]
  var curve: [StoredLossPoint]

  struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ s: String) { stringValue = s }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: Key.self)
    for f in fields { try c.encode(f.value, forKey: Key(f.name)) }
    var points = c.nestedUnkeyedContainer(forKey: Key("curve"))
    for p in curve {
      var o = points.nestedContainer(keyedBy: Key.self)
      try o.encode(p.step, forKey: Key("step"))
      try o.encode(p.tokens, forKey: Key("tokens"))
      try o.encode(p.trainLoss, forKey: Key("train_loss"))
      try o.encode(p.validationLoss.map(FieldValue.double) ?? .null, forKey: Key("validation_loss"))
      try o.encode(p.learningRate, forKey: Key("learning_rate"))
      try o.encode(p.elapsedSeconds, forKey: Key("elapsed_seconds"))
    }
  }
}

/// Typed access to text cells with errors naming the field.
struct CellReader {
  var cells: [String: String]

  func has(_ field: String) -> Bool { cells[field] != nil }

  /// Trimmed text, nil when absent or empty.
  func text(_ field: String) -> String? {
    guard let raw = cells[field] else { return nil }
    let t = raw.trimmingCharacters(in: .whitespaces)
    return t.isEmpty ? nil : t
  }

  func double(_ field: String) throws -> Double? {
    guard let t = text(field) else { return nil }
    guard let v = Double(t), v.isFinite else {
      throw InterchangeError.notNumeric(field: field, text: t)
    }
    return v
  }

  func positive(_ field: String) throws -> Double? {
    guard let v = try double(field) else { return nil }
    guard v > 0 else { throw InterchangeError.notPositive(field: field, text: text(field) ?? "") }
    return v
  }

  func requiredPositive(_ field: String) throws -> Double {
    guard has(field) else { throw InterchangeError.missingColumn(field: field) }
    guard let v = try positive(field) else { throw InterchangeError.emptyValue(field: field) }
    return v
  }

  func int(_ field: String) throws -> Int? {
    guard let t = text(field) else { return nil }
    guard let v = Int(t) else { throw InterchangeError.notNumeric(field: field, text: t) }
    return v
  }

  func uint64(_ field: String) throws -> UInt64? {
    guard let t = text(field) else { return nil }
    guard let v = UInt64(t) else { throw InterchangeError.notNumeric(field: field, text: t) }
    return v
  }
}

extension RunInterchange {
  /// Parses one JSON line of `jsonLines` (or any flat JSON object of fields): the cells as text
  /// keyed as written, and the loss curve when the line has a `curve` array.
  /// - Throws: `InterchangeError.invalidValue` naming what is wrong with the line.
  public static func parseJSONLine(_ line: String) throws -> (
    cells: [String: String], curve: [StoredLossPoint]?
  ) {
    do {
      let parsed = try JSONDecoder().decode(ParsedLine.self, from: Data(line.utf8))
      return (parsed.cells, parsed.curve)
    } catch let error as InterchangeError {
      throw error
    } catch {
      throw InterchangeError.invalidValue(
        field: "line", text: String(line.prefix(40)),
        expected: "one JSON object of fields per line")
    }
  }
}

/// Decodes a JSON line into text cells and an optional curve.
struct ParsedLine: Decodable {
  var cells: [String: String] = [:]
  var curve: [StoredLossPoint]? = nil

  struct Point: Decodable {
    var step: Int
    var tokens: Int
    var train_loss: Double
    var validation_loss: Double?
    var learning_rate: Double
    var elapsed_seconds: Double
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: RunLine.Key.self)
    for key in c.allKeys {
      if key.stringValue == "curve" {
        let points = try c.decode([Point].self, forKey: key)
        curve = points.map {
          StoredLossPoint(
            step: $0.step, tokens: $0.tokens, trainLoss: $0.train_loss,
            validationLoss: $0.validation_loss, learningRate: $0.learning_rate,
            elapsedSeconds: $0.elapsed_seconds)
        }
      } else {
        cells[key.stringValue] = try c.decode(FieldValue.self, forKey: key).cellText
      }
    }
  }
}
