import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";

describe("canonical JSON (RFC 8785 for strings, integers, booleans, null)", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: "注销" } })).toBe(
      '{"a":{"c":"注销","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it("gives the same bytes whatever the insertion order", () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("refuses numbers that other languages would print differently", () => {
    expect(() => canonicalJson({ amount: 1.5 })).toThrow(TypeError);
    expect(() => canonicalJson({ amount: 2 ** 60 })).toThrow(TypeError);
  });
});
