import Testing

@Test func MiniGPTTestsBuilds() {
  #expect(Bool(true))
}
