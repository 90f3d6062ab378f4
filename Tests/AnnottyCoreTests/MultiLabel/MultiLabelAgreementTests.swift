import AnnottyCore
import Testing

/// Reference values for alpha: computed by hand (shown) and with the Python `krippendorff` package
/// 0.9.0 given the distance as a callable, by this script:
///
///     import numpy as np, krippendorff
///     def masi(a, b):
///         if a == b: return 0.0
///         j = len(a & b) / len(a | b)
///         m = 0 if not (a & b) else (2/3 if (a <= b or b <= a) else 1/3)
///         return 1 - j * m
///     def jaccard(a, b): return 0.0 if a == b else 1 - len(a & b) / len(a | b)
///     def alpha(data, dist):
///         values = []
///         for row in data:
///             for s in row:
///                 if s is not None and s not in values: values.append(s)
///         codes = [[np.nan if s is None else values.index(s) for s in row] for row in data]
///         table = np.array([[dist(a, b) for b in values] for a in values])
///         metric = lambda v1, v2, i1, i2, n_v, dtype=np.float64: table[np.asarray(v1, dtype=int), np.asarray(v2, dtype=int)]
///         return krippendorff.alpha(reliability_data=codes, value_domain=list(range(len(values))),
///                                   level_of_measurement=metric)
///     F = frozenset
///     small = [[F('a'), F('ab'), F('b')], [F('a'), F('a'), F('c')]]
///     three = [[F('ab'), F('a'), None, F(''), F('c'), F('abc'), F('b')],
///              [F('a'), F('a'), F('bc'), F(''), F('ac'), F('ab'), None],
///              [F('ab'), None, F('b'), F('a'), F('c'), F('bc'), F('b')]]
///     print(alpha(small, masi), alpha(small, jaccard))   # 0.21875 0.25
///     print(alpha(three, masi), alpha(three, jaccard))   # 0.43228200371057524 0.5053598774885145
@Suite("Multi-label agreement")
struct MultiLabelAgreementTests {
    func set(_ letters: String) -> Set<Character> { Set(letters) }

    @Test("MASI distance: 1 − Jaccard × M for equal, nested, overlapping and disjoint sets")
    func masiDistance() {
        let masi = LabelSetDistance.masi
        #expect(masi.distance(set("ab"), set("ab")) == 0)
        #expect(masi.distance(set(""), set("")) == 0)
        // Nested: J = 1/2, M = 2/3 → 1 − 1/3.
        #expect(abs(masi.distance(set("ab"), set("a")) - 2.0 / 3.0) < 1e-12)
        // Overlapping, neither inside the other: J = 1/3, M = 1/3 → 1 − 1/9.
        #expect(abs(masi.distance(set("ab"), set("bc")) - 8.0 / 9.0) < 1e-12)
        #expect(masi.distance(set("a"), set("b")) == 1)
        #expect(masi.distance(set(""), set("a")) == 1)
        #expect(abs(LabelSetDistance.jaccard.distance(set("ab"), set("bc")) - 2.0 / 3.0) < 1e-12)
        #expect(LabelSetDistance.jaccard.distance(set("ab"), set("a")) == 0.5)
    }

