// Validates node/openapi.json against the official OpenAPI 3.1 JSON schema (with its JSON Schema 2020-12
// dialect), through @seriousme/openapi-schema-validator. Run by scripts/explorer-e2e.sh.
//   node openapi.mjs path/to/openapi.json
import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";

const file = process.argv[2];
const doc = JSON.parse(readFileSync(file, "utf8"));
const validator = new Validator();
const res = await validator.validate(doc);
if (validator.version !== "3.1") {
  console.log(`FAIL ${file}: OpenAPI version ${validator.version}, want 3.1`);
  process.exit(1);
}
if (!res.valid) {
  console.log(`FAIL ${file} is not a valid OpenAPI 3.1 document:`);
  console.log(JSON.stringify(res.errors, null, 2));
  process.exit(1);
}
console.log(`ok   ${file} is a valid OpenAPI ${validator.version} document (${Object.keys(doc.paths).length} paths)`);
