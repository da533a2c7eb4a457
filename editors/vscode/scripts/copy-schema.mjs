// Copies the behavior-profile JSON Schema from the pipeline package into the extension, so
// the .vsix carries the schema of the same checkout (the copy is never committed).
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const name = "behavior-profile-1.0.schema.json";
const source = join(here, "..", "..", "..", "pipeline", "svgx_pipeline", "schemas", name);
const target = join(here, "..", "schemas", name);
if (!existsSync(source)) {
  console.error(`copy-schema: ${source} is missing; the behavior-profile schema cannot be bundled`);
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
