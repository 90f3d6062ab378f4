/// Where golden questions go in a claimed batch, the same in every store.
public enum GoldenMixing {
    /// Replaces queue slots with golden questions the person has not answered, each slot with
    /// probability `rate`, at random positions, so they cannot be told apart by place.
    public static func mix(golden: [Int64], into chosen: [Int64], limit: Int, rate: Double,
                           generator: inout SeededGenerator) -> [Int64] {
        var golden = generator.shuffled(golden)
        var mixed: [Int64] = []
        var regular = chosen[...]
        while mixed.count < limit {
            if !golden.isEmpty, generator.nextUnitDouble() < rate {
                mixed.append(golden.removeLast())
            } else if let next = regular.popFirst() {
                mixed.append(next)
            } else {
                break
            }
        }
        return mixed
    }
}
