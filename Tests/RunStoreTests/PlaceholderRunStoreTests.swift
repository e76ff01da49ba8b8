import Testing

@Test func RunStoreTestsBuilds() {
  #expect(Bool(true))
}
