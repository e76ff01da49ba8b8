import Testing

@Test func LabTestsBuilds() {
  #expect(Bool(true))
}
