// Option groups shared by every command.

import ArgumentParser
import Catalog

/// `--json` and `--explain`.
public struct OutputOptions: ParsableArguments {
  @Flag(name: .long, help: "Print machine-readable JSON instead of a table.")
  public var json = false

  @Flag(name: .long, help: "Print every formula with its inputs and their sources.")
  public var explain = false

  public init() {}
}

/// `--json` alone, for commands that show stored or looked-up values (each with its source
/// column) or write files, and so have no formula for `--explain` to print.
public struct JSONOptions: ParsableArguments {
  @Flag(name: .long, help: "Print machine-readable JSON instead of a table.")
  public var json = false

  public init() {}
}

/// `--catalog DIR`: a user's catalog files override the bundled ones, file by file.
public struct CatalogOptions: ParsableArguments {
  @Option(name: .long, help: "A directory of catalog files that override the bundled data/.")
  public var catalog: String?

  public init() {}

  /// The resolver for catalog files.
  public func files() throws -> CatalogFiles { try CatalogFiles(overrideDirectory: catalog) }
}
