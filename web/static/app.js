// ionode explorer: plain JavaScript over the node's public HTTP API. Everything the API returns is put
// on the page as text (textContent), never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  // el builds an element: attributes (class, href, data-*, ...) and children (nodes or strings).
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else e.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function notice(kind, sentence) {
    return el("div", { class: "notice " + kind, role: kind === "error" ? "alert" : "status" }, sentence);
  }

  // APIError carries a sentence fit to show a person.
  class APIError extends Error {
    constructor(sentence, status, code) {
      super(sentence);
      this.status = status;
      this.code = code;
    }
  }

  // Known error codes, said plainly; anything else is shown with the node's own message.
  const codeSentences = {
    did_not_found: "This node knows no DID with that identifier: it was never anchored, or the node has not synced the block that anchors it yet.",
    did_incorrect_format: "That is not a valid DID. A did:ion DID looks like did:ion:EiA… (long-form DIDs carry a second part after a colon).",
    invalid_parameter: null, // the message is already a sentence
    internal_error: "The node could not answer because of an internal problem; its log has the details.",
  };

  // sentence turns a message into one sentence; a bare error code becomes words.
  function sentence(m) {
    m = m.trim();
    if (/^[a-z0-9_]+$/.test(m)) m = m.replace(/_/g, " ");
    return m.charAt(0).toLowerCase() + m.slice(1) + (/[.!?]$/.test(m) ? "" : ".");
  }

  function sentenceFor(status, body) {
    body = body && typeof body === "object" ? body : {};
    // The Request Service API nests its error as Entra does: {error: {code, message, innererror}}.
    if (body.error && typeof body.error === "object") {
      const inner = body.error.innererror || {};
      body = { code: inner.code || body.error.code, message: inner.message || body.error.message };
    }
    const code = typeof body.code === "string" ? body.code : "";
    const meta = body.didResolutionMetadata || {};
    const message = [body.message, body.error, meta.errorMessage, meta.error].find((m) => typeof m === "string" && m) || "";
    if (codeSentences[code]) return codeSentences[code];
    // ION's DID parsing errors (did_…, encoder_…, long-form initial state) all mean a malformed DID.
    if (status === 400 && /^(did_|encoder_|multihash_)/.test(code)) {
      return "That is not a valid DID: " + sentence(message || code);
    }
    if (message) return "The node refused the request: " + sentence(message);
    if (status === 404) return "The node does not serve this.";
    if (status === 429) return "The node is limiting requests from this address; wait a moment and try again.";
    if (status === 503) return "The node is not ready to answer yet (it may still be syncing); try again shortly.";
    if (status >= 500) return "The node failed to answer (HTTP " + status + "); its log has the details.";
    return "The node answered with an unexpected HTTP status " + status + ".";
  }

  // api fetches JSON from the node. Resolves with {status, body}; rejects with an APIError whose message
  // is a sentence. okStatuses lists non-2xx statuses that still carry a useful body (410: deactivated).
  async function api(path, options, okStatuses) {
    let resp;
    try {
      resp = await fetch(path, Object.assign({ headers: { Accept: "application/json" }, cache: "no-store" }, options || {}));
    } catch (e) {
      throw new APIError("The node could not be reached. Check that it is running and that this page was opened from it.", 0, "");
    }
    let body = null;
    const text = await resp.text();
    if (text) {
      try { body = JSON.parse(text); } catch (e) { body = null; }
    }
    if (resp.ok || (okStatuses || []).includes(resp.status)) {
      if (body === null && text) throw new APIError("The node answered with something that is not JSON.", resp.status, "");
      return { status: resp.status, body };
    }
    const inner = body && body.error && typeof body.error === "object" ? body.error.innererror || body.error : {};
    throw new APIError(sentenceFor(resp.status, body), resp.status, (body && body.code) || inner.code);
  }

  function fmtNumber(n) {
    return typeof n === "number" ? n.toLocaleString("en-US") : String(n);
  }

  // ---------------------------------------------------------------- views and routing

  const views = ["status", "transactions", "did", "credential", "request"];
  let statusTimer = null;

  function route() {
    const hash = decodeURIComponent(location.hash.replace(/^#/, ""));
    let [view, arg] = [hash, ""];
    const sep = hash.indexOf("=");
    if (sep >= 0) [view, arg] = [hash.slice(0, sep), hash.slice(sep + 1)];
    if (!views.includes(view)) view = "status";
    for (const v of views) {
      $("view-" + v).hidden = v !== view;
      const tab = document.querySelector('.tabs a[data-view="' + v + '"]');
      if (v === view) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    clearInterval(statusTimer);
    statusTimer = null;
    if (view === "status") {
      loadStatus();
      statusTimer = setInterval(loadStatus, 10000);
    } else if (view === "transactions") {
      loadTransactions(arg, true);
    } else if (view === "did" && arg) {
      $("did-input").value = arg;
      lookup(arg);
    }
  }

  // ---------------------------------------------------------------- status

  function card(label, value, sub, cls) {
    return el("div", { class: "card" },
      el("div", { class: "label" }, label),
      el("div", { class: "value " + (cls || "") }, value),
      sub ? el("div", { class: "sub" }, sub) : null);
  }

  function checkCard(label, check, absent) {
    if (!check) return card(label, absent, null, "muted");
    return check.ok ? card(label, "connected", null, "ok") : card(label, "unreachable", check.error || "", "bad");
  }

  async function loadStatus() {
    const target = $("status-body");
    try {
      const { body: s } = await api("/status");
      const badge = $("node-badge");
      badge.textContent = s.network + " · " + s.version;
      badge.hidden = false;
      const cards = [
        card("Network", s.network, "did:" + s.didMethod + " · protocol " + s.protocolVersion),
        card("Version", s.version, s.name),
      ];
      if (s.sync) {
        const pct = Math.floor(s.sync.progress * 1000) / 10;
        const syncCard = card("Synced height", fmtNumber(s.sync.height) + " / " + fmtNumber(s.sync.tip),
          s.sync.ready ? "ready · " + fmtNumber(s.sync.blocksBehind) + " blocks behind" : "not ready: " + (s.sync.notReadyReason || "syncing"),
          s.sync.ready ? "ok" : "warn");
        syncCard.append(el("progress", { max: "100", value: String(pct), "aria-label": "sync progress " + pct + "%" }));
        cards.push(syncCard,
          card("Sync progress", pct + "%", fmtNumber(Math.round(s.sync.blocksPerSecond * 10) / 10) + " blocks/s"),
          card("Operations per second", fmtNumber(Math.round(s.sync.operationsPerSecond))));
      } else {
        cards.push(card("Chain", "not followed", "a read-only resolver", "muted"));
      }
      cards.push(s.queue ? card("Queue depth", fmtNumber(s.queue.depth), "operations waiting to be anchored")
        : card("Queue depth", "—", "this node accepts no operations", "muted"));
      cards.push(checkCard("IPFS (CAS)", s.connectivity.cas, "not used"), checkCard("Bitcoin", s.connectivity.bitcoin, "not used"));
      cards.push(card("Accepts operations", s.acceptsOperations ? "yes" : "no"));
      target.replaceChildren(el("div", { class: "cards", id: "status-cards" }, cards),
        el("p", { class: "muted" }, "Updated " + new Date(s.time).toLocaleTimeString() + "; refreshes every 10 s."));
    } catch (e) {
      target.replaceChildren(notice("error", e.message));
    }
  }

  // ---------------------------------------------------------------- transactions

  let txNext = null;

  function cidLink(cid) {
    return el("a", { href: "/ipfs/" + encodeURIComponent(cid), class: "mono", title: "fetch from this node's IPFS gateway" }, cid);
  }

  function txRow(tx) {
    const ops = Object.entries(tx.operations).filter(([, n]) => n > 0)
      .map(([type, n]) => el("span", { class: "pill" }, type + " " + n));
    const f = tx.files;
    const files = el("div", { class: "stack" },
      el("div", null, "core index ", cidLink(f.coreIndexFile)),
      f.coreProofFile ? el("div", null, "core proof ", cidLink(f.coreProofFile)) : null,
      f.provisionalIndexFile ? el("div", null, "provisional index ", cidLink(f.provisionalIndexFile)) : null,
      f.provisionalProofFile ? el("div", null, "provisional proof ", cidLink(f.provisionalProofFile)) : null,
      f.chunkFile ? el("div", null, "chunk ", cidLink(f.chunkFile)) : null,
      f.complete ? null : el("div", { class: "muted" }, "(other files not available on this node now)"));
    return el("tr", { class: "tx-row" },
      el("td", { "data-label": "Transaction", class: "mono" }, tx.transactionNumber),
      el("td", { "data-label": "Block" }, fmtNumber(tx.blockHeight)),
      el("td", { "data-label": "Bitcoin txid", class: "mono" }, tx.txid || el("span", { class: "muted" }, "not known")),
      el("td", { "data-label": "Operations" }, ops.length ? ops : el("span", { class: "muted" }, "none stored"),
        tx.storedOperations !== tx.declaredOperations ? el("div", { class: "muted" }, tx.declaredOperations + " declared") : null),
      el("td", { "data-label": "Batch files" }, files),
      el("td", { "data-label": "Fee (sat)" }, fmtNumber(tx.feePaid)));
  }

  async function loadTransactions(before, fresh) {
    const target = $("tx-body");
    const more = $("tx-more");
    if (fresh) target.replaceChildren(el("p", { class: "muted" }, "Loading…"));
    more.disabled = true;
    try {
      const q = "/transactions?limit=20" + (before ? "&before=" + encodeURIComponent(before) : "");
      const { body } = await api(q);
      txNext = body.next || null;
      let tbody = target.querySelector("tbody");
      if (fresh || !tbody) {
        if (body.transactions.length === 0) {
          target.replaceChildren(notice("info", "This node has not processed any anchor transaction yet."));
          more.hidden = true;
          return;
        }
        tbody = el("tbody");
        target.replaceChildren(el("div", { class: "table-wrap" }, el("table", { class: "stacked", id: "tx-table" },
          el("thead", null, el("tr", null, ["Transaction", "Block", "Bitcoin txid", "Operations", "Batch files", "Fee (sat)"].map((h) => el("th", null, h)))),
          tbody)));
      }
      for (const tx of body.transactions) tbody.append(txRow(tx));
      more.hidden = !txNext;
    } catch (e) {
      target.replaceChildren(notice("error", e.message));
      more.hidden = true;
    } finally {
      more.disabled = false;
    }
  }

  // ---------------------------------------------------------------- DID lookup

  function didState(res) {
    const meta = res.didDocumentMetadata || {};
    const method = meta.method || {};
    if (meta.deactivated) return { text: "deactivated", cls: "bad" };
    // Publishing is ION's notion; a DID of another method (did:web, did:key, did:jwk) simply resolved.
    if (!/^did:ion:/.test((res.didDocument || {}).id || "")) return { text: "resolved", cls: "ok" };
    return method.published ? { text: "published", cls: "ok" } : { text: "not published", cls: "warn" };
  }

  function renderDocument(res, status) {
    const doc = res.didDocument || {};
    const meta = res.didDocumentMetadata || {};
    const state = didState(res);
    const out = [];
    out.push(el("dl", { class: "meta" },
      el("dt", null, "DID"), el("dd", { class: "mono", id: "did-id" }, doc.id || ""),
      el("dt", null, "State"), el("dd", null, el("span", { class: "state " + state.cls, id: "did-state" }, state.text),
        status === 410 ? " (the DID was deactivated; its keys and services are gone)" : ""),
      meta.canonicalId ? [el("dt", null, "Canonical ID"), el("dd", { class: "mono" }, meta.canonicalId)] : null,
      meta.equivalentId ? [el("dt", null, "Equivalent ID"), el("dd", { class: "mono" }, meta.equivalentId.join(", "))] : null,
      meta.method && meta.method.recoveryCommitment ? [el("dt", null, "Recovery commitment"), el("dd", { class: "mono" }, meta.method.recoveryCommitment)] : null,
      meta.method && meta.method.updateCommitment ? [el("dt", null, "Update commitment"), el("dd", { class: "mono" }, meta.method.updateCommitment)] : null));

    // Purposes are the verification relationships that name each key.
    const relationships = ["authentication", "assertionMethod", "keyAgreement", "capabilityInvocation", "capabilityDelegation"];
    const keys = doc.verificationMethod || [];
    out.push(el("h3", null, "Keys (" + keys.length + ")"));
    if (keys.length === 0) {
      out.push(el("p", { class: "muted" }, "The document has no keys."));
    } else {
      const rows = keys.map((k) => {
        const purposes = relationships.filter((r) => Array.isArray(doc[r]) && doc[r].includes(k.id));
        const jwk = k.publicKeyJwk || {};
        return el("tr", { class: "key-row", "data-key-id": k.id },
          el("td", { "data-label": "ID", class: "mono key-id" }, k.id),
          el("td", { "data-label": "Type" }, k.type || ""),
          el("td", { "data-label": "Purposes", class: "key-purposes" }, purposes.length ? purposes.map((p) => el("span", { class: "pill" }, p)) : el("span", { class: "muted" }, "none")),
          el("td", { "data-label": "Public key", class: "mono" }, k.publicKeyMultibase ? k.publicKeyMultibase
            : [jwk.kty, jwk.crv].filter(Boolean).join(" ") + (jwk.x ? " x=" + jwk.x : "")));
      });
      out.push(el("div", { class: "table-wrap" }, el("table", { class: "stacked", id: "did-keys" },
        el("thead", null, el("tr", null, ["ID", "Type", "Purposes", "Public key"].map((h) => el("th", null, h)))),
        el("tbody", null, rows))));
    }

    const services = doc.service || [];
    out.push(el("h3", null, "Services (" + services.length + ")"));
    if (services.length === 0) {
      out.push(el("p", { class: "muted" }, "The document has no services."));
    } else {
      out.push(el("div", { class: "table-wrap" }, el("table", { class: "stacked", id: "did-services" },
        el("thead", null, el("tr", null, ["ID", "Type", "Endpoint"].map((h) => el("th", null, h)))),
        el("tbody", null, services.map((s) => el("tr", { class: "service-row" },
          el("td", { "data-label": "ID", class: "mono" }, s.id),
          el("td", { "data-label": "Type" }, s.type || ""),
          el("td", { "data-label": "Endpoint", class: "mono" }, typeof s.serviceEndpoint === "string" ? s.serviceEndpoint : JSON.stringify(s.serviceEndpoint))))))));
    }
    return out;
  }

  // outcomeCell says what became of an operation: applied, applied then superseded, or ignored and why.
  function outcomeCell(op) {
    const cls = op.outcome === "applied" ? "ok"
      : op.outcome === "unknown" ? "muted"
      : op.outcome.startsWith("superseded_") ? "muted" : "bad";
    return el("span", { class: cls, title: op.outcome }, op.reason);
  }

  function renderHistory(h) {
    const out = [el("h3", null, "Operation history (" + h.total + ")")];
    if (h.resolutionError) out.push(notice("error", "The DID does not resolve: " + h.resolutionError));
    if (h.operations.length === 0) {
      out.push(el("p", { class: "muted" }, "No operation for this DID is anchored on the chain this node follows."));
      return out;
    }
    out.push(el("div", { class: "table-wrap" }, el("table", { class: "stacked", id: "did-history" },
      el("thead", null, el("tr", null, ["#", "Type", "Transaction", "Block", "Outcome"].map((t) => el("th", null, t)))),
      el("tbody", null, h.operations.map((op, i) => el("tr", { class: "history-row" },
        el("td", { "data-label": "#" }, String(i + 1)),
        el("td", { "data-label": "Type" }, op.type),
        el("td", { "data-label": "Transaction", class: "mono" },
          el("a", { href: "#transactions=" + (BigInt(op.transactionNumber) + 1n).toString(), title: "show this transaction" }, op.transactionNumber),
          op.operationIndex ? " #" + op.operationIndex : ""),
        el("td", { "data-label": "Block" }, fmtNumber(op.blockHeight)),
        el("td", { "data-label": "Outcome", class: "outcome", "data-outcome": op.outcome }, outcomeCell(op))))))));
    if (h.truncated) out.push(el("p", { class: "muted" }, "Only the first operations are listed."));
    return out;
  }

  let lookupSeq = 0;

  async function lookup(did) {
    const seq = ++lookupSeq;
    const target = $("did-result");
    did = did.trim();
    if (!did.startsWith("did:")) {
      target.replaceChildren(notice("error", "A DID starts with \"did:\", for example did:ion:EiA…"));
      return;
    }
    target.replaceChildren(el("p", { class: "muted" }, "Resolving…"));
    const path = "/identifiers/" + encodeURIComponent(did);
    // Only did:ion DIDs have an operation history (did:ion:test too); other methods are not asked for one.
    const ion = /^did:ion:/.test(did);
    const [res, hist] = await Promise.allSettled([api(path, null, [410]),
      ion ? api(path + "/operations") : Promise.reject(new APIError("", 0, "not_ion"))]);
    if (seq !== lookupSeq) return; // a newer lookup started
    const parts = [];
    if (res.status === "rejected") {
      parts.push(notice("error", res.reason.message));
    } else {
      parts.push(...renderDocument(res.value.body, res.value.status));
    }
    if (hist.status === "fulfilled") {
      parts.push(...renderHistory(hist.value.body));
    } else if (res.status === "fulfilled") {
      parts.push(el("h3", null, "Operation history"), ion ? notice("error", hist.reason.message)
        : notice("info", "Operation histories exist only for did:ion DIDs; this DID was resolved through its own method."));
    }
    if (res.status === "fulfilled") {
      const raw = el("pre", { class: "raw", id: "did-raw", hidden: true }, JSON.stringify(res.value.body, null, 2));
      const toggle = el("button", { type: "button", class: "secondary", id: "did-raw-toggle", "aria-expanded": "false" }, "Show raw JSON");
      toggle.addEventListener("click", () => {
        raw.hidden = !raw.hidden;
        toggle.textContent = raw.hidden ? "Show raw JSON" : "Hide raw JSON";
        toggle.setAttribute("aria-expanded", String(!raw.hidden));
      });
      parts.push(el("h3", null, "Resolution result"), toggle, raw);
    }
    target.replaceChildren(...parts);
  }

  // ---------------------------------------------------------------- credential check

  function renderResult(r, depth) {
    const box = el("div", { class: "card", style: null });
    box.append(el("p", null, el("span", { class: "state " + (r.valid ? "ok" : "bad"), "data-testid": "verdict" },
      (r.kind === "presentation" ? "Presentation " : "Credential ") + (r.valid ? "valid" : "not valid")),
      r.code ? " — " + r.code : "", r.detail ? ": " + r.detail : ""));
    const c = r.credential || r.presentation;
    if (c) {
      const row = (k, v) => v ? [el("dt", null, k), el("dd", { class: "mono" }, Array.isArray(v) ? v.join(", ") : String(v))] : null;
      box.append(el("dl", { class: "meta" },
        row("Issuer", c.issuer), row("Holder", c.holder), row("Subject", c.subject), row("Types", c.types),
        row("Valid from", c.validFrom), row("Valid until", c.validUntil), row("Signed with", c.kid), row("Format", c.format)));
    }
    const checks = r.checks || [];
    if (checks.length) {
      box.append(el("h3", null, "Checks"), el("ul", { class: "checks" }, checks.map((c) => el("li", { class: "check", "data-check": c.name, "data-outcome": c.outcome },
        el("span", { class: c.outcome === "pass" ? "ok" : c.outcome === "fail" ? "bad" : "muted" },
          c.outcome === "pass" ? "✔ pass" : c.outcome === "fail" ? "✘ fail" : "– " + c.outcome),
        " ", el("strong", null, c.name), c.detail ? ": " + c.detail : ""))));
    }
    for (const sub of r.credentials || []) {
      if (depth < 3) box.append(el("h3", null, "Enclosed credential"), renderResult(sub, depth + 1));
    }
    return box;
  }

  async function verify(event) {
    event.preventDefault();
    const target = $("cred-result");
    const kind = document.querySelector('input[name="kind"]:checked').value;
    const jwt = $("cred-jwt").value.trim();
    if (!jwt) {
      target.replaceChildren(notice("error", "Paste a JWT first."));
      return;
    }
    const body = { jwt };
    if (kind === "presentation") {
      body.nonce = $("vp-nonce").value.trim();
      body.audience = $("vp-audience").value.trim();
    }
    const path = kind === "presentation" ? "/presentations/verify" : "/credentials/verify";
    $("cred-verify").disabled = true;
    target.replaceChildren(el("p", { class: "muted" }, "Verifying…"));
    try {
      const { body: r } = await api(path, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" }, body: JSON.stringify(body) });
      target.replaceChildren(renderResult(r, 0));
    } catch (e) {
      if (e.status === 404 || e.status === 405) {
        target.replaceChildren(notice("info", "This node does not serve credential verification (it has no " + path + " endpoint)."));
      } else {
        target.replaceChildren(notice("error", e.message));
      }
    } finally {
      $("cred-verify").disabled = false;
    }
  }

  // ---------------------------------------------------------------- wallet request

  // The admin token is read from its field at each call and never stored (no web storage, no cookie, not
  // in the URL). fetch with a relative path sends it to this node only.
  const requestAPI = "/v1.0/verifiableCredentials";
  const finalStatuses = ["presentation_verified", "presentation_error", "issuance_successful", "issuance_error"];
  const pollEvery = 1000;
  let follow = { seq: 0, timer: null };

  function adminHeaders() {
    return { Accept: "application/json", Authorization: "Bearer " + $("req-token").value.trim() };
  }

  function tokenSentence(e) {
    if (e.status === 401 || e.status === 403) return "The node refused the admin token: check it and try again.";
    if (e.status === 404 && e.code === "requestNotFound") return "This node knows no request with that id, or it has expired.";
    return e.message;
  }

  function stopFollowing() {
    follow.seq++;
    clearTimeout(follow.timer);
    follow.timer = null;
  }

  function renderClaims(data) {
    return (data || []).map((vc) => {
      const claims = vc.claims && typeof vc.claims === "object" ? Object.entries(vc.claims) : [];
      return el("div", { class: "card verified-credential" },
        el("dl", { class: "meta" },
          el("dt", null, "Issuer"), el("dd", { class: "mono" }, vc.issuer || ""),
          el("dt", null, "Types"), el("dd", null, (vc.type || []).join(", ")),
          el("dt", null, "Revocation"), el("dd", null, (vc.credentialState || {}).revocationStatus || "not checked"),
          claims.flatMap(([k, v]) => [el("dt", null, k), el("dd", { class: "mono claim", "data-claim": k }, typeof v === "string" ? v : JSON.stringify(v))])));
    });
  }

  // renderEvent shows a request's latest event into the status box.
  function renderEvent(box, ev) {
    const status = typeof ev.requestStatus === "string" ? ev.requestStatus : "unknown";
    const cls = status === "presentation_verified" || status === "issuance_successful" ? "ok"
      : /_error$/.test(status) ? "bad" : "warn";
    const parts = [el("p", null, "Status: ", el("span", { class: "state " + cls, id: "req-status", "data-status": status }, status))];
    if (ev.subject) parts.push(el("p", null, "Subject: ", el("span", { class: "mono", id: "req-subject" }, ev.subject)));
    if (ev.error) parts.push(notice("error", (ev.error.code || "error") + ": " + (ev.error.message || "")));
    parts.push(...renderClaims(ev.verifiedCredentialsData));
    box.replaceChildren(...parts);
  }

  // followRequest polls the status route until the request ends, expires or cannot be read.
  function followRequest(id, expiry) {
    stopFollowing();
    const seq = follow.seq;
    const box = $("req-live");
    const note = $("req-poll-note");
    const tick = async () => {
      if (seq !== follow.seq) return;
      if (expiry && Date.now() / 1000 > expiry) {
        note.textContent = "The request expired; no longer following it.";
        return;
      }
      try {
        const { body: ev } = await api(requestAPI + "/requests/" + encodeURIComponent(id), { headers: adminHeaders() });
        if (seq !== follow.seq) return;
        renderEvent(box, ev || {});
        if (finalStatuses.includes(ev && ev.requestStatus)) {
          note.textContent = "The request has ended.";
          return;
        }
        note.textContent = "Following live (every " + pollEvery / 1000 + " s).";
      } catch (e) {
        if (seq !== follow.seq) return;
        // A missing request has expired or never existed, a refused token will not start working: both
        // end the polling. Anything else may pass (a restarting node), so the polling goes on.
        if (e.status === 404 || e.status === 401 || e.status === 403) {
          box.replaceChildren(notice("error", tokenSentence(e)));
          note.textContent = "No longer following this request.";
          return;
        }
        note.textContent = e.message + " Retrying.";
      }
      follow.timer = setTimeout(tick, pollEvery);
    };
    tick();
  }

  function showRequest(id, created, pin) {
    const target = $("req-result");
    const parts = [el("dl", { class: "meta" },
      el("dt", null, "Request id"), el("dd", { class: "mono", id: "req-request-id" }, id),
      created && created.expiry ? [el("dt", null, "Expires"), el("dd", null, new Date(created.expiry * 1000).toLocaleString())] : null)];
    if (created) {
      // Only a PNG data URI from the node is shown as an image; the URL is text.
      if (typeof created.qrCode === "string" && created.qrCode.startsWith("data:image/png;base64,")) {
        parts.push(el("img", { class: "qr", id: "req-qr", src: created.qrCode, alt: "QR code of the request for a wallet to scan" }));
      }
      parts.push(el("p", null, "Wallet link: ", el("span", { class: "mono", id: "req-url" }, created.url || "")));
      if (pin) parts.push(el("p", null, "PIN for the holder (tell it apart from the QR code): ", el("strong", { class: "mono", id: "req-pin-value" }, pin)));
    }
    parts.push(el("div", { id: "req-live", "aria-live": "polite" }, el("p", { class: "muted" }, "Reading the status…")),
      el("p", { class: "muted", id: "req-poll-note" }));
    target.replaceChildren(...parts);
    followRequest(id, created && created.expiry);
  }

  function requestKind() {
    return document.querySelector('input[name="req-kind"]:checked').value;
  }

  // randomPIN draws a 4-digit PIN without modulo bias.
  function randomPIN() {
    const buf = new Uint32Array(1);
    do crypto.getRandomValues(buf); while (buf[0] >= 4294960000); // a multiple of 10,000
    return String(buf[0] % 10000).padStart(4, "0");
  }

  // wholeBody reads the whole-body field: a JSON object sent as written (with a QR code unless it says
  // otherwise), or an Error whose message is for the user.
  function wholeBody(text) {
    const body = jsonObject(text, "The request body is not valid JSON.",
      "The request body must be a JSON object, as the Request Service API takes it.");
    if (body.includeQRCode === undefined) body.includeQRCode = true;
    return body;
  }

  // jsonObject parses text that must be a JSON object, or throws an Error with the sentence for the user.
  function jsonObject(text, notJSON, notObject) {
    let v;
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error(notJSON);
    }
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(notObject);
    return v;
  }

  // requestBody builds the Request Service API body of the form, or throws an Error whose message is for
  // the user.
  function requestBody(kind, type) {
    const body = { includeQRCode: true, registration: { clientName: "ionode explorer" } };
    if (kind === "presentation") {
      const issuer = $("req-issuer").value.trim();
      const rc = { type };
      if (issuer) rc.acceptedIssuers = [issuer];
      body.requestedCredentials = [rc];
      return body;
    }
    const authority = $("req-authority").value.trim();
    if (!authority) throw new Error("Name the issuer: the DID of the node's issuer key, as the node was configured.");
    body.authority = authority;
    const text = $("req-claims").value.trim();
    const claims = text ? jsonObject(text, "The claims are not valid JSON: write an object such as {\"displayName\": \"Alice\"}.",
      "The claims must be a JSON object of names and values.") : {};
    body.type = type;
    body.claims = claims;
    if ($("req-pin").checked) {
      const value = randomPIN();
      body.pin = { value, length: value.length };
    }
    return body;
  }

  async function createRequest(event) {
    event.preventDefault();
    const target = $("req-result");
    const kind = requestKind();
    const type = $("req-type").value.trim();
    const whole = $("req-body").value.trim();
    if (!type && !whole) {
      target.replaceChildren(notice("error", kind === "presentation"
        ? "Name the credential type to ask for, for example VerifiedEmployee."
        : "Name the credential to offer: one of the node's credential configurations, for example VerifiedEmployee."));
      return;
    }
    let body;
    try {
      body = whole ? wholeBody(whole) : requestBody(kind, type);
    } catch (e) {
      target.replaceChildren(notice("error", e.message));
      return;
    }
    stopFollowing();
    $("req-create").disabled = true;
    target.replaceChildren(el("p", { class: "muted" }, "Creating…"));
    try {
      const headers = Object.assign(adminHeaders(), { "Content-Type": "application/json" });
      const route = kind === "presentation" ? "/createPresentationRequest" : "/createIssuanceRequest";
      const { body: created } = await api(requestAPI + route, { method: "POST", headers, body: JSON.stringify(body) });
      $("req-id").value = created.requestId;
      showRequest(created.requestId, created, body.pin && body.pin.value);
    } catch (e) {
      target.replaceChildren(notice("error", e.status === 404 || e.status === 405
        ? (kind === "presentation"
          ? "This node does not serve presentation requests (it has no verifier key configured)."
          : "This node does not issue to wallets (it has no issuer key or credential configurations).")
        : tokenSentence(e)));
    } finally {
      $("req-create").disabled = false;
    }
  }

  function followExisting() {
    const id = $("req-id").value.trim();
    if (!id) {
      $("req-result").replaceChildren(notice("error", "Paste a request id first."));
      return;
    }
    if (!$("req-token").value.trim()) {
      $("req-result").replaceChildren(notice("error", "Type the admin token first: the status route needs it."));
      return;
    }
    showRequest(id, null);
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener("DOMContentLoaded", () => {
    $("did-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const did = $("did-input").value.trim();
      const hash = "#did=" + encodeURIComponent(did);
      if (location.hash === hash) lookup(did);
      else location.hash = hash;
    });
    $("tx-more").addEventListener("click", () => { if (txNext) loadTransactions(txNext, false); });
    $("cred-form").addEventListener("submit", verify);
    $("req-form").addEventListener("submit", createRequest);
    $("req-follow").addEventListener("click", followExisting);
    for (const r of document.querySelectorAll('input[name="req-kind"]')) {
      r.addEventListener("change", () => {
        const offer = requestKind() === "issuance";
        $("req-presentation-options").hidden = offer;
        $("req-issuance-options").hidden = !offer;
      });
    }
    for (const r of document.querySelectorAll('input[name="kind"]')) {
      r.addEventListener("change", () => { $("vp-options").hidden = document.querySelector('input[name="kind"]:checked').value !== "presentation"; });
    }
    window.addEventListener("hashchange", route);
    route();
    // The header names the node whatever page opens first.
    api("/version").then(({ body: v }) => {
      const badge = $("node-badge");
      badge.textContent = v.network + " · " + v.version;
      badge.hidden = false;
    }, () => {}); // the page's own view reports an unreachable node
  });
})();
