// tests/edgeworkers/policies/hostile.ward puts quotes, backslashes, line
// breaks, `${`, `*/`, `</script>`, U+2028/U+2029, NUL and `__proto__` into
// every place a policy value reaches main.js or bundle.json. The bundle must
// parse (checked by run.sh) and hand back each value exactly.
const fs = require("node:fs");
const path = require("node:path");
const { NOW, bundlePath, loadBundle, makeRequest, outcome, signToken } = require("./support");

const file = bundlePath("policies", "hostile", "hostile-strings");
const source = fs.readFileSync(file, "utf8");

const DESCRIPTION = 'line one\nline two */ "quoted" \\ back ${injected} </script> \u2028\u2029 end';
const BODY = 'body "quoted" \\ back\nnewline ${x} `tick` */ /* </script><!-- \u2028\u2029 \u0000\u001f é 😀';
const HEADER = "\"'`${x}</script>*/ \\ é";
const DENY = 'reason "quoted" \\ \n ${x} </script> \u2029';
const LOCATION = 'https://example.test/a?b="c"&d=</script>';
const AUDIENCE = "aud</script><script>alert(1)</script>";
const EDGE_ORIGIN = 'origin"); throw 1; //';

afterEach(() => jest.restoreAllMocks());

test("the generated source holds no raw line separator, NUL or closing script tag", () => {
  expect(source).not.toMatch(/[\u2028\u2029\u0000]/);
  expect(source).not.toContain("</script>");
  expect(source).not.toContain("alert(1)</");
});

test("bundle.json round-trips the description", () => {
  const bundle = JSON.parse(fs.readFileSync(path.join(path.dirname(file), "bundle.json"), "utf8"));
  expect(bundle.description).toBe(DESCRIPTION);
});

test("the header comment stays comments: the description is one quoted line", () => {
  const header = source.split("\n").slice(0, 3);
  expect(header.every((line) => line.startsWith("//"))).toBe(true);
  expect(JSON.parse(header[1].slice(3))).toBe(DESCRIPTION);
});

test("respond: body and headers come back exactly; `__proto__` is an own header, not a prototype", async () => {
  const ctx = loadBundle(file);
  const request = makeRequest({ path: "/say/</script>/'$x'" });
  await ctx.bundle.onClientRequest(request);
  const result = outcome(request);
  expect(result.status).toBe(200);
  expect(result.body).toBe(BODY);
  expect(result.headers["x-hostile"]).toEqual([HEADER]);
  expect(Object.getPrototypeOf(result.headers)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(result.headers, "__proto__").value).toEqual(["own property"]);
});

test("deny and redirect carry their texts exactly", async () => {
  let ctx = loadBundle(file);
  let request = makeRequest({ path: "/deny" });
  await ctx.bundle.onClientRequest(request);
  expect(outcome(request)).toMatchObject({ status: 451, denyReason: DENY });
  ctx = loadBundle(file);
  request = makeRequest({ path: "/go" });
  await ctx.bundle.onClientRequest(request);
  expect(outcome(request)).toMatchObject({ status: 302, headers: { location: [LOCATION] } });
});

test("redirect parameters come from the matched path, with what a URL path may not hold percent-encoded", async () => {
  const ctx = loadBundle(file);
  const request = makeRequest({ path: '/old/a"<b>%zz%41\r\nSet-Cookie: x=1/c d' });
  await ctx.bundle.onClientRequest(request);
  expect(outcome(request)).toMatchObject({
    status: 301,
    headers: { location: ["/new/c%20d/a%22%3Cb%3E%25zz%41%0D%0ASet-Cookie:%20x=1?from=old"] },
  });
});

/** Claims with an own `__proto__` member, as a token may carry one. */
function claimsWith(protoValue, extra = {}) {
  const claims = { iss: "https://id.test.example/hostile", aud: AUDIENCE, scp: "scope'with$odd{chars}", iat: NOW - 5, exp: NOW + 60, ...extra };
  if (protoValue !== undefined) Object.defineProperty(claims, "__proto__", { value: protoValue, enumerable: true });
  return claims;
}

test("token: hostile audience, scope and claim names and values match exactly, and forward to the hostile origin name", async () => {
  const ctx = loadBundle(file);
  const token = await signToken(claimsWith('"; alert(1); "', { "x\ny": ["</script>"] }));
  const request = makeRequest({ path: "/claims", headers: { Authorization: `Bearer ${token}` } });
  await ctx.bundle.onClientRequest(request);
  expect(outcome(request)).toEqual({ kind: "route", destination: { origin: EDGE_ORIGIN } });
});

test("token: a required `__proto__` claim is read from the token, never from the prototype chain", async () => {
  for (const [claims, status] of [
    [claimsWith(undefined, { "x\ny": "</script>" }), 403],
    [claimsWith("\u2028", { "x\ny": "</script>" }), undefined],
    [claimsWith("\u2028", { "x\ny": "<script>" }), 403],
  ]) {
    const ctx = loadBundle(file);
    const request = makeRequest({ path: "/claims", headers: { Authorization: `Bearer ${await signToken(claims)}` } });
    await ctx.bundle.onClientRequest(request);
    if (status) expect(outcome(request)).toMatchObject({ status });
    else expect(outcome(request).kind).toBe("route");
  }
});
