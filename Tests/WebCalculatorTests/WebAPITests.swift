// The web calculator's routes, called as the pure function the server wraps: every page and asset
// is served, each API example answers with the JSON the command line prints with --json, errors
// carry the command line's sentence with a 4xx status, and hostile requests get an answer.

import Foundation
import TestSupport
import Testing
import UseCases
@testable import WebCalculator

@Suite struct WebAPITests {
  let api = WebAPI(engine: Engine())

  func post(_ path: String, _ json: String, query: String = "") -> WebResponse {
    api.respond(method: "POST", path: path, query: query, body: Data(json.utf8))
  }

  func object(_ r: WebResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: r.body) as? [String: Any])
  }

  @Test("Every page path serves the document; the script and style are served from the binary")
  func pages() throws {
    for path in WebAPI.pages {
      let r = api.respond(method: "GET", path: path, query: "", body: Data())
      #expect(r.status == 200)
      #expect(r.contentType.hasPrefix("text/html"))
      #expect(String(decoding: r.body, as: UTF8.self).contains("/assets/app.js"))
    }
    let js = api.respond(method: "GET", path: "/assets/app.js", query: "", body: Data())
    #expect(js.status == 200 && js.contentType.hasPrefix("text/javascript"))
    let css = api.respond(method: "GET", path: "/assets/app.css", query: "", body: Data())
    #expect(css.status == 200 && css.contentType.hasPrefix("text/css"))
    // Nothing on the page may come from elsewhere.
    for asset in [Page.document, Page.script, Page.style] {
      #expect(!asset.contains("http://") || asset.contains("http://www.w3.org/2000/svg"))
      #expect(!asset.contains("https://"))
    }
  }

  @Test("Each API example answers 200 with the JSON its command prints with --json")
  func examplesMatchTheCommandLine() throws {
    let commands: [String: [String]] = [
      "plan": ["plan", "--budget", "$10M", "--gpu", "h100"],
      "loss": ["loss", "--params", "70B", "--tokens", "1.4T"],
      "cost-train": ["cost", "train", "--model", "gpt3", "--gpu", "v100"],
      "cost-infer": ["cost", "infer", "--model", "llama2-70b", "--gpu", "h100", "--precision", "int4"],
      "cost-finetune": ["cost", "finetune", "--model", "llama2-7b", "--method", "qlora", "--gpu", "a6000"],
      "project": ["project", "--year", "2030", "--compute", "3.15e23"],
      "runway": ["runway", "--overtrain", "5"],
    ]
    for useCase in APIDescription.useCases {
      let body = try JSONEncoder().encode(useCase.example)
      let r = api.respond(method: "POST", path: "/api/v1/" + useCase.name, query: "", body: body)
      #expect(r.status == 200, "\(useCase.name): \(String(decoding: r.body, as: UTF8.self))")
      guard let args = commands[useCase.name] else { continue }
      let run = try runBuiltScaleplan(args + ["--json"])
      #expect(run.status == 0, "\(run.stderr)")
      let web = try JSONSerialization.jsonObject(with: r.body)
      let cli = try JSONSerialization.jsonObject(with: run.stdout)
      let differences = jsonDifferences(web, cli)
      #expect(differences.isEmpty, "\(useCase.name): \(differences.prefix(5))")
    }
  }

  @Test("explain=1 adds the explanation; without it the JSON has none")
  func explain() throws {
    let plain = try object(post("/api/v1/plan", #"{"compute": 1e24}"#))
    #expect(plain["explanation"] == nil)
    let explained = try object(post("/api/v1/plan", #"{"compute": 1e24}"#, query: "explain=1"))
    let steps = (explained["explanation"] as? [String: Any])?["steps"] as? [Any]
    #expect((steps?.count ?? 0) >= 2)
  }

  @Test("A refused request is 400 with the command line's sentence")
  func refusals() throws {
    let r = post("/api/v1/plan", #"{"budget": -1, "gpu": "h100"}"#)
    #expect(r.status == 400)
    let run = try runBuiltScaleplan(["plan", "--budget=-1", "--gpu", "h100"])
    #expect(run.status != 0)
    let sentence = try object(r)["error"] as? String
    #expect(run.stderr.hasPrefix("Error: " + (sentence ?? "?")), "\(run.stderr) vs \(sentence ?? "")")

    #expect(post("/api/v1/nope", "{}").status == 404)
    #expect(post("/api/v1/plan", "not json").status == 400)
    #expect(post("/api/v1/plan", #"{"compute": "lots"}"#).status == 400)
    #expect(post("/api/v1/plan", #"{"compute": 1e400}"#).status == 400)
    #expect(api.respond(method: "GET", path: "/api/v1/plan", query: "", body: Data()).status == 405)
    #expect(api.respond(method: "DELETE", path: "/plan", query: "", body: Data()).status == 405)
    #expect(api.respond(method: "GET", path: "/etc/passwd", query: "", body: Data()).status == 404)
    let long = String(repeating: "a", count: 10_000)
    #expect(api.respond(method: "GET", path: "/" + long, query: "", body: Data()).status == 414)
    let big = Data(repeating: 0x20, count: WebAPI.maxBodyBytes + 1)
    #expect(api.respond(method: "POST", path: "/api/v1/plan", query: "", body: big).status == 413)
  }

  @Test("Error sentences are one line, clipped, with control characters escaped")
  func errorText() throws {
    let r = post("/api/v1/" + String(repeating: "x\n", count: 500), "{}")
    let sentence = try #require(try object(r)["error"] as? String)
    #expect(!sentence.contains("\n"))
    #expect(sentence.count < 420)
  }

  @Test("parse reads fields as the command line does")
  func parse() throws {
    let ok = try object(
      post(
        "/api/v1/parse",
        #"{"fields": [{"flag": "--budget", "text": "$10M"}, {"flag": "--gpus", "text": "1k", "kind": "count"}]}"#
      ))
    let values = try #require(ok["values"] as? [String: Any])
    #expect((values["--budget"] as? Double) == 1e7)
    #expect((values["--gpus"] as? Int) == 1000)
    let bad = post("/api/v1/parse", #"{"fields": [{"flag": "--mfu", "text": "abc"}]}"#)
    #expect(bad.status == 400)
    let run = try runBuiltScaleplan(["plan", "--compute", "1e24", "--gpu", "h100", "--mfu", "abc"])
    let sentence = try object(bad)["error"] as? String ?? "?"
    #expect(run.stderr.hasPrefix("Error: " + sentence), "\(run.stderr) vs \(sentence)")
    #expect(post("/api/v1/parse", #"{"fields": [{"flag": "--gpus", "text": "2.5", "kind": "count"}]}"#).status == 400)
  }

  @Test("The frontier: each point is plan's N*, D* for that compute; the valley's minimum is N*")
  func frontier() throws {
    let r = try Engine().planFrontier(
      PlanFrontierRequest(computeMin: 1e20, computeMax: 1e26, points: 7, laws: ["epoch2024"], isoflopCompute: 1e24))
    let law = try #require(r.laws.first)
    #expect(law.points.count == 7)
    #expect(isClose(law.points[0].compute, 1e20, rel: 1e-12) && law.points[6].compute == 1e26)
    for p in law.points {
      let plan = try Engine().plan(PlanRequest(compute: p.compute, law: "epoch2024"))
      let row = try #require(plan.rows.first)
      #expect(isClose(p.params, row.params, rel: 1e-12))
      #expect(isClose(p.tokens, row.tokens, rel: 1e-12))
      // C = 6·N·D.
      #expect(isClose(6 * p.params * p.tokens, p.compute, rel: 1e-9))
      #expect(p.paramsInterval.map { $0[0] < p.params && p.params < $0[1] } ?? false)
      // The one-pass bands equal plan's own interval at that compute, bit for bit.
      #expect(p.paramsInterval == row.paramsInterval)
      #expect(p.tokensInterval == row.tokensInterval)
    }
    let valley = try #require(law.isoflop)
    let optimum = try #require(law.isoflopOptimum)
    let lowest = try #require(valley.min { $0.loss < $1.loss })
    #expect(valley.allSatisfy { $0.loss >= optimum.loss - 1e-12 })
    #expect(abs(log(lowest.params / optimum.params)) < log(30) / 20 + 1e-9)
    #expect(throws: RequestError.self) {
      try Engine().planFrontier(PlanFrontierRequest(computeMin: 1e26, computeMax: 1e20))
    }
    #expect(throws: RequestError.self) { try Engine().planFrontier(PlanFrontierRequest(points: 100_000)) }
  }
}

/// Where two decoded JSON values differ (keys, lengths, numbers exactly, strings, nulls).
func jsonDifferences(_ a: Any, _ b: Any, path: String = "$") -> [String] {
  switch (a, b) {
  case (let x as [String: Any], let y as [String: Any]):
    var out: [String] = []
    if Set(x.keys) != Set(y.keys) {
      out.append("\(path): keys \(Set(x.keys).symmetricDifference(Set(y.keys)).sorted())")
    }
    for k in x.keys.sorted() where y[k] != nil {
      out += jsonDifferences(x[k] as Any, y[k] as Any, path: path + "." + k)
    }
    return out
  case (let x as [Any], let y as [Any]):
    guard x.count == y.count else { return ["\(path): \(x.count) vs \(y.count) elements"] }
    return zip(x, y).enumerated().flatMap {
      jsonDifferences($0.element.0, $0.element.1, path: "\(path)[\($0.offset)]")
    }
  case (let x as NSNumber, let y as NSNumber):
    return x.doubleValue == y.doubleValue ? [] : ["\(path): \(x) vs \(y)"]
  case (is NSNull, is NSNull):
    return []
  case (let x as String, let y as String):
    return x == y ? [] : ["\(path): '\(x)' vs '\(y)'"]
  default:
    return ["\(path): \(a) vs \(b)"]
  }
}
