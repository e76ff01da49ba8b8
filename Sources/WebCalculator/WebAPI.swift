// The web calculator's HTTP surface as a pure function: a method, a path, a query and a body in;
// a status, a content type and a body out. The Hummingbird server (Server.swift) only moves bytes
// to and from this function, so every route and every error is testable without a socket.
//
// Routes
//   GET  /, /plan, /cost, /projections, /api   the pages (one document; the script draws the page)
//   GET  /assets/app.js, /assets/app.css        the page's script and style, shipped in the binary
//   GET  /api/v1                                 the use cases and their request fields (JSON)
//   GET  /api/v1/options                         accelerators, laws and models for the page's menus
//   POST /api/v1/{use-case}[?explain=1]          a use case's request JSON → its result JSON
// Errors are JSON {"error": sentence} with a 4xx status: the same sentence the CLI prints.

import Catalog
import Foundation
import Planner
import UseCases

/// One HTTP answer.
public struct WebResponse: Sendable, Equatable {
  /// HTTP status code.
  public var status: Int
  /// The Content-Type header.
  public var contentType: String
  /// The body.
  public var body: Data

  /// A JSON error `{"error": sentence}` with `status`.
  static func error(_ status: Int, _ sentence: String) -> WebResponse {
    let object = ["error": sentence]
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return WebResponse(status: status, contentType: "application/json; charset=utf-8", body: data)
  }

  static func json(_ data: Data) -> WebResponse {
    WebResponse(status: 200, contentType: "application/json; charset=utf-8", body: data)
  }

  static func text(_ string: String, type: String) -> WebResponse {
    WebResponse(status: 200, contentType: type, body: Data(string.utf8))
  }
}

/// The web calculator's routes over one engine.
public struct WebAPI: Sendable {
  /// The engine every request is answered by (its catalog directory and run database).
  public var engine: Engine

  /// The largest request body read (the engine's own limit).
  public static let maxBodyBytes = Engine.maxRequestBytes
  /// The longest path or query string answered.
  public static let maxURLBytes = 8192

  /// Creates the routes over `engine`.
  public init(engine: Engine) {
    self.engine = engine
  }

  /// The page paths; each serves the same document.
  public static let pages = ["/", "/plan", "/cost", "/projections", "/api"]

  /// Answers one request. Never throws: every failure is a response with a 4xx (or, for a bug,
  /// 500) status and one sentence.
  /// - Parameters:
  ///   - method: "GET", "POST", …
  ///   - path: the URL path, without the query.
  ///   - query: the URL query, without "?".
  ///   - body: the request body (at most `maxBodyBytes`; the server stops reading beyond it).
  public func respond(method: String, path: String, query: String, body: Data) -> WebResponse {
    if path.utf8.count + query.utf8.count > Self.maxURLBytes {
      return .error(414, "The URL is longer than \(Self.maxURLBytes) bytes.")
    }
    if Self.pages.contains(path) {
      guard method == "GET" || method == "HEAD" else { return methodNotAllowed(method, path) }
      return .text(Page.document, type: "text/html; charset=utf-8")
    }
    switch path {
    case "/assets/app.js":
      guard method == "GET" || method == "HEAD" else { return methodNotAllowed(method, path) }
      return .text(Page.script, type: "text/javascript; charset=utf-8")
    case "/assets/app.css":
      guard method == "GET" || method == "HEAD" else { return methodNotAllowed(method, path) }
      return .text(Page.style, type: "text/css; charset=utf-8")
    case "/api/v1", "/api/v1/":
      guard method == "GET" else { return methodNotAllowed(method, path) }
      return .json(APIDescription.json)
    case "/api/v1/options":
      guard method == "GET" else { return methodNotAllowed(method, path) }
      return options()
    case "/api/v1/parse":
      guard method == "POST" else { return methodNotAllowed(method, path) }
      return parse(body)
    default:
      break
    }
    let prefix = "/api/v1/"
    guard path.hasPrefix(prefix) else {
      return .error(404, "No page at '\(clip(path))'; the pages are " + Self.pages.joined(separator: ", ") + ".")
    }
    let useCase = String(path.dropFirst(prefix.count))
    guard method == "POST" else { return methodNotAllowed(method, path) }
    guard body.count <= Self.maxBodyBytes else {
      return .error(413, "The request body is over \(Self.maxBodyBytes) bytes.")
    }
    let explain = Self.flag("explain", in: query)
    guard Engine.useCaseNames.contains(useCase) else {
      return .error(
        404,
        "No use case '\(clip(useCase))'; GET /api/v1 lists them: "
          + Engine.useCaseNames.joined(separator: ", ") + ".")
    }
    do {
      return .json(try engine.answer(useCase: useCase, request: body, explain: explain))
    } catch {
      return .error(400, ErrorSentence.line(for: error))
    }
  }

