/// How a dataset row names its video file and its frame-cache folder (reference section 3).
public struct VideoRule: Sendable, Equatable {
  /// The column holding the video.
  public var field: String
  /// Added when the value has no extension.
  public var ext: String?
  /// A column naming a sub-folder (MVBench, MLVU: `prefix`).
  public var dirField: String?
  /// A fixed sub-folder of the dataset root (`video`, `videos`).
  public var subfolder: String?
  /// The cache folder is the value without its extension (MLVU, LongVideoBench).
  public var keyStripsExtension: Bool = false
  /// A column whose value replaces the dataset folder for that row (MLVU, TempCompass
  /// sub-datasets: `SUB_DATASET`).
  public var datasetField: String?

  public init(
    field: String, ext: String? = nil, dirField: String? = nil, subfolder: String? = nil, keyStripsExtension: Bool = false,
    datasetField: String? = nil
  ) {
    self.field = field
    self.ext = ext
    self.dirField = dirField
    self.subfolder = subfolder
    self.keyStripsExtension = keyStripsExtension
    self.datasetField = datasetField
  }
}

/// What a benchmark config fixes for vframes: the frame-cache folder, the sampling, the video
/// layout and the sampler VLMEvalKit uses for that folder (a different one adds a token to the
/// cache path). Generic: the benchmark registry (VBenchmarks) fills it in.
public struct FrameSettings: Sendable {
  /// VLMEvalKit's internal dataset name: the frame-cache folder.
  public var dataset: String
  public var spec: SamplingSpec
  public var video: VideoRule
  /// The sampler VLMEvalKit uses for `dataset` in nframe mode (`uniform`, MVBench's `mvbench`).
  public var nativeSampler: Sampler

  public init(dataset: String, spec: SamplingSpec, video: VideoRule, nativeSampler: Sampler) {
    self.dataset = dataset
    self.spec = spec
    self.video = video
    self.nativeSampler = nativeSampler
  }
}
