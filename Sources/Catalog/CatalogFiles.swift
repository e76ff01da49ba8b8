// Where catalog files come from: a user's directory (`--catalog DIR`) first, then the copy of
// data/ embedded in the binary (Sources/Catalog/EmbeddedCatalog.swift, written by
// .ci/embed-catalog). A user directory may hold only some files; the rest fall back. Nothing is
// read from a resource bundle or the source checkout, so a lone copied binary works anywhere.

import Foundation

/// Resolves catalog file names (e.g. `accelerators.csv`, `reference/x.csv`) to their contents.
public struct CatalogFiles: Sendable {
  /// The user's override directory, if any.
  public let overrideDirectory: URL?
  /// The embedded catalogs used as the fallback: file name relative to data/ → base64 of its
  /// bytes (nil only when a test wants to see what a build without them does).
  public let embedded: [String: String]?

  /// Creates a resolver. `overrideDirectory` must exist when given.
  /// - Parameter embedded: the fallback files; defaults to `embeddedFiles` (tests pass nil).
  /// - Throws: `CatalogError.missingDirectory` if the directory does not exist.
  public init(overrideDirectory: String? = nil, embedded: [String: String]? = CatalogFiles.embeddedFiles)
    throws
  {
    if let dir = overrideDirectory {
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw CatalogError.missingDirectory(dir)
      }
      self.overrideDirectory = URL(fileURLWithPath: dir, isDirectory: true)
    } else {
      self.overrideDirectory = nil
    }
    self.embedded = embedded
  }

  /// The catalogs compiled into this binary (name relative to data/ → base64).
  public static var embeddedFiles: [String: String] { EmbeddedCatalog.base64 }

  /// The names of the embedded files, sorted.
  public static var embeddedNames: [String] { EmbeddedCatalog.base64.keys.sorted() }

  /// The bytes of an embedded file, or nil when it is not embedded.
  public static func embeddedData(_ name: String) -> Data? {
    EmbeddedCatalog.base64[name].flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }
  }

  /// The override file's URL when the user's directory holds `name`, else nil.
  public func overrideURL(for name: String) -> URL? {
    guard let dir = overrideDirectory else { return nil }
    let u = dir.appendingPathComponent(name)
    return FileManager.default.fileExists(atPath: u.path) ? u : nil
  }

  /// The bytes of a catalog file: the override if it holds the file, else the embedded copy.
  /// - Throws: `CatalogError.unreadable` for an override that cannot be read;
  ///   `CatalogError.bundleMissing` when the override lacks the file and there are no embedded
  ///   catalogs; `CatalogError.missingFile` when neither has it.
  public func data(for name: String) throws -> Data {
    if let u = overrideURL(for: name) {
      guard let data = try? Data(contentsOf: u) else { throw CatalogError.unreadable(u.path) }
      return data
    }
    guard let embedded else { throw CatalogError.bundleMissing(name) }
    guard let b64 = embedded[name],
      let data = Data(base64Encoded: b64, options: .ignoreUnknownCharacters)
    else { throw CatalogError.missingFile(name) }
    return data
  }

  /// The UTF-8 text of a catalog file (override first, then embedded).
  /// - Throws: as `data(for:)`, and `CatalogError.unreadable` for text that is not UTF-8.
  public func text(for name: String) throws -> String {
    let data = try data(for: name)
    guard let text = String(data: data, encoding: .utf8) else {
      throw CatalogError.unreadable(overrideURL(for: name)?.path ?? name)
    }
    return text
  }

  /// Parses a catalog CSV file by name; errors name the file as `prices.csv:12:24: …`.
  public func table(_ name: String) throws -> CSVTable {
    if let u = overrideURL(for: name) { return try CSVTable(contentsOf: u) }
    return try CSVTable(text: text(for: name), file: (name as NSString).lastPathComponent)
  }

  /// Whether a file comes from the user's override directory rather than the embedded catalogs.
  public func isOverridden(_ name: String) -> Bool { overrideURL(for: name) != nil }
}
