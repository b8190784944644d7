// Drives the node's web explorer in Debian's Chromium: the status page, the transactions page, a DID
// lookup (short and long form) checked against what the node's API says, the credential page, the wallet
// request page (a presentation request's QR code and live status, answered by `ionode vc present`), all at a
// desktop width and at 375 px, failing on any console error or uncaught exception.
//
//   node explorer.mjs --node http://127.0.0.1:PORT --did did:ion:... --long-form did:ion:...:... \
//        --key-id '#key-1' --screenshot-dir DIR
//
// It prints one line per check and "N passed, N failed" at the end; the exit code is 1 on any failure.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";
import { execFile } from "node:child_process";

const { values: opt } = parseArgs({
  options: {
    node: { type: "string" },
    did: { type: "string" },
    "long-form": { type: "string" },
    "key-id": { type: "string" },
    vc: { type: "string" }, // a VC-JWT the DID issued, which the node must find valid
    ionode: { type: "string" }, // the ionode binary, the holder that answers the page's request
    "holder-key": { type: "string" },
    "holder-vc": { type: "string" }, // a VC-JWT the DID issued to the holder key's did:jwk
    issuer: { type: "string" }, // the DID of the node's issuer key, for the offer the page creates
    "screenshot-dir": { type: "string", default: "." },
    chromium: { type: "string", default: process.env.CHROMIUM || "/usr/bin/chromium" },
  },
});
for (const k of ["node", "did", "long-form", "key-id", "vc", "ionode", "holder-key", "holder-vc", "issuer"]) {
  if (!opt[k]) {
    console.error(`missing --${k}`);
    process.exit(2);
  }
}
// The admin token comes from the environment so that it is not on a command line.
const adminToken = process.env.ION_ADMIN_TOKEN;
if (!adminToken) {
  console.error("missing ION_ADMIN_TOKEN");
  process.exit(2);
}

const timeout = 30_000; // generous: two cores shared with the node, btcd and the test runner
let passed = 0;
let failed = 0;
function check(name, ok, detail) {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? ": " + detail : ""}`);
  }
}

// The node's own view, to compare the page with.
async function apiJSON(path) {
  const resp = await fetch(opt.node + path);
  return { status: resp.status, body: await resp.json() };
}

mkdirSync(opt["screenshot-dir"], { recursive: true });

// launch starts Chromium with the flags the environment needs and a fresh profile directory (playwright
// passes it as --user-data-dir).
async function launch(viewport) {
  const profile = mkdtempSync(join(tmpdir(), "ionode-explorer-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium,
    headless: true,
    timeout: 60_000,
    viewport,
    deviceScaleFactor: 1,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return { context, close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); } };
}

// watch records console errors, page errors and failed requests of one page. Chromium logs every 4xx or
// 5xx answer to a fetch, and every refused one, as a console error ("Failed to load resource"); those are
// expected only while the test looks up an unknown or malformed DID or breaks the API on purpose
// (expectHTTPErrors), and fail the run anywhere else.
function watch(page, label) {
  const problems = [];
  let expected = false;
  const httpError = /^Failed to load resource: (the server responded with a status of [45]\d\d|net::ERR_CONNECTION_REFUSED)/;
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    if (expected && httpError.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on("requestfailed", (req) => { if (!expected) problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`); });
  return {
    expectHTTPErrors: (on) => { expected = on; },
    done: () => check(`${label}: no console errors`, problems.length === 0, problems.join("; ")),
  };
}

async function run(label, viewport) {
  const { context, close } = await launch(viewport);
  try {
    await checkPage(label, context);
  } finally {
    await close();
  }
}

