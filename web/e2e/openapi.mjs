// Checks node/openapi.json: it must be a valid OpenAPI 3.1 document (the official schema, through
// @seriousme/openapi-schema-validator), and with --node, the answers of a running node must match the
// response schemas it declares (JSON Schema 2020-12, through Ajv). Run by scripts/explorer-e2e.sh.
//   node openapi.mjs path/to/openapi.json [--node http://127.0.0.1:PORT --did did:ion:...]
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values: opt, positionals } = parseArgs({ allowPositionals: true, options: { node: { type: "string" }, did: { type: "string" } } });
const file = positionals[0];
const doc = JSON.parse(readFileSync(file, "utf8"));
let failed = 0;
let passed = 0;
const report = (ok, line, detail) => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${line}`);
  if (!ok && detail) console.log(detail);
};

const validator = new Validator();
const res = await validator.validate(doc);
report(res.valid && validator.version === "3.1", `${file} is a valid OpenAPI 3.1 document (${Object.keys(doc.paths).length} paths)`,
  res.valid ? `version ${validator.version}` : JSON.stringify(res.errors, null, 2));

if (opt.node) {
  // Each schema is compiled inside a wrapper that carries the document's components, so the document's
  // own references (#/components/schemas/...) resolve.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const schemaFor = (path, method, status) => {
    if (!doc.paths[path]) return null;
    const op = doc.paths[path]?.[method];
    const content = op?.responses?.[String(status)]?.content;
    if (!content) return null;
    const media = content["application/json"] || Object.values(content)[0];
    return media?.schema ? { ...media.schema, components: doc.components } : null;
  };
  const did = opt.did ? encodeURIComponent(opt.did) : "";
  const samples = [
    ["/version", "/version"],
    ["/status", "/status"],
    ["/readyz", "/readyz"],
    ["/readyz", "/readyz?check=nonsense"],
    ["/transactions", "/transactions?limit=5"],
    ["/transactions", "/transactions?limit=0"],
    ["/identifiers/{did}", did ? `/identifiers/${did}` : null],
    ["/identifiers/{did}", "/identifiers/did%3Aion%3AEiA%3A!!"],
    ["/identifiers/{did}/operations", did ? `/identifiers/${did}/operations` : null],
    ["/identifiers/{did}/operations", "/identifiers/did%3Afoo%3Abar/operations"],
    ["/1.0/identifiers/{did}", did ? `/1.0/identifiers/${did}` : null],
  ];
  // Verification answers 200 with valid false for a JWT that is not one; a body that is not JSON is a 400.
  const post = (path, body) => [path, path, { method: "POST", headers: { "Content-Type": "application/json" }, body }];
  samples.push(post("/credentials/verify", '{"jwt":"eyJhbGciOiJFUzI1NksifQ.e30.c2ln"}'), post("/credentials/verify", "not json"),
    post("/presentations/verify", '{"jwt":"x","nonce":"n","audience":"a"}'));
  for (const [path, url, init] of samples) {
    if (!url) continue;
    const method = (init?.method || "GET").toLowerCase();
    const resp = await fetch(opt.node + url, init);
    const body = await resp.json();
    const schema = schemaFor(path, method, resp.status);
    const line = `${method.toUpperCase()} ${url} (${resp.status})`;
    if (!schema) {
      report(false, `${line}: this status is not documented for ${path}`);
      continue;
    }
    const valid = ajv.validate(schema, body);
    report(valid, `${line} matches the documented schema`, JSON.stringify(ajv.errors, null, 2));
  }
}
console.log(`openapi: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
