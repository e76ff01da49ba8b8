// `notebook`: regenerate notebooks-export/ (or chosen notebooks elsewhere). The request and result
// live here so every face shares the checks; the Notebooks module, which sits above this layer and
// builds the documents, answers it (`Engine.notebooks(_:)` in Notebooks).

import Foundation

/// Which notebooks to build and where to write them.
public struct NotebookRequest: Codable, Sendable, Equatable {
  /// One notebook's name (`seed-claims`, `cost-projection`, …), or nil with `all`.
  public var name: String?
  /// Build every notebook (`--all`).
  public var all: Bool?
  /// Output directory (`--out`).
  public var out: String?
  /// Run database for tiny-scaling (`--db`); nil runs a fresh sweep.
  public var db: String?
  /// Sweep preset for tiny-scaling (`--preset`): quick, standard or full.
  public var preset: String?
  /// Published reference data directory (`--reference`).
  public var reference: String?
  /// Benchmark results file to embed in the benchmarks notebook (`--benchmarks`).
  public var benchmarks: String?

  /// The output directory when none is given.
  public static let defaultOut = "notebooks-export"
  /// The tiny-scaling preset when none is given.
  public static let defaultPreset = "standard"
  /// The presets tiny-scaling accepts.
  public static let presets = ["quick", "standard", "full"]

  /// An empty request.
  public init() {}

  /// Checks the combination of name and `all`, the preset and the reference directory.
  /// - Throws: `RequestError.invalid` naming the flag.
  public func validate() throws {
    let every = all == true
    if every && name != nil {
      throw RequestError.invalid("Give a notebook name or --all, not both.")
    }
    if !every && name == nil { throw RequestError.invalid("Name a notebook or pass --all.") }
    if let p = preset, !Self.presets.contains(p) {
      throw RequestError.invalid("--preset must be quick, standard or full, got '\(p)'.")
    }
    if let r = reference {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: r, isDirectory: &isDir), isDir.boolValue else {
        throw RequestError.invalid("--reference '\(r)' is not a directory.")
      }
    }
  }
}

/// What was written.
public struct NotebookResult: Codable, Sendable, Equatable {
  /// One written notebook: its name, its Markdown file and how many figures it has.
  public struct Written: Codable, Sendable, Equatable {
    public var notebook: String
    public var markdown: String
    public var figures: Int

    /// Creates a row.
    public init(notebook: String, markdown: String, figures: Int) {
      self.notebook = notebook
      self.markdown = markdown
      self.figures = figures
    }
  }

  public var notebooks: [Written]

  /// Creates a result.
  public init(notebooks: [Written]) { self.notebooks = notebooks }
}
