// `scaleplan notebook`: regenerate notebooks-export/ (or one notebook elsewhere). Thin: flags →
// NotebookRequest → Engine.notebooks (Notebooks module) → one line per file written, or JSON.

import ArgumentParser
import Foundation
import Notebooks
import UseCases

/// `scaleplan notebook [NAME] [--all] [--out DIR]`.
public struct NotebookCommand: ParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "notebook",
    abstract: "Generate notebooks (Markdown + SVG + HTML) from the catalogs, library and runs.",
    discussion: "Notebooks: "
      + NotebookName.allCases.map(\.rawValue).joined(separator: ", ") + ".")

  @Argument(help: "The notebook to build (omit with --all).")
  public var name: String?

  @Flag(name: .long, help: "Build every notebook.")
  public var all = false

  @Option(name: .long, help: "Output directory (default \(NotebookRequest.defaultOut)).")
  public var out: String?

  @Option(name: .long, help: "Run database for tiny-scaling (default: a fresh sweep).")
  public var db: String?

  @Option(
    name: .long,
    help: "Sweep preset for tiny-scaling: quick, standard or full (default \(NotebookRequest.defaultPreset)).")
  public var preset: String?

  @Option(
    name: .long,
    help: "Directory of published reference data (default: the copy of data/reference built in).")
  public var reference: String?

  @Option(name: .long, help: "Benchmark results (Markdown) to embed in the benchmarks notebook.")
  public var benchmarks: String?

  @OptionGroup public var catalogOptions: CatalogOptions
  @OptionGroup public var output: JSONOptions

  public init() {}

  /// The request these flags describe.
  public var request: NotebookRequest {
    var r = NotebookRequest()
    r.name = name
    r.all = all ? true : nil
    r.out = out
    r.db = db
    r.preset = preset
    r.reference = reference
    r.benchmarks = benchmarks
    return r
  }

  public func validate() throws {
    try request.validate()
  }

  public func run() throws {
    let r = try Engine(catalogDirectory: catalogOptions.catalog).notebooks(request)
    if output.json {
      try JSONOutput.print(
        ["notebooks": r.notebooks.map { ["notebook": $0.notebook, "markdown": $0.markdown] }])
      return
    }
    for n in r.notebooks {
      print("wrote \(n.markdown) (+ .html, \(n.figures) figures)")
    }
  }
}

/// Runs this same binary as a child process with `--json` (and the same `--catalog`), returning
/// its standard output; a failing command becomes an error carrying its one-sentence message.
/// Used by `bench record`, whose benchmarks must each run in a fresh process.
func selfRunner(catalog: String?) -> CommandRunner {
  let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
  return { arguments in
    let process = Process()
    process.executableURL = executable
    var args = arguments + ["--json"]
    if let c = catalog { args += ["--catalog", c] }
    process.arguments = args
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = String(decoding: errData, as: UTF8.self)
        .split(separator: "\n").first.map(String.init) ?? "exit \(process.terminationStatus)"
      throw ValidationError("'scaleplan \(arguments.joined(separator: " "))' failed: \(message)")
    }
    return data
  }
}
