import Testing
import VCore

@testable import VBenchmarks
@testable import VScore

/// Small hand-built result tables per dataset, scored in parity and strict mode, with the
/// ratings VLMEvalKit's evaluate() gives (worked out from reference sections 4-5 by hand).
@Suite struct DatasetScoringTests {
  static let diag = Diagnostics(tool: "vscore", verbosity: -1)

  static func table(_ columns: [String], _ rows: [[String?]]) -> Rows {
    Rows(table: ResultTable(columns: columns, rows: rows, name: "test"))
  }

  static func ctx(strict: Bool = false, judged: JudgeReplies? = nil) -> ScoreContext {
    ScoreContext(strict: strict, judged: judged, judgeName: "judge", dataset: "test", diag: diag)
  }

  static func json(_ v: JSONValue?) -> String { v.map { JSONSerializer.serialize($0) } ?? "nil" }

  static let mvbench = table(
    ["index", "task_type", "question", "answer", "candidates", "prediction"],
    [
      ["0", "T1", "q", "walking", "['running', 'walking']", "B"],
      ["1", "T1", "q", "walking", "['running', 'walking']", "(A) running"],
      ["2", "T1", "q", "running", "['running', 'walking']", nil],
      ["3", "T2", "q", "sitting", "['sitting', 'jumping', 'running']", "Failed to obtain answer via API."],
      ["4", "T2", "q", "jumping", "['sitting', 'jumping', 'running']", "("],
      ["5", "T2", "q", "sitting", "['sitting', 'jumping', 'running']", "I think the answer is a dog"],
    ])

  @Test func mvbenchParityCountsFailuresAndEmptyAnswersCorrect() {
    let o = MVBenchScorer(rows: Self.mvbench).score(Self.ctx())
    #expect(o.scores == ["1", "0", nil, "-1", "1", "1"])
    #expect(Self.json(o.rating) == #"{"T1":[2,3,"66.67%"],"T2":[3,3,"100.00%"],"overall":[5,6,"83.33%"]}"#)
    #expect(o.summary.mode == "parity")
    #expect(o.summary.notes.contains { $0.contains("Q1") })
  }

  @Test func mvbenchStrictDiffersOnlyOnQ1AndQ6() {
    let o = MVBenchScorer(rows: Self.mvbench).score(Self.ctx(strict: true))
    #expect(o.scores == ["1", "0", "0", "0", "0", "0"])
    #expect(Self.json(o.rating) == #"{"T1":[1,3,"33.33%"],"T2":[0,3,"0.00%"],"overall":[1,6,"16.67%"]}"#)
  }

