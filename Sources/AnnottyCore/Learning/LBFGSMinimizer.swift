/// Limited-memory BFGS for smooth convex objectives, with a backtracking Armijo line search.
/// Deterministic: no randomness anywhere, so the same data gives the same model.
struct LBFGSMinimizer {
    var historySize = 10
    var maximumIterations = 100
    /// Stop when the largest gradient component falls below this.
    var gradientTolerance = 1e-5
    /// Stop when the objective improves by less than this fraction in one iteration.
    var relativeImprovementTolerance = 1e-7

    /// Minimises `objective`, which writes the gradient into its second argument and returns the value.
    /// Returns the minimiser and the number of iterations used.
    func minimize(start: [Double], objective: ([Double], inout [Double]) -> Double) -> (point: [Double], iterations: Int) {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []       // s_k = x_{k+1} - x_k
        var gradientChanges: [[Double]] = [] // y_k = g_{k+1} - g_k
        var curvatures: [Double] = []    // 1 / (y_k · s_k)
        var direction = [Double](repeating: 0, count: n)
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        var iteration = 0

        while iteration < maximumIterations {
            if gradient.reduce(0, { max($0, abs($1)) }) < gradientTolerance { break }
            iteration += 1

            // Two-loop recursion: direction = -H * gradient.
            for i in 0..<n { direction[i] = -gradient[i] }
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                let alpha = curvatures[k] * Self.dot(steps[k], direction)
                alphas[k] = alpha
                Self.addScaled(&direction, gradientChanges[k], -alpha)
            }
            if let lastStep = steps.last, let lastChange = gradientChanges.last {
                let scale = Self.dot(lastStep, lastChange) / Self.dot(lastChange, lastChange)
                for i in 0..<n { direction[i] *= scale }
            }
            for k in 0..<steps.count {
                let beta = curvatures[k] * Self.dot(gradientChanges[k], direction)
                Self.addScaled(&direction, steps[k], alphas[k] - beta)
            }

            var slope = Self.dot(gradient, direction)
            if slope >= 0 { // not a descent direction: restart from steepest descent
                steps.removeAll(); gradientChanges.removeAll(); curvatures.removeAll()
                for i in 0..<n { direction[i] = -gradient[i] }
                slope = Self.dot(gradient, direction)
            }
            var stepLength = steps.isEmpty ? min(1, 1 / max(Self.dot(gradient, gradient).squareRoot(), 1e-12)) : 1
            var candidateValue = value
            var accepted = false
            for _ in 0..<40 {
                for i in 0..<n { candidate[i] = x[i] + stepLength * direction[i] }
                candidateValue = objective(candidate, &candidateGradient)
                if candidateValue <= value + 1e-4 * stepLength * slope { accepted = true; break }
                stepLength *= 0.5
            }
            if !accepted { break }

            var step = [Double](repeating: 0, count: n)
            var change = [Double](repeating: 0, count: n)
            for i in 0..<n {
                step[i] = candidate[i] - x[i]
                change[i] = candidateGradient[i] - gradient[i]
            }
            let curvature = Self.dot(change, step)
            if curvature > 1e-12 {
                if steps.count == historySize {
                    steps.removeFirst(); gradientChanges.removeFirst(); curvatures.removeFirst()
                }
                steps.append(step)
                gradientChanges.append(change)
                curvatures.append(1 / curvature)
            }
            let improvement = value - candidateValue
            swap(&x, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            if improvement <= relativeImprovementTolerance * max(abs(value), 1) { break }
        }
        return (x, iteration)
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum: Double = 0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0..<pa.count { sum += pa[i] * pb[i] }
            }
        }
        return sum
    }

    private static func addScaled(_ target: inout [Double], _ source: [Double], _ scale: Double) {
        target.withUnsafeMutableBufferPointer { pt in
            source.withUnsafeBufferPointer { ps in
                for i in 0..<pt.count { pt[i] += scale * ps[i] }
            }
        }
    }
}
