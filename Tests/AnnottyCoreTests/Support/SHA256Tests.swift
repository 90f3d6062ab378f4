import AnnottyCore
import Testing

@Suite struct SHA256Tests {
    @Test func matchesTheFIPSTestVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func feedingInPiecesGivesTheSameDigest() {
        let text = String(repeating: "annotty é 😀 ", count: 40)
        var pieces = SHA256()
        for chunk in text.utf8.split(separator: 0x20, omittingEmptySubsequences: false).enumerated() {
            if chunk.offset > 0 { pieces.update([0x20]) }
            pieces.update(Array(chunk.element))
        }
        #expect(pieces.finalize().hexString == SHA256.hex(text))
    }
}
