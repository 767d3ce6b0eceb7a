/** Builds the OpenAPI document from a server on an empty temporary database. */
import { Harness } from "./harness.js";

export async function openApiDocument(): Promise<unknown> {
  const h = await Harness.start({ seed: false });
  try {
    const r = await h.inject({ method: "GET", url: "/openapi.json" });
    return r.json();
  } finally {
    await h.close();
  }
}
