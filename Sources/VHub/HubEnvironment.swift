import VCore
import VData

/// What `huggingface_hub`'s environment variables say, read the way it reads them.
public struct HubEnvironment: Sendable {
  public var endpoint: String
  /// `HF_TOKEN`, else the legacy `HUGGING_FACE_HUB_TOKEN`, else the token `huggingface-cli
  /// login` stored (`$HF_TOKEN_PATH`, else `$HF_HOME/token`, else `~/.cache/huggingface/token`).
  public var token: String?
  public var cacheRoot: String
  /// `HF_HUB_OFFLINE` set to 1/ON/YES/TRUE.
  public var offline: Bool

  public init(_ env: [String: String]) {
    endpoint = env["HF_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://huggingface.co"
    cacheRoot = HubCache.defaultRoot(environment: env)
    offline = ["1", "ON", "YES", "TRUE"].contains((env["HF_HUB_OFFLINE"] ?? "").uppercased())
    if let t = env["HF_TOKEN"] ?? env["HUGGING_FACE_HUB_TOKEN"], !t.isEmpty {
      token = t
    } else {
      let home = env["HF_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Tree.join(env["HOME"] ?? "/root", ".cache/huggingface")
      let path = env["HF_TOKEN_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? Tree.join(home, "token")
      token = Tree.read(path).map { PyText.strip(String(decoding: $0, as: UTF8.self)) }.flatMap { $0.isEmpty ? nil : $0 }
    }
  }
}