    /// Two coders, three units: {a}/{a}, {a,b}/{a}, {b}/{c}. Values A={a} (3 pairable), B={a,b},
    /// C={b}, D={c} (1 each), n = 6. Observed Σ o·δ = 2·δ(A,B) + 2·δ(C,D).
    /// Expected Σ n_c n_k δ / (n − 1) over ordered pairs = 2·(3δAB + 3δAC + 3δAD + δBC + δBD + δCD) / 5.
    /// MASI: δAB = δBC = 2/3, the rest 1 → D_o = 10/3, D_e = 64/15, α = 1 − 150/192 = 7/32.
    /// Jaccard: δAB = δBC = 1/2 → D_o = 3, D_e = 4, α = 1/4.
    @Test("MASI and Jaccard alpha on a small vector computed by hand")
    func alphaByHand() throws {
        let data: [[Set<Character>?]] = [[set("a"), set("ab"), set("b")], [set("a"), set("a"), set("c")]]
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: data, distance: .masi) - 7.0 / 32.0) < 1e-12)
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: data, distance: .jaccard) - 0.25) < 1e-12)
    }

    @Test("MASI and Jaccard alpha with missing answers and empty sets match the krippendorff package")
    func alphaAgainstKrippendorffPackage() throws {
        let data: [[Set<Character>?]] = [
            [set("ab"), set("a"), nil, set(""), set("c"), set("abc"), set("b")],
            [set("a"), set("a"), set("bc"), set(""), set("ac"), set("ab"), nil],
            [set("ab"), nil, set("b"), set("a"), set("c"), set("bc"), set("b")],
        ]
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: data, distance: .masi) - 0.43228200371057524) < 1e-12)
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: data, distance: .jaccard) - 0.5053598774885145) < 1e-12)
    }

    @Test("Set alpha over singletons equals nominal alpha, and crowd answers give the same as rows")
    func alphaReducesToNominal() throws {
        let first = [0, 1, 2, 2, 1, 0, 1, 2], second = [0, 2, 2, 1, 1, 0, 1, 2]
        let nominal = try KrippendorffAlpha.alpha(reliabilityData: [first.map(Double.init), second.map(Double.init)],
                                                  level: .nominal)
        let sets: [[Set<Int>?]] = [first.map { [$0] }, second.map { [$0] }]
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: sets, distance: .masi) - nominal) < 1e-12)
        #expect(abs(try LabelSetAlpha.alpha(reliabilityData: sets, distance: .jaccard) - nominal) < 1e-12)
        let answers = first.enumerated().map { CrowdMultiLabel(item: $0, annotator: 0, labels: [$1]) }
            + second.enumerated().map { CrowdMultiLabel(item: $0, annotator: 1, labels: [$1]) }
        #expect(abs(try LabelSetAlpha.alpha(answers, distance: .masi) - nominal) < 1e-12)
    }

    @Test("Set alpha is NaN when every answer is the same set, and rejects ragged rows")
    func alphaEdgeCases() throws {
        #expect(try LabelSetAlpha.alpha(reliabilityData: [[Set([1]), Set([1])], [Set([1]), Set([1])]], distance: .masi).isNaN)
        #expect(throws: MetricsError.self) {
            try LabelSetAlpha.alpha(reliabilityData: [[Set([1])], [Set([1]), Set([2])]], distance: .masi)
        }
        #expect(throws: MetricsError.invalidArgument("annotator 0 answered item 0 twice")) {
            try LabelSetAlpha.alpha([.init(item: 0, annotator: 0, labels: [1]), .init(item: 0, annotator: 0, labels: [2]),
                                     .init(item: 0, annotator: 1, labels: [1])], distance: .masi)
        }
    }

    /// Label 0: both coders [1,1,0,0,1,0] → κ = 1. Label 1: [1,1,1,0,0,0] vs [1,1,0,0,0,1]:
    /// p_o = 4/6, each coder says yes half the time so p_e = 1/2, κ = (2/3 − 1/2)/(1/2) = 1/3.
    /// Label 2: never given by either → undefined (NaN).
    @Test("Per-label Cohen's kappa computed by hand")
    func perLabelCohen() throws {
        let first: [Set<Int>] = [[0, 1], [0, 1], [1], [], [0], []]
        let second: [Set<Int>] = [[0, 1], [0, 1], [], [], [0], [1]]
        let kappas = try PerLabelAgreement.cohenKappa(first, second, labelCount: 3)
        #expect(kappas[0] == 1)
        #expect(abs(kappas[1] - 1.0 / 3.0) < 1e-12)
        #expect(kappas[2].isNaN)
        #expect(throws: MetricsError.labelOutOfRange(5)) { try PerLabelAgreement.cohenKappa([[5]], [[0]], labelCount: 3) }
    }

    /// Three raters, three items. Label 0 "in" counts 3, 2, 0: P_i = 1, 1/3, 1 → P̄ = 7/9;
    /// p(in) = 5/9 → P_e = 41/81; κ = (63 − 41)/(81 − 41) = 0.55.
    /// Label 1 "in" counts 0, 1, 3: P̄ = 7/9, p(in) = 4/9 → the same κ 0.55.
    @Test("Per-label Fleiss' kappa computed by hand")
    func perLabelFleiss() throws {
        let answers: [CrowdMultiLabel] = [
            .init(item: 0, annotator: 0, labels: [0]), .init(item: 0, annotator: 1, labels: [0]),
            .init(item: 0, annotator: 2, labels: [0]),
            .init(item: 1, annotator: 0, labels: [0, 1]), .init(item: 1, annotator: 1, labels: [0]),
            .init(item: 1, annotator: 2, labels: []),
            .init(item: 2, annotator: 0, labels: [1]), .init(item: 2, annotator: 1, labels: [1]),
            .init(item: 2, annotator: 2, labels: [1]),
        ]
        let kappas = try PerLabelAgreement.fleissKappa(answers, labelCount: 2)
        #expect(abs(kappas[0] - 0.55) < 1e-12)
        #expect(abs(kappas[1] - 0.55) < 1e-12)
    }
}
