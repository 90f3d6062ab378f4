import Testing
import AnnottyCore
@testable import AnnottyTUI

@Test func scratch() {
    let item = Fixtures.item(17, "The battery lasts all day and the screen is bright. I would buy it again without a second thought.", externalId: "rev-17")
    var state = Fixtures.state(current: QueuedItem(item: item, prediction: Fixtures.prediction(itemId: 17, label: "positive", confidence: 0.87)))
    print(Fixtures.render(state).text)
    state.size = ScreenSize(rows: 60, columns: 200)
    print(Fixtures.render(state).text)
    state.size = ScreenSize(rows: 24, columns: 80)
    state.overlay = .help(scroll: 0)
    print(Fixtures.render(state).text)
    state.overlay = .guidelines(scroll: 0)
    print(Fixtures.render(state).text)
    state.overlay = .flagNote("too vague")
    print(Fixtures.render(state).text)
    state.size = ScreenSize(rows: 10, columns: 40)
    print(Fixtures.render(state).text)
}
