// Writes the committed generated artefacts: docs/errors.md, docs/openapi.json and the SQL per
// dialect in test/snapshots/sql/.
import { writeFileSync } from "node:fs";
import { errorsMarkdown } from "../src/http/generated-docs.js";
import { openApiDocument } from "../test/support/openapi.js";
import { writeSqlSnapshots } from "./sql-snapshots.js";

writeFileSync("docs/errors.md", errorsMarkdown());
writeFileSync("docs/openapi.json", `${JSON.stringify(await openApiDocument(), null, 2)}\n`);
await writeSqlSnapshots();
process.stdout.write("wrote docs/errors.md, docs/openapi.json and test/snapshots/sql/\n");
