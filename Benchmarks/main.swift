import Foundation

/// Benchmarks run on demand (`swift run -c release annotty-bench NAME`), never in CI.
/// Each entry prints its own medians and ratios.
let benchmarks: [(name: String, run: ([String]) throws -> Void)] = [
    ("import", ImportBenchmark.run),
    ("key-to-draw", KeyToDrawBenchmark.run),
    ("first-item", FirstItemBenchmark.run),
    ("prelabel-throughput", LLMBenchmarks.prelabelThroughput),
    ("prefetch-annotator", LLMBenchmarks.prefetchAnnotator),
    ("keep-up", KeepUpBenchmark.run),
    ("learner-train", LearningBenchmarks.train),
    ("learner-rank", LearningBenchmarks.rank),
    ("aggregate-majority", AggregationBenchmark.run),
    ("calibration-bias", CalibrationBenchmarks.bias),
    ("opinion-replay", OpinionReplayBenchmark.run),
    ("label-errors", LabelErrorBenchmark.run),
    ("spans-learner", SpanBenchmarks.learner),
    ("spans-active-learning", SpanBenchmarks.activeLearning),
    ("multilabel-curve", MultiLabelBenchmark.run),
    ("spans-key-to-draw", SpanKeyToDrawBenchmark.run),
    ("stores", StoreComparisonBenchmark.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) else {
    print("usage: annotty-bench NAME [ARGS...]\nbenchmarks: " + benchmarks.map(\.name).joined(separator: ", "))
    exit(arguments.isEmpty ? 0 : 2)
}
do {
    try benchmark.run(Array(arguments.dropFirst()))
} catch {
    // A message, not a crash trace: most failures here are a file or an argument given wrongly.
    FileHandle.standardError.write(Data("annotty-bench \(name): \(error)\n".utf8))
    exit(1)
}