async function checkPage(label, context) {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(timeout);
  const consoleWatch = watch(page, label);

  // Status.
  await page.goto(opt.node + "/#status", { waitUntil: "load" });
  await page.locator("#status-cards").waitFor();
  const statusText = await page.locator("#status-body").innerText();
  const { body: status } = await apiJSON("/status");
  check(`${label}: status shows the network`, statusText.includes(status.network), statusText.slice(0, 200));
  check(`${label}: status shows Bitcoin connected`, /Bitcoin\s+connected/i.test(statusText), statusText.slice(0, 300));
  check(`${label}: status shows the synced height`, /synced height\s+[\d,]+ \/ [\d,]+/i.test(statusText), statusText.slice(0, 300));

  // Transactions: the newest row is the node's newest transaction.
  await page.locator('.tabs a[data-view="transactions"]').click();
  await page.locator("#tx-table .tx-row").first().waitFor();
  const { body: txs } = await apiJSON("/transactions?limit=1");
  const firstRow = await page.locator("#tx-table .tx-row").first().innerText();
  check(`${label}: transactions list the newest anchor`, txs.transactions.length > 0 && firstRow.includes(txs.transactions[0].transactionNumber) && firstRow.includes("create"), firstRow);

  // DID lookup, typed as a person would.
  await page.locator('.tabs a[data-view="did"]').click();
  await page.locator("#did-input").fill(opt.did);
  await page.locator("#did-search").click();
  await page.locator("#did-state").waitFor();
  const state = await page.locator("#did-state").innerText();
  check(`${label}: DID shows as published`, state === "published", state);
  const keyIds = await page.locator("#did-keys .key-id").allInnerTexts();
  const { body: resolved } = await apiJSON("/identifiers/" + encodeURIComponent(opt.did));
  const wantKeys = (resolved.didDocument.verificationMethod || []).map((k) => k.id);
  check(`${label}: rendered keys are the document's`, JSON.stringify(keyIds) === JSON.stringify(wantKeys) && keyIds.includes(opt["key-id"]), `page ${JSON.stringify(keyIds)}, API ${JSON.stringify(wantKeys)}`);
  const purposes = await page.locator(`#did-keys .key-row[data-key-id="${opt["key-id"]}"] .key-purposes`).innerText();
  const wantPurposes = ["authentication", "assertionMethod", "keyAgreement", "capabilityInvocation", "capabilityDelegation"]
    .filter((r) => (resolved.didDocument[r] || []).includes(opt["key-id"]));
  check(`${label}: key purposes rendered`, wantPurposes.length > 0 && wantPurposes.every((p) => purposes.includes(p)), `${purposes} vs ${wantPurposes}`);
  await page.locator("#did-history .history-row").first().waitFor();
  const history = await page.locator("#did-history").innerText();
  const appliedCells = await page.locator('#did-history td[data-outcome="applied"]').count();
  check(`${label}: history lists the anchored create as applied`, /create/.test(history) && /part of the DID's current state/.test(history) && appliedCells > 0, history);
  await page.screenshot({ path: join(opt["screenshot-dir"], `explorer-${label}.png`), fullPage: true });
  await page.locator("#did-raw-toggle").click();
  const raw = await page.locator("#did-raw").innerText();
  check(`${label}: raw JSON toggle shows the resolution result`, raw.includes('"didDocumentMetadata"') && raw.includes(opt.did), raw.slice(0, 100));

  // Nothing scrolls sideways (the 375 px check that matters to a phone user).
  const overflow = await page.evaluate(() => [document.documentElement, ...document.querySelectorAll(".table-wrap")]
    .map((e) => e.scrollWidth - e.clientWidth).filter((d) => d > 0));
  check(`${label}: no horizontal scrolling (page and tables)`, overflow.length === 0, `too wide by ${overflow.join(", ")} px`);

  // The long form of the same DID resolves to the same published DID.
  await page.locator("#did-input").fill(opt["long-form"]);
  await page.locator("#did-search").click();
  await page.waitForFunction((did) => {
    const id = document.getElementById("did-id");
    return id && id.textContent.length > did.length;
  }, opt.did);
  check(`${label}: long form accepted`, (await page.locator("#did-state").innerText()) === "published");

  // An unknown DID and a malformed one are sentences, not stacks.
  consoleWatch.expectHTTPErrors(true);
  await page.locator("#did-input").fill(opt.did.slice(0, -4) + "AAAA");
  await page.locator("#did-search").click();
  await page.locator("#did-result .notice.error").first().waitFor();
  const notFound = await page.locator("#did-result .notice.error").first().innerText();
  check(`${label}: unknown DID explained`, /knows no DID/.test(notFound), notFound);
  await page.locator("#did-input").fill(opt.did + ":!!");
  await page.locator("#did-search").click();
  await page.waitForFunction(() => /not a valid DID|refused/.test(document.querySelector("#did-result .notice.error")?.textContent || ""));
  const malformed = await page.locator("#did-result .notice.error").first().innerText();
  check(`${label}: malformed DID explained`, /\.$/.test(malformed.trim()) && !/Error:|at \w+ \(/.test(malformed), malformed);

  // Let the console messages of the failed lookups arrive before errors count again.
  await page.waitForTimeout(500);
  consoleWatch.expectHTTPErrors(false);

  // A DID of another method the node resolves renders too (no ION history, said plainly).
  const didKey = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
  await page.locator("#did-input").fill(didKey);
  await page.locator("#did-search").click();
  await page.waitForFunction((d) => document.getElementById("did-id")?.textContent === d, didKey);
  const keyState = await page.locator("#did-state").innerText();
  const keyRows = await page.locator("#did-keys .key-row").count();
  check(`${label}: did:key rendered`, keyState === "resolved" && keyRows === 1, `${keyState}, ${keyRows} keys`);

  // Credential check: a JWT that is not one is refused with the node's checks, or the page says the
  // node does not verify credentials.
  await page.locator('.tabs a[data-view="credential"]').click();
  await page.locator("#cred-jwt").fill("eyJhbGciOiJFUzI1NksifQ.e30.c2ln");
  await page.locator("#cred-verify").click();
  await page.locator("#cred-result .card, #cred-result .notice").first().waitFor();
  const verdict = await page.locator("#cred-result").innerText();
  check(`${label}: credential check answers`, /not valid|does not serve credential verification/.test(verdict), verdict.slice(0, 200));

  // A credential the DID issued: valid, with each check shown.
  await page.locator("#cred-jwt").fill(opt.vc);
  await page.locator("#cred-verify").click();
  await page.waitForFunction(() => /Credential valid/.test(document.querySelector("#cred-result [data-testid=verdict]")?.textContent || ""));
  const signature = await page.locator('#cred-result .check[data-check="signature"]').getAttribute("data-outcome");
  const shown = await page.locator("#cred-result").innerText();
  check(`${label}: issued credential verified with its checks`, signature === "pass" && shown.includes(opt.did), shown.slice(0, 300));
  if (label === "desktop") {
    await page.screenshot({ path: join(opt["screenshot-dir"], `explorer-credential.png`), fullPage: true });
  }

  await checkRequestPage(label, page, consoleWatch);

  // API failures are sentences: the node unreachable, and a node that fails inside.
  consoleWatch.expectHTTPErrors(true);
  await page.route("**/status", (route) => route.abort("connectionrefused"));
  await page.route("**/transactions?*", (route) => route.fulfill({ status: 500, contentType: "application/json", body: '{"code":"internal_error","message":"the node could not read its store"}' }));
  await page.locator('.tabs a[data-view="status"]').click();
  await page.locator("#status-body .notice.error").waitFor();
  const down = await page.locator("#status-body .notice.error").innerText();
  check(`${label}: unreachable node explained`, /could not be reached/.test(down), down);
  await page.locator('.tabs a[data-view="transactions"]').click();
  await page.locator("#tx-body .notice.error").waitFor();
  const failing = await page.locator("#tx-body .notice.error").innerText();
  check(`${label}: internal error explained`, /internal problem/.test(failing) && !/\{|stack|at \w+ \(/.test(failing), failing);
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.waitForTimeout(500);
  consoleWatch.expectHTTPErrors(false);

  consoleWatch.done();
}

// checkRequestPage creates a presentation request from the wallet request page and checks its QR code
// and live status; on the desktop run the holder answers it and the page must show the verified claims.
async function checkRequestPage(label, page, consoleWatch) {
  await page.locator('.tabs a[data-view="request"]').click();

  // A wrong token is refused with a sentence and nothing is shown.
  consoleWatch.expectHTTPErrors(true);
  await page.locator("#req-token").fill("not-the-token");
  await page.locator("#req-type").fill("VerifiedEmployee");
  await page.locator("#req-create").click();
  await page.locator("#req-result .notice.error").waitFor();
  const refused = await page.locator("#req-result .notice.error").innerText();
  check(`${label}: wrong admin token explained`, /refused the admin token/.test(refused), refused);
  await page.waitForTimeout(500);
  consoleWatch.expectHTTPErrors(false);

  await page.locator("#req-token").fill(adminToken);
  await page.locator("#req-issuer").fill(opt.did);
  await page.locator("#req-create").click();
  await page.locator("#req-qr").waitFor();
  const qr = await page.locator("#req-qr").evaluate((img) => ({ src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0 }));
  check(`${label}: request QR code is a PNG shown`, qr.ok && qr.src.startsWith("data:image/png;base64,"), qr.src.slice(0, 40));
  const url = await page.locator("#req-url").innerText();
  check(`${label}: request shows the wallet link`, url.startsWith("openid4vp://"), url);
  await page.waitForFunction(() => document.getElementById("req-status")?.dataset.status === "request_created");
  const id = await page.locator("#req-request-id").innerText();
  const statusOf = (id) => fetch(`${opt.node}/v1.0/verifiableCredentials/requests/${encodeURIComponent(id)}`,
    { headers: { Authorization: `Bearer ${adminToken}` } }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const { status: apiStatus, body: ev } = await statusOf(id);
  check(`${label}: request status is request_created`, apiStatus === 200 && ev.requestStatus === "request_created", JSON.stringify(ev));
  const leaked = await page.evaluate((t) => [location.href, document.cookie, JSON.stringify(localStorage), JSON.stringify(sessionStorage)].some((s) => s.includes(t)), adminToken);
  check(`${label}: admin token kept out of the URL and storage`, !leaked);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(`${label}: request page does not scroll sideways`, overflow <= 0, `too wide by ${overflow} px`);
  if (label !== "desktop") return;
  await page.screenshot({ path: join(opt["screenshot-dir"], "explorer-request.png"), fullPage: true });

  // The holder answers; the page follows the request to presentation_verified with the claims.
  const { stdout } = await promisify(execFile)(opt.ionode, ["vc", "present", "--holder-key", opt["holder-key"], "--holder-kid", "did:jwk",
    "--allow-loopback", "--request", url, opt["holder-vc"]], { timeout });
  check(`${label}: holder's presentation accepted`, /^accepted$/m.test(stdout), stdout);
  await page.waitForFunction(() => /^presentation_(verified|error)$/.test(document.getElementById("req-status")?.dataset.status || ""));
  const final = await page.locator("#req-status").getAttribute("data-status");
  const claim = await page.locator('#req-result .claim[data-claim="name"]').allInnerTexts();
  check(`${label}: page reaches presentation_verified with the claims`, final === "presentation_verified" && claim[0] === "Alice",
    (await page.locator("#req-live").innerText()).slice(0, 300) + " API: " + JSON.stringify(await statusOf(id)));
  await page.locator("#req-poll-note", { hasText: "ended" }).waitFor();
  let polls = 0;
  const count = (req) => { if (req.url().includes("/verifiableCredentials/requests/")) polls++; };
  page.on("request", count);
  await page.waitForTimeout(3000); // three polling periods
  page.off("request", count);
  check(`${label}: polling stops when the request ends`, polls === 0, `${polls} status reads after the end`);

  await checkWholeBody(label, page, statusOf);
  await checkOfferPage(label, page, statusOf);
}

// checkWholeBody creates a presentation request from a whole body written on the page (DCQL credential
// sets, which no field of the form builds: a passport or else the employee credential); the holder
// answers with its employee credential and the page follows the request to presentation_verified.
async function checkWholeBody(label, page, statusOf) {
  await page.locator("#req-advanced summary").click();
  await page.locator("#req-body").fill("[1]");
  await page.locator("#req-create").click();
  const bad = await page.locator("#req-result .notice.error").innerText();
  check(`${label}: a body that is not an object explained`, /must be a JSON object/.test(bad), bad);
  await page.locator("#req-body").fill(JSON.stringify({
    registration: { clientName: "explorer sets" },
    requestedCredentials: [{ id: "passport", type: "Passport" }, { id: "badge", type: "VerifiedEmployee", acceptedIssuers: [opt.did] }],
    ionode: { credentialSets: [{ options: [["passport"], ["badge"]] }] },
  }));
  await page.locator("#req-create").click();
  await page.locator("#req-qr").waitFor();
  const url = await page.locator("#req-url").innerText();
  await page.waitForFunction(() => document.getElementById("req-status")?.dataset.status === "request_created");
  const id = await page.locator("#req-request-id").innerText();
  const { stdout } = await promisify(execFile)(opt.ionode, ["vc", "present", "--holder-key", opt["holder-key"], "--holder-kid", "did:jwk",
    "--allow-loopback", "--request", url, opt["holder-vc"]], { timeout });
  check(`${label}: whole body: the holder answers the credential set's second option`, /^presented for badge/m.test(stdout) && /^accepted$/m.test(stdout), stdout);
  await page.waitForFunction(() => /^presentation_(verified|error)$/.test(document.getElementById("req-status")?.dataset.status || ""));
  const final = await page.locator("#req-status").getAttribute("data-status");
  check(`${label}: whole body: page reaches presentation_verified`, final === "presentation_verified", JSON.stringify(await statusOf(id)));
  await page.locator("#req-body").fill("");
  await page.locator("#req-advanced summary").click();
}

// checkOfferPage offers a credential with a PIN from the same page; the holder redeems it with the PIN
// shown and the page follows the request to issuance_successful with the holder as subject.
async function checkOfferPage(label, page, statusOf) {
  await page.locator('input[name="req-kind"][value="issuance"]').check();
  check(`${label}: offer form shown`, await page.locator("#req-claims").isVisible() && !(await page.locator("#req-issuer").isVisible()));
  await page.locator("#req-create").click();
  const noIssuer = await page.locator("#req-result .notice.error").innerText();
  check(`${label}: an offer without its issuer explained`, /Name the issuer/.test(noIssuer), noIssuer);
  await page.locator("#req-authority").fill(opt.issuer);
  await page.locator("#req-claims").fill("[1, 2]");
  await page.locator("#req-create").click();
  const bad = await page.locator("#req-result .notice.error").innerText();
  check(`${label}: claims that are not an object explained`, /must be a JSON object/.test(bad), bad);
  await page.locator("#req-claims").fill('{"name": "Bob"}');
  await page.locator("#req-pin").check();
  await page.locator("#req-create").click();
  await page.locator("#req-qr").waitFor();
  const url = await page.locator("#req-url").innerText();
  check(`${label}: offer shows the wallet link`, url.startsWith("openid-credential-offer://"), url);
  const pin = await page.locator("#req-pin-value").innerText();
  check(`${label}: offer shows a 4-digit PIN`, /^[0-9]{4}$/.test(pin), pin);
  await page.waitForFunction(() => document.getElementById("req-status")?.dataset.status === "request_created");
  const id = await page.locator("#req-request-id").innerText();
  // A wrong PIN is refused by the node; the right one, shown on the page, redeems the offer.
  const wrong = String((Number(pin) + 1) % 10000).padStart(4, "0");
  const receive = (txCode, out) => promisify(execFile)(opt.ionode, ["vc", "receive", "--holder-key", opt["holder-key"], "--holder-kid", "did:jwk",
    "--tx-code", txCode, "--out", out, "--allow-loopback", url], { timeout });
  const dir = mkdtempSync(join(tmpdir(), "explorer-offer-"));
  const refused = await receive(wrong, join(dir, "wrong.jwt")).then(() => false, (e) => /invalid_grant|tx_code|PIN/i.test(String(e.stderr || e.message)));
  check(`${label}: a wrong PIN is refused`, refused);
  // The wrong PIN locks the code for a second.
  await page.waitForTimeout(1500);
  try {
    await receive(pin, join(dir, "issued.jwt"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.waitForFunction(() => /^issuance_(successful|error)$/.test(document.getElementById("req-status")?.dataset.status || ""));
  const final = await page.locator("#req-status").getAttribute("data-status");
  const subject = await page.locator("#req-subject").innerText().catch(() => "");
  check(`${label}: page reaches issuance_successful with the holder as subject`, final === "issuance_successful" && subject.startsWith("did:jwk:"),
    (await page.locator("#req-live").innerText()).slice(0, 300) + " API: " + JSON.stringify(await statusOf(id)));
  await page.locator('input[name="req-kind"][value="presentation"]').check();
}

try {
  await run("desktop", { width: 1280, height: 900 });
  await run("375px", { width: 375, height: 812 });
} catch (e) {
  failed++;
  console.log(`FAIL the browser run stopped: ${e.message.split("\n")[0]}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
