// `scaleplan serve`: a Hummingbird 2 HTTP/1.1 server bound to loopback by default that hands
// every request to `WebAPI.respond` and writes back its answer. No asset is read from disk and
// no outside request is made: the page, its script and its style are strings in this module.

import Foundation
import Hummingbird
import Logging
import NIOCore
import UseCases

/// The web calculator's server.
public struct CalculatorServer: Sendable {
  /// Address to bind (default 127.0.0.1: the calculator is local).
  public var host: String
  /// Port to bind; 0 asks the system for a free one (the chosen port is reported by `onReady`).
  public var port: Int
  /// The routes.
  public var api: WebAPI

  /// The port `scaleplan serve` listens on unless told otherwise.
  public static let defaultPort = 8080
  /// The address it binds unless told otherwise (this machine only).
  public static let defaultHost = "127.0.0.1"

  /// Creates a server over `engine`.
  public init(engine: Engine, host: String = CalculatorServer.defaultHost, port: Int = CalculatorServer.defaultPort) {
    self.host = host
    self.port = port
    self.api = WebAPI(engine: engine)
  }

  /// Runs until SIGINT or SIGTERM. `onReady` gets the bound port once the server accepts
  /// connections.
  public func run(onReady: @escaping @Sendable (Int) -> Void) async throws {
    let api = self.api
    let router = Router()
    // Every method reaches `WebAPI.respond`, so a wrong one gets a 405 with a sentence too.
    for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch, .options] {
      router.on("**", method: method) { request, context in
        try await Self.handle(request, context, api)
      }
      router.on("/", method: method) { request, context in
        try await Self.handle(request, context, api)
      }
    }
    let app = Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "scaleplan"),
      onServerRunning: { channel in onReady(channel.localAddress?.port ?? 0) },
      logger: {
        var logger = Logger(label: "scaleplan.serve")
        logger.logLevel = .error
        return logger
      }())
    try await app.runService()
  }

  @Sendable static func handle(
    _ request: Request, _ context: BasicRequestContext, _ api: WebAPI
  ) async throws -> Response {
    var body = Data()
    if request.method == .post {
      do {
        let buffer = try await request.body.collect(upTo: WebAPI.maxBodyBytes)
        body = Data(buffer.readableBytesView)
      } catch {
        return response(.error(413, "The request body is over \(WebAPI.maxBodyBytes) bytes."))
      }
    }
    let answer = api.respond(
      method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
      body: body)
    return response(answer, head: request.method == .head)
  }

  static func response(_ answer: WebResponse, head: Bool = false) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = answer.contentType
    headers[.cacheControl] = "no-store"
    // Everything the page needs is served from here; nothing may load from elsewhere.
    headers[.contentSecurityPolicy] =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'"
    let buffer = ByteBuffer(bytes: head ? Data() : answer.body)
    return Response(
      status: HTTPResponse.Status(code: answer.status), headers: headers,
      body: ResponseBody(byteBuffer: buffer))
  }
}