  private func methodNotAllowed(_ method: String, _ path: String) -> WebResponse {
    .error(405, "\(clip(method)) is not allowed on '\(clip(path))'.")
  }

  /// True when `query` holds `name=1`, `name=true` or a bare `name`.
  static func flag(_ name: String, in query: String) -> Bool {
    query.split(separator: "&").contains { part in
      let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.first == name else { return false }
      return kv.count == 1 || ["1", "true", "yes"].contains(kv[1].lowercased())
    }
  }

  /// Parses the text of a page's fields as the CLI parses its flags (`Quantity.parse`: `70B`,
  /// `$10M`, `1.4T`, `3e23`), so a page and a command line given the same text ask the same
  /// question. Body: `{"fields": [{"flag": "--budget", "text": "$10M", "kind": "number"}]}`, kind
  /// `number` or `count` (a whole number); answer `{"values": {"--budget": 10000000}}`, or 400
  /// with the first field's sentence.
  func parse(_ body: Data) -> WebResponse {
    struct Field: Decodable {
      var flag: String
      var text: String
      var kind: String?
    }
    struct Fields: Decodable { var fields: [Field] }
    guard let request = try? JSONDecoder().decode(Fields.self, from: body) else {
      return .error(400, "The parse request must be {\"fields\": [{\"flag\", \"text\"}]}.")
    }
    guard request.fields.count <= 64 else { return .error(400, "Parse at most 64 fields at once.") }
    var values: [String: Any] = [:]
    for field in request.fields {
      let flag = clip(field.flag)
      do {
        let value = try Quantity.parse(field.text, name: flag).value
        if field.kind == "count" {
          guard value == value.rounded(), abs(value) <= 9e15 else {
            return .error(400, "\(flag) must be a whole number, got '\(clip(field.text))'.")
          }
          values[field.flag] = Int(value)
        } else {
          values[field.flag] = value
        }
      } catch {
        return .error(400, ErrorSentence.line(for: error))
      }
    }
    guard let data = try? JSONSerialization.data(withJSONObject: ["values": values], options: [.sortedKeys])
    else { return .error(500, "The parsed values could not be encoded.") }
    return .json(data)
  }

  /// The menus of the pages: accelerator, law and model ids with their names.
  func options() -> WebResponse {
    do {
      let catalog = try engine.catalog()
      let laws = try engine.laws(named: nil)
      let object: [String: Any] = [
        "accelerators": catalog.accelerators.map { a in
          ["id": a.id, "name": a.name, "has_price": a.priceUSDPerHour != nil] as [String: Any]
        },
        "laws": laws.all.map { ["id": $0.id, "citation": $0.citation] },
        "models": catalog.models.map { ["id": $0.id, "name": $0.name] },
        "default_law": DefaultLaw.id,
      ]
      return .json(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    } catch {
      return .error(500, ErrorSentence.line(for: error))
    }
  }
}

/// A value cut to 80 characters (counted after escaping) with control characters escaped, for
/// echoing in an error.
func clip(_ s: String) -> String {
  var out = ""
  for scalar in s.unicodeScalars {
    let piece: String
    if scalar.value < 0x20 || scalar.value == 0x7F {
      piece = "\\u{\(String(scalar.value, radix: 16))}"
    } else {
      piece = String(scalar)
    }
    if out.count + piece.count > 80 { return out + "…" }
    out += piece
  }
  return out
}

/// One sentence for any error a use case throws, as the CLI prints it (without "Error: ").
public enum ErrorSentence {
  /// The sentence for `error`, on one line and at most 400 characters.
  public static func line(for error: Error) -> String {
    let text = String(describing: error)
    let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
    return oneLine.count > 400 ? String(oneLine.prefix(399)) + "…" : oneLine
  }
}
