import { describe, expect, it } from "vitest";
import { Doorkeeper, ENTRY_OVERHEAD_BYTES, ownBytes, ReadCache } from "./read-cache.js";

/**
 * A cache over a mark the test moves, and a read that counts its calls. `prime` reads keys once
 * (an answer is kept from its key's second read on), then zeroes the counts.
 */
function setup(maxBytes = 1_000_000) {
  const state = { mark: "1" as string | null, reads: 0 };
  const cache = new ReadCache(() => state.mark, maxBytes);
  const read =
    (value: string, o: { until?: number; during?: () => void } = {}) =>
    async () => {
      state.reads++;
      o.during?.();
      return { value, until: o.until, size: value.length };
    };
  const prime = async (...keys: string[]) => {
    for (const k of keys) await cache.get(k, 0, read("first read"));
    state.reads = 0;
    cache.hits = 0;
    cache.misses = 0;
  };
  return { state, cache, read, prime };
}

describe("read cache", () => {
  it("answers from memory while the mark stays, and reads again once it moves", async () => {
    const { state, cache, read, prime } = setup();
    await prime("a");
    expect(await cache.get("a", 0, read("v1"))).toBe("v1");
    expect(await cache.get("a", 0, read("other"))).toBe("v1");
    expect(state.reads).toBe(1);
    state.mark = "2";
    // Read before: kept again at once after the change, without a second first read.
    expect(await cache.get("a", 0, read("v2"))).toBe("v2");
    expect(await cache.get("a", 0, read("other"))).toBe("v2");
    expect(state.reads).toBe(2);
    expect(cache.hits).toBe(2);
    expect(cache.misses).toBe(2);
  });

  it("keeps an answer from its key's second read on: reads never repeated keep nothing", async () => {
    const { state, cache, read } = setup();
    for (let i = 0; i < 1000; i++) await cache.get(`k${i}`, 0, read(`v${i}`));
    expect(cache.size).toBe(0);
    for (let i = 0; i < 1000; i++) expect(await cache.get(`k${i}`, 0, read(`w${i}`))).toBe(`w${i}`);
    expect(cache.size).toBe(1000);
    for (let i = 0; i < 1000; i++) expect(await cache.get(`k${i}`, 0, read("x"))).toBe(`w${i}`);
    expect(state.reads).toBe(2000);
    expect(cache.hits).toBe(1000);
  });

  it("does not keep an answer read while the mark moved (it may mix two states)", async () => {
    const { state, cache, read, prime } = setup();
    await prime("a");
    await cache.get(
      "a",
      0,
      read("torn", {
        during: () => {
          state.mark = "2";
        },
      }),
    );
    expect(await cache.get("a", 0, read("whole"))).toBe("whole");
    expect(await cache.get("a", 0, read("again"))).toBe("whole");
    expect(state.reads).toBe(2);
  });

  it("keeps a timed answer only until its instant, and never one that is already past", async () => {
    const { state, cache, read, prime } = setup();
    await prime("a");
    await cache.get("a", 100, read("before", { until: 200 }));
    expect(await cache.get("a", 199, read("x"))).toBe("before");
    expect(await cache.get("a", 200, read("after", { until: 0 }))).toBe("after");
    expect(await cache.get("a", 201, read("later"))).toBe("later");
    expect(state.reads).toBe(3);
  });

  it("keys answers apart", async () => {
    const { cache, read, prime } = setup();
    await prime("staff|a", "holder|a");
    await cache.get("staff|a", 0, read("full"));
    expect(await cache.get("holder|a", 0, read("masked"))).toBe("masked");
    expect(await cache.get("staff|a", 0, read("x"))).toBe("full");
  });

  it("stays within its bytes, dropping the oldest first", async () => {
    // Each entry costs its answer, its key and the overhead: room for four.
    const entry = 25 + 2 + ENTRY_OVERHEAD_BYTES;
    const { state, cache, read, prime } = setup(4 * entry);
    await prime("a", "b", "c", "d", "e", "big");
    for (const k of ["a", "b", "c", "d", "e"]) await cache.get(k, 0, read(k.repeat(25)));
    expect(cache.size).toBe(4);
    state.reads = 0;
    await cache.get("e", 0, read("x"));
    await cache.get("b", 0, read("x"));
    expect(state.reads).toBe(0);
    await cache.get("a", 0, read("a".repeat(25)));
    expect(state.reads).toBe(1);
    // Larger than a quarter of the whole: answered, not kept.
    await cache.get("big", 0, read("z".repeat(entry + 1)));
    await cache.get("big", 0, read("z".repeat(entry + 1)));
    expect(state.reads).toBe(3);
  });

  it("remembers nothing without a mark (PostgreSQL) or without memory", async () => {
    const none = setup();
    none.state.mark = null;
    await none.cache.get("a", 0, none.read("1"));
    await none.cache.get("a", 0, none.read("2"));
    expect(none.state.reads).toBe(2);
    const off = setup(0);
    await off.cache.get("a", 0, off.read("1"));
    expect(await off.cache.get("a", 0, off.read("2"))).toBe("2");
    expect(off.cache.hits).toBe(0);
  });

  it("does not remember a failed read", async () => {
    const { cache, read, prime } = setup();
    await prime("a");
    await expect(
      cache.get("a", 0, async () => {
        throw new Error("not found");
      }),
    ).rejects.toThrow("not found");
    expect(await cache.get("a", 0, read("found"))).toBe("found");
  });
});

describe("doorkeeper", () => {
  it("says whether a key was noted before", () => {
    const d = new Doorkeeper();
    expect(d.note("session|abc")).toBe(false);
    expect(d.note("session|abd")).toBe(false);
    expect(d.note("session|abc")).toBe(true);
    expect(d.note("session|abd")).toBe(true);
  });

  it("mistakes few new keys for seen ones when full, and starts empty again past its capacity", () => {
    const d = new Doorkeeper(20);
    // Nearly as full as it gets (its capacity is 2^17 keys), with room for the 10 000 asked next.
    for (let i = 0; i < 2 ** 17 - 10_001; i++) d.note(`application|staff:s1:agent:|app_${i}`);
    let wrong = 0;
    for (let i = 0; i < 10_000; i++) if (d.note(`application|holder:h${i}:holder:|app_x${i}`)) wrong++;
    // Three probes into 2^20 bits holding 2^17 keys: (1 - e^(-3/8))^3 ≈ 3.4 %.
    expect(wrong / 10_000).toBeGreaterThan(0.01);
    expect(wrong / 10_000).toBeLessThan(0.06);
    // More new keys push it past its capacity: it starts again, and forgets the first ones.
    for (let i = 0; i < 5000; i++) d.note(`session|t${i}`);
    let remembered = 0;
    for (let i = 0; i < 1000; i++) if (d.note(`application|staff:s1:agent:|app_${i}`)) remembered++;
    expect(remembered).toBeLessThan(100);
  });
});

describe("ownBytes", () => {
  it("keeps an answer in memory of its own size, not a slice of a shared slab", () => {
    const text = '{"status":"submitted","number":"ZX2611245VMBRQ"}';
    const kept = ownBytes(text);
    expect(kept.toString()).toBe(text);
    expect(kept.buffer.byteLength).toBe(Buffer.byteLength(text));
    // What Buffer.from does with a small string: a slice of a larger pool.
    expect(Buffer.from(text).buffer.byteLength).toBeGreaterThan(Buffer.byteLength(text));
  });
});
