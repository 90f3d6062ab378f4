import AnnottyCore
import Testing

/// One rounding rule for every printed figure: half away from zero, on the number as written.
@Suite struct DecimalFormatTests {
    @Test func halvesRoundAwayFromZeroOnTheDecimalValue() {
        // 735/800 is stored as 0.918749999…; printf's %.4f gives 0.9187.
        #expect(DecimalFormat.fixed(735.0 / 800.0, places: 4) == "0.9188")
        #expect(DecimalFormat.fixed(0.125, places: 2) == "0.13")
        #expect(DecimalFormat.fixed(-0.125, places: 2) == "-0.13")
        #expect(DecimalFormat.fixed(2.5, places: 0) == "3")
        #expect(DecimalFormat.fixed(0.1 + 0.2, places: 1) == "0.3")
    }

    @Test func padsToThePlacesAskedForAndHandlesEdges() {
        #expect(DecimalFormat.fixed(1, places: 3) == "1.000")
        #expect(DecimalFormat.fixed(0.5, places: 3) == "0.500")
        #expect(DecimalFormat.fixed(-0.00001, places: 2) == "0.00")
        #expect(DecimalFormat.fixed(1234567.891, places: 1) == "1234567.9")
        #expect(DecimalFormat.fixed(.nan, places: 2) == "nan")
        #expect(DecimalFormat.percent(735.0 / 800.0, places: 2) == "91.88%")
        #expect(DecimalFormat.percent(0.91875) == "91.9%")
    }
}
