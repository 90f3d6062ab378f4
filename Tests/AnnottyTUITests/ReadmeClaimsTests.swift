import AnnottyTestSupport
import Foundation
import Testing
@testable import AnnottyTUI

/// What the README promises about the labeling screen is what the code does.
@Suite struct ReadmeClaimsTests {
    static func readme() throws -> String {
        try String(contentsOf: SharedDatasets.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    @Test func theStatedMinimumSizeIsTheLayoutsMinimum() throws {
        let text = try Self.readme().replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("Below \(LabelingLayout.minimumColumns)x\(LabelingLayout.minimumRows)"))
        #expect(text.contains("fewer than \(["zero", "one", "two", "three", "four"][LabelingLayout.minimumItemRows]) rows for the item"))
    }

    @Test func theKeyPresetTheReadmeNamesExists() throws {
        let text = try Self.readme()
        #expect(text.contains("preset = \"prodigy\""))
        #expect(Keymap.presets["prodigy"] != nil)
    }
}
