import Foundation
import Testing
import UseCases
import WebCalculator

@Suite struct WebAPITests {
  @Test func placeholder() {
    let api = WebAPI(engine: Engine())
    #expect(api.respond(method: "GET", path: "/nope", query: "", body: Data()).status == 404)
  }
}
