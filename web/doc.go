// Package web is the node's explorer: a static page (HTML, CSS and plain JavaScript, embedded with
// go:embed, no build step and nothing fetched from elsewhere, so it works offline) that the node serves
// at "/". It uses only the node's public HTTP API: GET /status, GET /transactions,
// GET /identifiers/{did} and /identifiers/{did}/operations, POST /credentials/verify and
// /presentations/verify.
//
// The browser test in e2e/ drives it with Chromium against `ionode testnet` (scripts/explorer-e2e.sh).
package web