  @Test func mvbenchJudgePromptsOnlyForUnreadableAnswersAndJudgedScores() {
    let t = Self.table(
      ["index", "task_type", "question", "answer", "candidates", "prediction"],
      [
        ["0", "T", "Why?", "walking", "['running', 'walking']", "He is strolling"],
        ["1", "T", "Why?", "walking", "['running', 'walking']", "B"],
      ])
    let prompts = MVBenchScorer(rows: t).judgePrompts(strict: false)
    #expect(prompts.map(\.id) == ["0"])
    #expect(
      prompts[0].prompt.hasSuffix(
        "Example 3: \nQuestion: Why??\nOptions: There are several options: \nA. running\nB. walking\n\nAnswer: He is strolling\nYour output: "))
    #expect(prompts[0].system == nil)
    let judged = MVBenchScorer(rows: t).score(Self.ctx(judged: ["0": JudgeReply(text: "B", failed: false)]))
    #expect(judged.scores == ["1", "1"])
    let unjudged = MVBenchScorer(rows: t).score(Self.ctx())
    #expect(unjudged.scores == ["0", "1"])
  }

  @Test func chineseQuestionsGetTheChineseJudgePrompt() {
    let p = mcqJudgePrompt(question: "视频里的人在做什么", choices: [("A", "跑步"), ("B", "走路")], prediction: "他在走")
    #expect(p.hasPrefix("你是一个帮助我匹配答案与单选题中多个选项的 AI 助手。你会被提供："))
    #expect(p.hasSuffix("你的任务: \n[问题]: 视频里的人在做什么?\n[选项]: There are several options: \nA. 跑步\nB. 走路\n\n[模型预测]: 他在走\n[输出]: "))
    #expect(mcqJudgePrompt(question: "What?", choices: [("A", "x")], prediction: "y").hasPrefix("You are an AI assistant"))
  }

  static let videomme = table(
    ["index", "video", "duration", "domain", "sub_category", "task_type", "question", "answer", "prediction"],
    [
      ["0", "v1", "short", "Knowledge", "Law", "OCR Problems", "q", "C", "C"],
      ["1", "v1", "short", "Knowledge", "Law", "Counting Problem", "q", "C", "Best answer: C"],
      ["2", "v2", "medium", "Film & Television", "Animation", "OCR Problems", "q", "A", "Failed to obtain answer via API."],
      ["3", "v3", "long", "Knowledge", "Law", "OCR Problems", "q", "D", nil],
    ])

  @Test func videoMMEParity() throws {
    let o = LetterScorer(rows: Self.videomme, spec: VideoMMEPrompt.rating).score(Self.ctx())
    #expect(o.scores == ["1", "0", "1", "0"])
    let r = try #require(o.rating?.objectValue)
    #expect(r.keys == ["short", "medium", "long", "overall"])
    let short = try #require(r["short"]?.objectValue)
    #expect(short.keys == ["overall", "domain", "sub_category", "task_type"])
    #expect(short["overall"] == .string("0.500"))
    #expect(short["domain"]?.objectValue?.keys == VideoMMEPrompt.domains)
    #expect(short["domain"]?.objectValue?["Knowledge"] == .string("0.500"))
    #expect(short["domain"]?.objectValue?["Multilingual"] == .string("nan"))
    #expect(short["task_type"]?.objectValue?["Counting Problem"] == .string("0.000"))
    #expect(short["sub_category"]?.objectValue?.keys.count == 30)
    let all = try #require(r["overall"]?.objectValue)
    #expect(all["overall"] == .string("0.500"))
    #expect(all["domain"]?.objectValue?["Knowledge"] == .string("0.333"))
    #expect(all["task_type"]?.objectValue?["OCR Problems"] == .string("0.667"))
    #expect(r["long"]?.objectValue?["overall"] == .string("0.000"))
    #expect(o.summary.rows.first == SummaryRow(group: "overall", name: "overall", correct: 2, total: 4, value: 50))
  }

  @Test func videoMMEStrictFixesThePrefixListAndFailedAnswers() throws {
    let o = LetterScorer(rows: Self.videomme, spec: VideoMMEPrompt.rating).score(Self.ctx(strict: true))
    #expect(o.scores == ["1", "1", "0", "0"])
    #expect(o.rating?.objectValue?["overall"]?.objectValue?["overall"] == .string("0.500"))
    #expect(o.rating?.objectValue?["short"]?.objectValue?["overall"] == .string("1.000"))
  }

  @Test func longVideoBenchUsesCorrectChoiceAndFiveLetters() throws {
    let t = Self.table(
      ["index", "duration_group", "question_category", "correct_choice", "prediction"],
      [
        ["0", "15", "S2E", "4", "E"],
        ["1", "15", "S2O", "4", "The answer is (E)"],
        ["2", "3600.0", "TAA", "0", "B"],
        ["3", "600", "S2E", "1", "Best option: B"],
      ])
    let o = LetterScorer(rows: t, spec: LongVideoBenchPrompt.rating).score(Self.ctx())
    #expect(o.scores == ["1", "1", "0", "1"])
    let r = try #require(o.rating?.objectValue)
    #expect(r.keys == ["15", "60", "600", "3600", "overall"])
    #expect(r["15"]?.objectValue?.keys == ["overall", "question_category"])
    #expect(r["15"]?.objectValue?["overall"] == .string("1.000"))
    #expect(r["60"]?.objectValue?["overall"] == .string("nan"))
    #expect(r["3600"]?.objectValue?["question_category"]?.objectValue?["TAA"] == .string("0.000"))
    #expect(r["overall"]?.objectValue?["overall"] == .string("0.750"))
    #expect(r["overall"]?.objectValue?["question_category"]?.objectValue?.keys == LongVideoBenchPrompt.categories)
  }

  @Test func worldSenseCountsEveryAudioClass() throws {
    let t = Self.table(
      ["index", "duration", "domain", "sub_category", "task_domain", "task_type", "audio_class", "answer", "prediction"],
      [
        ["0", "<1min", "Music", "Covers", "Recognition", "Audio Recognition", "['Speech', 'Music']", "B", "B"],
        ["1", "1-2min", "Music", "Covers", "Reasoning", "Audio Change", "['Music']", "C", "D"],
      ])
    let o = LetterScorer(rows: t, spec: WorldSensePrompt.rating).score(Self.ctx())
    let r = try #require(o.rating?.objectValue)
    #expect(r.keys == WorldSensePrompt.durations + ["overall"])
    let all = try #require(r["overall"]?.objectValue)
    #expect(all.keys == ["overall", "domain", "sub_category", "task_domain", "task_type", "audio_class"])
    #expect(all["audio_class"]?.objectValue?["Speech"] == .string("1.000"))
    #expect(all["audio_class"]?.objectValue?["Music"] == .string("0.500"))
    #expect(all["audio_class"]?.objectValue?["Event"] == .string("nan"))
    #expect(all["overall"] == .string("0.500"))
  }

  static let mlvu = table(
    ["index", "task_type", "question", "answer", "candidates", "scoring_points", "prediction"],
    [
      ["0", "plotQA", "q", "cat", "['dog', 'cat']", nil, "(B) cat"],
      ["1", "plotQA", "q", "dog", "['dog', 'cat']", nil, "B"],
      ["2", "order", "q", "dog", "['dog', 'cat']", nil, "(A) dog"],
      ["3", "plotQA", "q", "dog", "['dog', 'cat']", nil, "Failed to obtain answer via API."],
      ["4", "sub_scene", "What happens?", "a fight", nil, "fight", "They fight"],
      ["5", "summary", "Summarise", "a day", nil, nil, "A day passes"],
    ])
  static let mlvuJudged: JudgeReplies = [
    "4": JudgeReply(text: "Rationale... {'score_accuracy': 4, 'score_relevance': 5, 'total_score': 9}", failed: false),
    "5": JudgeReply(text: "{'score_completeness': 3, 'score_reliability': 2, 'total_score': 5}", failed: false),
  ]

  @Test func mlvuAccTableWithMAvgAndGAvg() throws {
    let o = MLVUScorer(rows: Self.mlvu).score(Self.ctx(judged: Self.mlvuJudged))
    #expect(o.scores == ["1", "0", "1", "-1", "9", "5"])
    let acc = try #require(o.acc)
    #expect(acc.columns == ["task", "success", "overall", "acc"])
    #expect(
      acc.rows == [
        ["plotQA", "0.0", "3.0", "0.0"], ["order", "1.0", "1.0", "100.0"], ["sub_scene", "9.0", "1.0", "900.0"],
        ["summary", "5.0", "1.0", "500.0"], ["M-Avg", "0.0", "3.0", "0.0"], ["G-Avg", "14.0", "2.0", "7.0"],
      ])
    let strict = MLVUScorer(rows: Self.mlvu).score(Self.ctx(strict: true, judged: Self.mlvuJudged))
    #expect(strict.acc?.rows.first == ["plotQA", "1.0", "3.0", "33.3"])
    #expect(strict.acc?.rows[4] == ["M-Avg", "1.0", "3.0", "33.3"])
  }

  @Test func mlvuJudgePromptsAreExact() {
    let p = MLVUScorer(rows: Self.mlvu).judgePrompts(strict: false)
    #expect(p.map(\.id) == ["4", "5"])
    #expect(p[0].kind == "mlvu_sub_scene" && p[0].system == MLVUScorer.subSceneSystem)
    #expect(
      p[0].prompt
        == "Please score the respondent's answer according to the steps in the Instructions. You must end with a JSON dict to store the scores.\nQuestion: What happens?\nScoring Points: fight\nRespondent's Answer: They fight\n"
    )
    #expect(p[1].prompt.hasSuffix("Standard Answer: a day\nRespondent's Answer: A day passes\n"))
    #expect(MLVUScorer.subSceneSystem.contains("respondent\u{2019}s answer to the question"))
    // Without a judge the open-ended rows are left out and said so.
    let o = MLVUScorer(rows: Self.mlvu).score(Self.ctx())
    #expect(o.scores[4] == nil && o.scores[5] == nil)
    #expect(o.summary.notes.contains { $0.contains("2 open-ended rows need a judge") })
  }

  @Test func mmbenchVideoRatingsFromJudgements() throws {
    let t = Self.table(
      ["index", "question", "answer", "dimensions", "prediction"],
      [
        ["0", "q0", "a0", "['Video Topic']", "p0"],
        ["1", "q1", "a1", "['OCR', 'Counting']", "p1"],
        ["2", "q2", "a2", "['Causal Reasoning']", "p2"],
        ["3", "q3", "a3", "['Video Topic', 'Hallucination']", nil],
      ])
    let s = MMBenchVideoScorer(rows: t)
    let prompts = s.judgePrompts()
    #expect(prompts.map(\.id) == ["0", "1", "2"])
    #expect(prompts[0].prompt == "Question: q0\nGroundtruth answer: a0\nCandidate answer: p0\nYour response: ")
    #expect(prompts[0].system == MMBenchVideoScorer.system)
    #expect(throws: (any Error).self) { try s.score(Self.ctx()) }
    let judged: JudgeReplies = [
      "0": JudgeReply(text: "3", failed: false), "1": JudgeReply(text: " 1\n", failed: false), "2": JudgeReply(text: "Rating: 2", failed: false),
    ]
    var c = Self.ctx(judged: judged)
    c.judgeName = "gpt-4-turbo"
    let o = try s.score(c)
    #expect(o.scores == ["3", "1", "-1", "-1"])
    #expect(o.fileInfix == "_gpt-4-turbo")
    let r = try #require(o.rating?.objectValue)
    #expect(r.keys == ["coarse_all", "coarse_valid", "fine_all", "fine_valid"])
    let ca = try #require(r["coarse_all"]?.objectValue)
    #expect(ca.keys == ["CP", "FP-S", "FP-C", "HL", "LR", "AR", "RR", "CSR", "TR", "Perception", "Reasoning", "Overall"])
    #expect(ca["CP"] == .string("1.50") && ca["FP-S"] == .string("1.00") && ca["FP-C"] == .string("nan"))
    #expect(ca["HL"] == .string("0.00") && ca["TR"] == .string("0.00"))
    #expect(ca["Perception"] == .string("1.33") && ca["Reasoning"] == .string("0.00") && ca["Overall"] == .string("1.00"))
    let cv = try #require(r["coarse_valid"]?.objectValue)
    #expect(cv["CP"] == .string("3.00") && cv["HL"] == .string("nan") && cv["Perception"] == .string("2.00") && cv["Overall"] == .string("2.00"))
    let fa = try #require(r["fine_all"]?.objectValue)
    #expect(fa.keys.count == 26)
    #expect(fa["Video Topic"] == .string("1.50") && fa["Counting"] == .string("1.00") && fa["Causal Reasoning"] == .string("0.00"))
  }

  static let tempcompass = table(
    ["index", "dim", "task_type", "question", "answer", "candidates", "mc_question", "mc_answer", "prediction"],
    [
      ["0", "action", "multi-choice", "What?", "A. run", "['A. run', 'B. walk']", nil, nil, "A"],
      ["1", "speed", "multi-choice", "How fast?", "B. slow", "['A. fast', 'B. slow']", nil, nil, "slow"],
      ["2", "action", "yes_no", "Is he running?", "yes", nil, nil, nil, "Yes, it is."],
      [
        "3", "speed", "caption_matching", "Which?", "Sentence B: a man walks", "['Sentence A: a man runs', 'Sentence B: a man walks']", nil, nil,
        "Sentence B",
      ],
      [
        "4", "action", "captioning", "Describe", "a man spins clockwise", nil, "Which way?\nA. left\nC. clockwise", "C. clockwise",
        "He spins clockwise",
      ],
    ])

  @Test func tempCompassAccTable() throws {
    let o = TempCompassScorer(rows: Self.tempcompass).score(Self.ctx())
    #expect(o.scores == ["1", "0", "1", "1", nil])
    let acc = try #require(o.acc)
    #expect(acc.columns == ["dim.task_type", "success", "overall", "acc"])
    #expect(
      acc.rows == [
        ["action. multi-choice", "1.0", "1.0", "100.0"], ["speed. multi-choice", "0.0", "1.0", "0.0"],
        ["action. yes_no", "1.0", "1.0", "100.0"], ["speed. caption_matching", "1.0", "1.0", "100.0"],
        ["action", "2.0", "2.0", "100.0"], ["multi-choice", "1.0", "2.0", "50.0"], ["overall", "3.0", "4.0", "75.0"],
        ["speed", "1.0", "2.0", "50.0"], ["yes_no", "1.0", "1.0", "100.0"], ["caption_matching", "1.0", "1.0", "100.0"],
      ])
    let prompts = TempCompassScorer(rows: Self.tempcompass).judgePrompts(strict: false)
    #expect(prompts.map(\.id) == ["1", "4"])
    #expect(
      prompts[0].prompt == TempCompassScorer.multiChoiceSystem
        + "\nMulti-Choice Question:\nHow fast?\nGround-Truth Answer: B. slow\nModel Prediction: slow")
    #expect(prompts[0].request?["temperature"] == .double(1))
    #expect(prompts[1].prompt.hasSuffix("\nVideo Description:He spins clockwise\nMulti-Choice Question:\nWhich way?\nA. left\nC. clockwise\n"))
    let judged = TempCompassScorer(rows: Self.tempcompass).score(
      Self.ctx(judged: [
        "1": JudgeReply(text: "Correct", failed: false), "4": JudgeReply(text: "Reasoning: it spins\nAnswer: C. clockwise", failed: false),
      ]))
    #expect(judged.scores == ["1", "1", "1", "1", "1"])
  }

  @Test func genericMCQWithLetterColumnsAndTextAnswers() {
    let t = Self.table(
      ["index", "category", "question", "A", "B", "C", "answer", "prediction"],
      [
        ["0", "x", "q", "red", "green", "blue", "B", "B"],
        ["1", "x", "q", "red", "green", "blue", "blue", "The answer is C"],
        ["2", "y", "q", "red", "green", "blue", "A", "green"],
        ["3", "y", "q", "red", "green", "blue", "A", "Failed to obtain answer via API."],
      ])
    let o = GenericMCQScorer(rows: t).score(Self.ctx())
    #expect(o.scores == ["1", "1", "0", "0"])
    #expect(o.summary.rows.map(\.name) == ["overall", "x", "y"])
    #expect(o.summary.rows[0].value == 50)
  }

  @Test func rulesFromDatasetNames() {
    func rule(_ name: String) -> String? { Registry.catalog.rule(forDataset: name)?.name }
    #expect(rule("MVBench_MP4_8frame") == "mvbench")
    #expect(rule("Video-MME_8frame_subs") == "video-mme")
    // Exact names only (issue #12): VLMEvalKit's config name, and its dataset name.
    #expect(rule("MMBench_Video_8frame_pack") == "mmbench-video")
    #expect(rule("MMBench-Video") == "mmbench-video")
    #expect(rule("MLVU_MCQ") == "mlvu")
    #expect(rule("DemoBench") == nil)
    // A name that merely contains a known one is not that benchmark.
    #expect(rule("Video-MME-v2_8frame") == nil)
    #expect(rule("Video-MME_64frame_subs") == nil)
    // Video-MME-v2 is its own family: its names never fall back to Video-MME's rules.
    #expect(rule("Video-MME-v2_64frame") == "video-mme-v2")
    #expect(Registry.datasetName(fromFileStem: "GPT4o_Video-MME_8frame") == "Video-MME_8frame")
    #expect(Registry.datasetName(fromFileStem: "GPT4o_MVBench") == "MVBench")
    #expect(Registry.datasetName(fromFileStem: "GPT4o_Video-MME-v2_64frame") == "Video-MME-v2_64frame")
    #expect(Registry.datasetName(fromFileStem: "GPT4o_Video-MME-v2_8frame") == "GPT4o_Video-MME-v2_8frame")
  }
}
