import { decodeTime } from "ulid"
import { newEntityId } from "../entity-id"

describe("newEntityId", () => {
  it("has Medusa's shape: prefix, then a ULID whose time part is the creation time", () => {
    const now = Date.UTC(2026, 10, 25, 15, 40, 0, 123)
    const id = newEntityId("fwcb", now)
    expect(id).toMatch(/^fwcb_[0-9A-HJKMNP-TV-Z]{26}$/)
    expect(decodeTime(id.slice(5))).toBe(now)
  })

  it("sorts by creation time like Medusa's ids", () => {
    const earlier = newEntityId("fwcb", 1_700_000_000_000)
    const later = newEntityId("fwcb", 1_700_000_000_001)
    expect(earlier < later).toBe(true)
  })

  it("draws 80 random bits: 10,000 ids in one millisecond are all different and use the whole alphabet", () => {
    const ids = Array.from({ length: 10_000 }, () => newEntityId("fwcb", 1_700_000_000_000))
    expect(new Set(ids).size).toBe(ids.length)
    const lastCharacters = new Set(ids.map((id) => id.at(-1)))
    expect(lastCharacters.size).toBe(32)
  })
})
