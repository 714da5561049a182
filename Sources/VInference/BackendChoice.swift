import VCore

/// The backends vinfer offers.
public enum BackendKind: String, Sendable, CaseIterable {
  /// An OpenAI-compatible `/v1/chat/completions` server.
  case openai
  /// Seeded pseudo-random option letters, no network.
  case chance
  /// A user program per request.
  case command

  /// The model name recorded when none is given.
  public var defaultModel: String {
    switch self {
    case .openai: return ""
    case .chance: return "chance"
    case .command: return "command"
    }
  }
}

/// Which backend to use and how to reach it: the rules behind vinfer's `--backend`,
/// `--api-base`, `--api-key-env`, `--command`, `--seed` and `--img-detail` (vinfer(1)).
public struct BackendChoice: Sendable {
  public var kind: BackendKind
  /// `--api-base`; nil falls back to `$OPENAI_API_BASE`.
  public var apiBase: String?
  /// The environment variable holding the API key.
  public var apiKeyEnv = "OPENAI_API_KEY"
  /// The shell command line of the command backend (run with `/bin/sh -c`).
  public var command: String?
  /// The chance backend's seed.
  public var seed: UInt64 = 0
  /// `--img-detail`; nil means the default (`low` for api.openai.com, none elsewhere).
  public var imageDetail: String?
  /// With `--dry-run` nothing is sent, so neither a model nor a key is required.
  public var dryRun = false
  /// HTTP connections per host (vinfer's `-j`).
  public var connections = InferOptions.defaultJobs

  public init(kind: BackendKind) { self.kind = kind }

  /// Whether `apiBase` is OpenAI's own API: VLMEvalKit then sends `"n": 1` and `detail: low`,
  /// and a key is required.
  public static func isOfficialOpenAI(_ apiBase: String) -> Bool { apiBase.contains("openai.com") }

  /// Makes the backend and completes `settings` for it (`n`, the image detail).
  /// - Parameter environment: looks up environment variables (the process's by default).
  /// - Throws: a configuration error (status 78): no server, no model, no key for
  ///   api.openai.com, a URL that is not http(s).
  public func make(settings: inout RequestSettings, environment: (String) -> String? = FileIO.environment) throws -> any Backend {
    settings.imageDetail = imageDetail
    switch kind {
    case .chance:
      return ChanceBackend(seed: seed)
    case .command:
      return CommandBackend(argv: ["/bin/sh", "-c", command ?? ""], settings: settings)
    case .openai:
      guard let base = apiBase ?? environment("OPENAI_API_BASE"), !base.isEmpty else {
        throw SimpleToolError("no server: give --api-base URL or set OPENAI_API_BASE (or use --backend chance)", status: .config)
      }
      if settings.model.isEmpty && !dryRun { throw SimpleToolError("--model NAME is required with --backend openai", status: .config) }
      let key = environment(apiKeyEnv)
      let official = Self.isOfficialOpenAI(base)
      if official && (key ?? "").isEmpty && !dryRun {
        throw SimpleToolError("\(apiKeyEnv) is not set; api.openai.com needs a key (or name another variable with --api-key-env)", status: .config)
      }
      settings.includeN = official
      settings.imageDetail = imageDetail ?? (official ? "low" : nil)
      return try OpenAIBackend(apiBase: base, apiKey: key, connections: connections)
    }
  }
}
