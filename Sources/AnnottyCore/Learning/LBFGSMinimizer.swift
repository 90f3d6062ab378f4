/// Limited-memory BFGS for smooth convex objectives, with a backtracking Armijo line search.
/// Deterministic: no randomness anywhere, so the same data gives the same model. Vector loops use
/// raw pointers so that debug builds (tests) stay usable on hundreds of thousands of parameters.
struct LBFGSMinimizer {
    var historySize = 10
    var maximumIterations = 100
    /// Stop when the largest gradient component falls below this.
    var gradientTolerance = 1e-5
    /// Stop when the objective improved by less than this fraction per iteration, on average over
    /// the last `improvementWindow` iterations. A looser 1e-4 over 5 iterations cost about 0.02 of
    /// accuracy along the TREC-6 learning curves, so the model is fitted tightly (and the iteration
    /// cap is what bounds the time on thousands of labels).
    var relativeImprovementTolerance = 1e-7
    var improvementWindow = 1

    /// Minimises `objective`, which writes the gradient into its second argument and returns the value.
    /// Returns the minimiser and the number of iterations used.
    func minimize(start: [Double], objective: ([Double], inout [Double]) -> Double) -> (point: [Double], iterations: Int) {
        let n = start.count
        var x = start
        var gradient = [Double](repeating: 0, count: n)
        var value = objective(x, &gradient)
        var steps: [[Double]] = []           // s_k = x_{k+1} - x_k
        var gradientChanges: [[Double]] = [] // y_k = g_{k+1} - g_k
        var curvatures: [Double] = []        // 1 / (y_k · s_k)
        var direction = [Double](repeating: 0, count: n)
        var candidate = [Double](repeating: 0, count: n)
        var candidateGradient = [Double](repeating: 0, count: n)
        var iteration = 0
        var recentValues = [value]

        while iteration < maximumIterations {
            if Self.largestMagnitude(gradient) < gradientTolerance { break }
            iteration += 1

            // Two-loop recursion: direction = -H * gradient.
            Self.assign(&direction, scale: -1, gradient)
            var alphas = [Double](repeating: 0, count: steps.count)
            for k in stride(from: steps.count - 1, through: 0, by: -1) {
                let alpha = curvatures[k] * Self.dot(steps[k], direction)
                alphas[k] = alpha
                Self.addScaled(&direction, gradientChanges[k], -alpha)
            }
            if let lastStep = steps.last, let lastChange = gradientChanges.last {
                let scale = Self.dot(lastStep, lastChange) / Self.dot(lastChange, lastChange)
                Self.scale(&direction, by: scale)
            }
            for k in 0..<steps.count {
                let beta = curvatures[k] * Self.dot(gradientChanges[k], direction)
                Self.addScaled(&direction, steps[k], alphas[k] - beta)
            }

            var slope = Self.dot(gradient, direction)
            if slope >= 0 { // not a descent direction: restart from steepest descent
                steps.removeAll(); gradientChanges.removeAll(); curvatures.removeAll()
                Self.assign(&direction, scale: -1, gradient)
                slope = Self.dot(gradient, direction)
            }
            var stepLength = steps.isEmpty ? min(1, 1 / max(Self.dot(gradient, gradient).squareRoot(), 1e-12)) : 1
            var candidateValue = value
            var accepted = false
            for _ in 0..<40 {
                Self.assign(&candidate, scale: 1, x)
                Self.addScaled(&candidate, direction, stepLength)
                candidateValue = objective(candidate, &candidateGradient)
                if candidateValue <= value + 1e-4 * stepLength * slope { accepted = true; break }
                stepLength *= 0.5
            }
            if !accepted { break }

            var step = candidate
            Self.addScaled(&step, x, -1)
            var change = candidateGradient
            Self.addScaled(&change, gradient, -1)
            let curvature = Self.dot(change, step)
            if curvature > 1e-12 {
                if steps.count == historySize {
                    steps.removeFirst(); gradientChanges.removeFirst(); curvatures.removeFirst()
                }
                steps.append(step)
                gradientChanges.append(change)
                curvatures.append(1 / curvature)
            }
            swap(&x, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            recentValues.append(value)
            if recentValues.count > improvementWindow {
                let earlier = recentValues.removeFirst()
                let perIteration = (earlier - value) / Double(improvementWindow)
                if perIteration <= relativeImprovementTolerance * max(abs(value), 1) { break }
            }
        }
        return (x, iteration)
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum: Double = 0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                guard let p = pa.baseAddress, let q = pb.baseAddress else { return }
                var i = 0
                let n = pa.count
                while i < n { sum += p[i] * q[i]; i += 1 }
            }
        }
        return sum
    }

    private static func largestMagnitude(_ a: [Double]) -> Double {
        var largest: Double = 0
        a.withUnsafeBufferPointer { pa in
            guard let p = pa.baseAddress else { return }
            var i = 0
            let n = pa.count
            while i < n { largest = max(largest, abs(p[i])); i += 1 }
        }
        return largest
    }

    /// target += scale * source
    private static func addScaled(_ target: inout [Double], _ source: [Double], _ scale: Double) {
        target.withUnsafeMutableBufferPointer { pt in
            source.withUnsafeBufferPointer { ps in
                guard let t = pt.baseAddress, let s = ps.baseAddress else { return }
                var i = 0
                let n = pt.count
                while i < n { t[i] += scale * s[i]; i += 1 }
            }
        }
    }

    private static func scale(_ target: inout [Double], by factor: Double) {
        target.withUnsafeMutableBufferPointer { pt in
            guard let t = pt.baseAddress else { return }
            var i = 0
            let n = pt.count
            while i < n { t[i] *= factor; i += 1 }
        }
    }

    /// target = scale * source
    private static func assign(_ target: inout [Double], scale: Double, _ source: [Double]) {
        target.withUnsafeMutableBufferPointer { pt in
            source.withUnsafeBufferPointer { ps in
                guard let t = pt.baseAddress, let s = ps.baseAddress else { return }
                var i = 0
                let n = pt.count
                while i < n { t[i] = scale * s[i]; i += 1 }
            }
        }
    }
}
