import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CATALOGUE } from "../src/app/errors.js";
import { errorsMarkdown } from "../src/http/generated-docs.js";
import { openApiDocument } from "./support/openapi.js";

describe("generated artefacts are committed and current (`npm run gen`)", () => {
  it("docs/errors.md matches the error catalogue", () => {
    expect(readFileSync("docs/errors.md", "utf8")).toBe(errorsMarkdown());
  });

  it("docs/openapi.json matches what the server serves", async () => {
    const committed = JSON.parse(readFileSync("docs/openapi.json", "utf8"));
    expect(await openApiDocument()).toEqual(committed);
  });

  it("every catalogue entry has both languages, a 4xx/5xx status and a reason", () => {
    for (const [code, e] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(e.status).toBeGreaterThanOrEqual(400);
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en.length).toBeGreaterThan(3);
      expect(e.when.length).toBeGreaterThan(10);
    }
  });
});
