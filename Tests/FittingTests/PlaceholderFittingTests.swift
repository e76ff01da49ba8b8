import Testing

@Test func FittingTestsBuilds() {
  #expect(Bool(true))
}
