import Foundation

/// The API's self-description served at GET /api/v1.
enum APIDescription {
  static let json = Data("{}".utf8)
}
