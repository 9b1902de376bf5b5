// Forwarding with retries (tests/edgeworkers/policies/retry-matrix.ward):
// which failures are retried, the per-isolate retry budget, idempotency, and
// the worst-case timing the compiler proved.
const { NOW, bundlePath, loadBundle, makeRequest, originResponse } = require("./support");

const file = bundlePath("policies", "retry-matrix", "retry-matrix");
const ORIGIN = "https://api.test.example";

afterEach(() => jest.restoreAllMocks());

/** The bundle with an origin that answers `statuses` in turn (an Error rejects), then 200. */
function withOrigin(statuses) {
  const ctx = loadBundle(file);
  const queue = [...statuses];
  ctx.httpRequest.mockImplementation(async () => {
    const next = queue.shift();
    if (next instanceof Error) throw next;
    return originResponse(next ?? 200, next ? "failed" : "ok");
  });
  // No waiting in these tests: full jitter with a random draw of 0.
  jest.spyOn(Math, "random").mockReturnValue(0);
  return ctx;
}

async function provide(ctx, options) {
  return ctx.bundle.responseProvider(makeRequest(options));
}

test.each([
  ["fails once", [503], 2],
  ["fails twice", [502, 504], 3],
  ["times out, then fails", [new Error("timeout"), 503], 3],
])("GET: an origin that %s then succeeds is retried until it answers", async (_name, failures, calls) => {
  const ctx = withOrigin(failures);
  const response = await provide(ctx, { path: "/items/1" });
  expect(response.status).toBe(200);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(calls);
  for (const [url, options] of ctx.httpRequest.mock.calls) {
    expect(url).toBe(`${ORIGIN}/items/1`);
    expect(options.timeout).toBe(1000);
  }
});

test("attempts are capped: three failures relay the last answer", async () => {
  const ctx = withOrigin([503, 503, 503, 503]);
  const response = await provide(ctx, { path: "/items/1" });
  expect(response.status).toBe(503);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(3);
});

test("a status the policy does not list is not retried", async () => {
  const ctx = withOrigin([500]);
  const response = await provide(ctx, { path: "/items/1" });
  expect(response.status).toBe(500);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(1);
});

test("the retry budget: once spent, each request gets one attempt; it refills the next second", async () => {
  const ctx = withOrigin(Array(1000).fill(503));
  const callsPerRequest = [];
  for (let i = 0; i < 10; i++) {
    const before = ctx.httpRequest.mock.calls.length;
    await provide(ctx, { path: `/items/${i}` });
    callsPerRequest.push(ctx.httpRequest.mock.calls.length - before);
  }
  // 10 requests may retry at most 5 + 10% × 10 = 6 times in one second.
  const retries = callsPerRequest.reduce((a, b) => a + b, 0) - 10;
  expect(retries).toBeLessThanOrEqual(6);
  expect(retries).toBeGreaterThanOrEqual(5);
  expect(callsPerRequest.slice(-5)).toEqual([1, 1, 1, 1, 1]);

  Date.now.mockReturnValue((NOW + 1) * 1000);
  const before = ctx.httpRequest.mock.calls.length;
  await provide(ctx, { path: "/items/next-second" });
  expect(ctx.httpRequest.mock.calls.length - before).toBe(3);
});

test("POST without an idempotency key is sent once, even on a retryable status", async () => {
  const ctx = withOrigin([503]);
  const response = await provide(ctx, { method: "POST", path: "/orders", body: "{\"n\":1}" });
  expect(response.status).toBe(503);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(1);
});

test("a missing idempotency key is missing whether getHeader answers null, undefined or an empty list", async () => {
  for (const missing of [null, undefined, []]) {
    const ctx = withOrigin([503]);
    const request = makeRequest({ method: "POST", path: "/orders", body: "{}" });
    request.getHeader = () => missing;
    const response = await ctx.bundle.responseProvider(request);
    expect(response.status).toBe(503);
    expect(ctx.httpRequest).toHaveBeenCalledTimes(1);
  }
});

test("POST with an idempotency key is retried, with the same body each time", async () => {
  const ctx = withOrigin([503]);
  const response = await provide(ctx, {
    method: "POST", path: "/orders", body: "{\"n\":1}", headers: { "Idempotency-Key": "k-1" },
  });
  expect(response.status).toBe(200);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(2);
  for (const [, options] of ctx.httpRequest.mock.calls) {
    expect(options.method).toBe("POST");
    expect(options.body).toBe("{\"n\":1}");
    expect(options.headers["idempotency-key"]).toEqual(["k-1"]);
  }
});

test("a route without retry makes one attempt and has no per-try timeout", async () => {
  const ctx = withOrigin([503]);
  const response = await provide(ctx, { method: "PUT", path: "/plain/3" });
  expect(response.status).toBe(503);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(1);
  expect(ctx.httpRequest.mock.calls[0][1].timeout).toBeUndefined();
});

test("a sub-request that keeps failing ends in 502, not an exception", async () => {
  const ctx = withOrigin([new Error("a"), new Error("b"), new Error("c")]);
  const response = await provide(ctx, { path: "/items/1" });
  expect(response.status).toBe(502);
  expect(ctx.httpRequest).toHaveBeenCalledTimes(3);
});

describe("timing", () => {
  /** Runs one request whose every attempt times out; returns what was waited and allowed. */
  async function worstCase(random, options) {
    const ctx = loadBundle(file);
    ctx.httpRequest.mockImplementation(async () => { throw new Error("timeout"); });
    jest.spyOn(Math, "random").mockReturnValue(random);
    const waits = [];
    jest.spyOn(globalThis, "setTimeout").mockImplementation((callback, ms) => { waits.push(ms); callback(); return 0; });
    await provide(ctx, options);
    const timeouts = ctx.httpRequest.mock.calls.map(([, o]) => o.timeout);
    return { waits, timeouts };
  }

  test("full jitter never waits longer than the caps; the worst case stays within what the compiler proved", async () => {
    const { waits, timeouts } = await worstCase(0.999999, { path: "/items/1" });
    expect(timeouts).toEqual([1000, 1000, 1000]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
    expect(waits[0]).toBeGreaterThan(99);
    const total = timeouts.reduce((a, b) => a + b, 0) + waits.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(3300); // worst_case_ms of `reads`
    expect(total).toBeLessThanOrEqual(4000); // the basic tier's responseProvider wall time
  });

  test("full jitter spreads the waits down to zero", async () => {
    const { waits } = await worstCase(0.25, { path: "/items/1" });
    expect(waits).toEqual([25, 50]);
  });

  test("equal jitter waits between half the cap and the cap", async () => {
    const write = async (random) => {
      const ctx = loadBundle(file);
      ctx.httpRequest.mockImplementation(async () => originResponse(503, ""));
      jest.spyOn(Math, "random").mockReturnValue(random);
      const waits = [];
      jest.spyOn(globalThis, "setTimeout").mockImplementation((callback, ms) => { waits.push(ms); callback(); return 0; });
      await provide(ctx, { method: "POST", path: "/orders", headers: { "Idempotency-Key": "k" } });
      return waits;
    };
    expect(await write(0)).toEqual([100]);
    expect(await write(0.999999)).toEqual([expect.closeTo(200, 2)]);
  });
});
