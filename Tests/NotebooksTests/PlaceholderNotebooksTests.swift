import Testing

@Test func NotebooksTestsBuilds() {
  #expect(Bool(true))
}
