import Foundation
import VCore
import VPrompt
import VTestSupport

/// A JSON fixture a script printed from VLMEvalKit's own functions
/// (`Tests/Fixtures/vlmevalkit/*.json`), read once; a missing or broken file reads as empty, so
/// every expectation on it fails.
struct GoldenFixture: Sendable {
  let object: JSONObject

  init(_ name: String) {
    let bytes = (try? FileIO.readFile(FakeServer.repoRoot + "/Tests/Fixtures/vlmevalkit/" + name)) ?? []
    object = (try? JSONParser.parse(bytes).objectValue) ?? JSONObject()
  }

  subscript(_ key: String) -> JSONValue? { object[key] }

  func strings(_ key: String) -> [String] { object[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }

  /// A message list as items.
  func messages(_ key: String) -> [MessageItem] {
    (object[key]?.arrayValue ?? []).compactMap(\.objectValue).map {
      MessageItem(type: $0["type"]?.stringValue ?? "", value: $0["value"]?.stringValue ?? "", role: $0["role"]?.stringValue)
    }
  }
}
