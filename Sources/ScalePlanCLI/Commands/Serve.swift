// `scaleplan serve`: the local web calculator (Sources/WebCalculator) on the same engine as every
// other command. Thin: flags → Engine → CalculatorServer.run.

import ArgumentParser
import Foundation
import UseCases
import WebCalculator

/// `scaleplan serve`.
public struct ServeCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "A local web calculator: plan, cost and projection pages over the same engine.",
    discussion: """
      Serves the pages and their JSON API (POST /api/v1/<use-case>, the same JSON as --json; \
      GET /api/v1 lists them) on 127.0.0.1 until Ctrl-C. Nothing is fetched from elsewhere: \
      every asset ships in the binary. Examples:
        scaleplan serve
        scaleplan serve --port 0          (any free port; the address is printed)
      """)

  @Option(help: "Port to listen on (0 = any free port).")
  public var port: Int = CalculatorServer.defaultPort
  @Option(help: "Address to bind; keep the default 127.0.0.1 unless you mean to share it.")
  public var host: String = CalculatorServer.defaultHost
  @Option(help: "Run database whose saved laws the pages offer (default: runs.sqlite if present).")
  public var db: String?
  @OptionGroup public var catalog: CatalogOptions

  public init() {}

  public func validate() throws {
    guard (0...65535).contains(port) else {
      throw ValidationError("--port must be between 0 and 65535, got \(port).")
    }
    guard !host.isEmpty, host.count <= 255 else {
      throw ValidationError("--host must be a host name or address of at most 255 characters.")
    }
  }

  public func run() async throws {
    if let db, !FileManager.default.fileExists(atPath: db) {
      throw RequestError.missingDatabase(db)
    }
    let engine = Engine(catalogDirectory: catalog.catalog, databasePath: db)
    // Fail before binding when the catalog or the saved laws do not load, with their own sentence.
    _ = try engine.catalog()
    _ = try engine.laws(named: nil)
    let host = self.host
    do {
      try await CalculatorServer(engine: engine, host: host, port: port).run { port in
        let line = "scaleplan serve: http://\(host):\(port)/  (Ctrl-C to stop)\n"
        FileHandle.standardOutput.write(Data(line.utf8))
      }
    } catch {
      // The socket layer's errors name their own types; say what failed and what to do.
      let text = String(describing: error)
      let why =
        text.contains("UnknownHost")
        ? "no such host or address; use an address such as 127.0.0.1"
        : text.contains("in use")
          ? "the port is in use; choose another or --port 0 for any free one"
          : "the system refused to listen there; try --host 127.0.0.1 --port 0"
      throw RequestError.invalid("Cannot serve on \(host) port \(port): \(why).")
    }
  }
}
