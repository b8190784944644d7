// Expected values for TestLockRouteIdentifier: the path node-fetch 2.6.7 requests for
// `${locksUri}/${writerLockId}` (WHATWG URL serialization, then Node's legacy url.parse, as its parseURL
// does), matched as koa-router 7.4.0 matches "/locks/:identifier" (path-to-regexp, end, not strict, not
// sensitive) and decoded as its safeDecodeURIComponent does. Prints {input, want identifier, routed}.
const url = require('url');
const ids = ['YWJj', 'YWJj/', 'YWJj//', 'a/b', 'a\\b', '../locks/YWJj', '../LOCKS/YWJj', '..', '.', '%2e%2E/locks/x', 'x/..', 'x/../y',
  'a?b', 'a#b', 'a b', 'a\tb\nc\r', 'a  ', ' a', '%41%42', '%zz%41', '%C3%A9', '%C3', 'é', "it's", 'a^b|c', 'a%2Fb', '<>`{}"',
  '../time', '', '/', 'a/.', 'a/./', 'YW\u0000Jj', 'x%', '%2', 'ünïcödé%', '\u007f'];
for (const id of ids) {
  const href = new url.URL('http://localhost:3002/locks/' + id).toString();
  const path = url.parse(href).pathname || '/';
  const m = /^\/locks\/((?:[^\/]+?))(?:\/(?=$))?$/i.exec(path);
  let out = ''; let routed = false;
  if (m) {
    routed = true;
    try { out = decodeURIComponent(m[1]); } catch (e) { out = m[1]; }
  }
  console.log(`{${JSON.stringify(id)}, ${JSON.stringify(out)}, ${routed}}, // path ${JSON.stringify(path)}`);
}
