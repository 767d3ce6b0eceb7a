// Writes the committed generated artefacts: docs/errors.md and docs/openapi.json.
import { writeFileSync } from "node:fs";
import { errorsMarkdown } from "../src/http/generated-docs.js";
import { openApiDocument } from "../test/support/openapi.js";

writeFileSync("docs/errors.md", errorsMarkdown());
writeFileSync("docs/openapi.json", `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
process.stdout.write("wrote docs/errors.md and docs/openapi.json\n");
