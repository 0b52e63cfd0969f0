// Hostile input at the page: share links whose content is hostile (a
// hundred thousand bad statements, a policy over the size limit, deep
// nesting, NUL and control characters, a megabyte request field, wildcards
// against a long resource, many slots), links broken in ways links.test.mjs
// does not try (invalid percent-encoding, invalid UTF-8 inside a v1 payload,
// nesting in the link's JSON, a 1.5 MB payload), and big texts pasted into
// an editor.
//
// Each link is opened in a page that is already loaded (a change of
// `location.hash`, the way a pasted link opens), so the time measured is the
// page's work on the input, not its download. Each must leave a working page
// with its new state within HOSTILE_LIMIT_MS (default 2000), with the
// evaluation itself (`data-eval-ms`) within it too, no page errors, errors
// shown with a line and column or a stated limit, at most 51 listed per
// policy (50 and one saying how many more there are), and no control
// characters in the page's text.
//
// A case over the limit is tried once more and judged on the better time
// (the machines running CI are shared). KNOWN_SLOW lists inputs held to
// KNOWN_SLOW_MS instead of the limit, with the rest of the checks (see
// there why). Long lists are shown in part: a step lists 100 statements
// (those that apply always) and a context key 100 values, each with a
// "Show all" button, so a policy of 15,000 statements or a key of 20,000
// values shows in a fraction of a second.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { deflateRawSync } from "node:zlib";
import { browser, dataReady, open, serve } from "./helpers.mjs";

const LIMIT_MS = Number(process.env.HOSTILE_LIMIT_MS || 2000);
const KNOWN_SLOW_MS = 60_000;
const MAX_PER_SLOT = 51;
const REQUEST = { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key" };
const KNOWN_SLOW = new Map([
  // Within the limit when measured (1.0 to 1.4 s, also with the CI run's
  // load), but Chromium's handling of a megabyte URL varies too much on a
  // shared machine to assert 2 s: held to KNOWN_SLOW_MS instead.
  ["a policy over the size limit", "a 1.1 MB link: 1.0 to 1.3 s measured (web/: share links)"],
  ["a megabyte request field", "a 1 MB link: 1.4 s measured (web/: share links)"],
  ["a 1.5 MB payload", "a 1.5 MB link, refused: 1.2 s measured (web/: share links)"],
  ["20 slots of 1,000 bad statements", "20 editors and 1,020 listed errors: 1.2 to 1.3 s measured (web/)"],
]);

let server;
let b;
let page;
let errors;
before(async () => {
  server = await serve();
  b = await browser();
  await b.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
  ({ page, errors } = await open(b.context, `${server.url}#example=s3-read`));
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  await dataReady(page);
});
after(async () => {
  await b?.close();
  await server?.close();
});

const policy = (statements) => `{"Version": "2012-10-17", "Statement": [${statements}]}`;
const repeat = (s, n, sep = ",") => Array(n).fill(s).join(sep);
const scenarioLink = (s) => `scenario=${encodeURIComponent(JSON.stringify(s))}`;
const v1Link = (bytes) => `v1=${Buffer.from(deflateRawSync(bytes)).toString("base64url")}`;
const withPolicies = (identity, request = REQUEST) => scenarioLink({ policies: { identity }, request });
const rev = () => page.getAttribute('[data-testid="app"]', "data-rev");

/** Back to the default example. Through another example first: the address
 * bar follows edits only once a second, so it may still read `s3-read`, and
 * setting the same fragment again would change nothing. */
async function reset() {
  await page.evaluate(() => (location.hash = "example=explicit-deny"));
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.evaluate(() => (location.hash = "example=s3-read"));
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
}

/** Opens `#fragment` in the loaded page; returns the time until its new state (or link error) shows. */
async function openHash(name, fragment) {
  await reset();
  const before = await rev();
  const t0 = Date.now();
  await page.evaluate((h) => (location.hash = h), fragment);
  const timeout = KNOWN_SLOW.has(name) ? KNOWN_SLOW_MS : LIMIT_MS * 10;
  await page.waitForFunction(
    (r) => document.querySelector('[data-testid="app"]').dataset.rev !== r || document.querySelector('[data-testid="link-error"]'),
    before,
    { timeout },
  );
  return Date.now() - t0;
}

/** Runs `attempt` (which returns milliseconds) and, when that is over the
 * limit, once more: the better of two, so that another process on a
 * shared machine does not fail the test, while a slow page still does. */
async function bestOfTwo(name, attempt) {
  const first = await attempt();
  if (first < LIMIT_MS || KNOWN_SLOW.has(name)) return first;
  return Math.min(first, await attempt());
}

/** Checks the time, the page errors and the listed errors; returns the listed errors' texts. */
async function assertBounded(name, ms, slots = 1) {
  const evalMs = Number(await page.getAttribute('[data-testid="app"]', "data-eval-ms"));
  const slow = KNOWN_SLOW.get(name);
  console.log(`${name}: ${ms} ms to show, ${evalMs} ms to evaluate${slow ? ` (known slow: ${slow})` : ""}`);
  assert.deepEqual(errors, [], `${name}: page errors`);
  assert.ok(evalMs < LIMIT_MS, `${name}: the evaluation took ${evalMs} ms`);
  assert.ok(ms < (slow ? KNOWN_SLOW_MS : LIMIT_MS), `${name}: ${ms} ms to show the new state`);
  const items = await page.$$eval('[data-testid="diagnostic"]', (els) => els.map((e) => e.innerText));
  assert.ok(items.length <= MAX_PER_SLOT * slots + 8, `${name}: ${items.length} errors listed`);
  for (const item of items) {
    assert.match(item, /line \d+, column \d+|Request|up to|more than/, `${name}: an error without a position: ${item.slice(0, 200)}`);
  }
  const text = await page.evaluate(() => document.body.innerText);
  assert.ok(!/[\u0000\u0007\u001b]/.test(text), `${name}: control characters in the page`);
  return items;
}

test("links with hostile content open within the limit, with bounded errors", async () => {
  const evil = "\u001b]0;owned\u0007\u001b[2J\u202e\u0000";
  const cases = [
    ["100,000 bad statements", withPolicies([policy(repeat("{}", 100_000))]), /more errors not shown/],
    ["a policy over the size limit", withPolicies([`{"Statement": "${"a".repeat(1_100_000)}"}`]), /up to 1048576 bytes/],
    ["10,000 levels of nesting", withPolicies(['{"a":'.repeat(10_000)]), /nested more than 64 levels/],
    ["NUL and control characters", withPolicies([policy(repeat(JSON.stringify({ Sid: evil, Effect: evil, Action: evil }), 500))]), /line \d+/],
    ["a megabyte request field", withPolicies([policy('{"Effect":"Allow","Action":"*","Resource":"*"}')], { ...REQUEST, resource: `arn:aws:s3:::${"a".repeat(1_000_000)}` }), null],
    [
      "wildcards against a long resource",
      withPolicies([policy(JSON.stringify({ Effect: "Allow", Action: `s3:${"*a".repeat(20_000)}*`, Resource: `arn:aws:s3:::${"*a".repeat(20_000)}b` }))], {
        ...REQUEST,
        resource: `arn:aws:s3:::${"a".repeat(100_000)}`,
      }),
      null,
    ],
    ["20 slots of 1,000 bad statements", withPolicies(Array(20).fill(policy(repeat('{"Effect":"allow"}', 1000)))), /more errors not shown/, 20],
    ["20,000 context values", scenarioLink({ policies: {}, request: { ...REQUEST, context: { "aws:TagKeys": Array(20_000).fill("a") } } }), null],
    ["a v1 state of 100,000 bad statements", v1Link(Buffer.from(JSON.stringify({ policies: { identity: [{ text: policy(repeat("{}", 100_000)) }] }, request: REQUEST }))), /more errors not shown/],
  ];
  for (const [name, fragment, expected, slots = 1] of cases) {
    const ms = await bestOfTwo(name, () => openHash(name, fragment));
    assert.equal(await page.locator('[data-testid="link-error"]').count(), 0, `${name}: the link was refused`);
    const items = await assertBounded(name, ms, slots);
    if (expected) assert.ok(items.some((i) => expected.test(i)), `${name}: no error says ${expected}: ${items.slice(0, 3).join(" | ")}`);
    if (name === "20,000 context values") {
      const hidden = await page.textContent('[data-testid="context-values-hidden"]');
      assert.match(hidden, /19900 more values/, "the values past the first 100 are counted, not listed");
      assert.equal(await page.locator('[data-testid="context-value"]').count(), 100);
    }
  }
});

test("links broken in other ways show a message and a working page", async () => {
  const invalidUtf8 = Buffer.concat([Buffer.from('{"policies": {"identity": [{"text": "'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}}')]);
  const cases = [
    ["invalid percent-encoding", "scenario=%FF%FE"],
    ["truncated percent-encoding", "scenario=%E0%A4%A"],
    ["10,000 levels of nesting in the link", `scenario=${"%5B".repeat(10_000)}`],
    ["invalid UTF-8 in a v1 payload", v1Link(invalidUtf8)],
    ["nesting in a v1 payload", v1Link(Buffer.from("[".repeat(10_000)))],
    ["NUL bytes in a v1 payload", v1Link(Buffer.alloc(100_000, 0))],
    ["a 1.5 MB payload", `v1=${"A".repeat(1_500_000)}`],
  ];
  for (const [name, fragment] of cases) {
    const ms = await bestOfTwo(name, () => openHash(name, fragment));
    await page.locator('[data-testid="link-error"]').waitFor();
    await assertBounded(name, ms);
    // A working page: it opens the next link.
    await reset();
  }
});

test("big texts pasted into an editor are read within the limit", async () => {
  const paste = async (text) => {
    await reset();
    await page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await page.click('[data-testid="editor-identity-0"] .cm-content');
    await page.keyboard.press("ControlOrMeta+a");
    const before = await rev();
    const t0 = Date.now();
    await page.keyboard.press("ControlOrMeta+v");
    await page.waitForFunction((r) => document.querySelector('[data-testid="app"]').dataset.rev !== r, before, { timeout: KNOWN_SLOW_MS });
    return Date.now() - t0;
  };
  const cases = [
    ["100,000 bad statements pasted", policy(repeat("{}", 100_000)), /more errors not shown/],
    ["2 MB on one line", policy(repeat('{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}', 36_000)), /up to 1048576 bytes/],
    ["2 MB over many lines", policy(repeat('{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}', 36_000, ",\n")), /up to 1048576 bytes/],
  ];
  for (const [name, text, expected] of cases) {
    const ms = await bestOfTwo(name, () => paste(text));
    const items = await assertBounded(name, ms);
    assert.ok(items.some((i) => expected.test(i)), `${name}: no error says ${expected}: ${items.slice(0, 3).join(" | ")}`);
  }
  // A valid policy with thousands of findings: the checks list at most 51.
  const ms = await paste(policy(repeat('{"Effect":"Allow","Action":"s3:GetObjct","Resource":"*"}', 15_000, ",\n")));
  await page.waitForFunction(() => {
    const app = document.querySelector('[data-testid="app"]');
    return app.dataset.checkedRev === app.dataset.rev;
  });
  await assertBounded("15,000 findings", ms);
  // The trace lists 100 of the statements and counts the others.
  assert.match(await page.textContent('[data-testid="trace-statements-hidden"]'), /14900 more statements/);
  const findings = await page.locator('[data-testid="finding"]').count();
  assert.ok(findings > 0 && findings <= MAX_PER_SLOT, `${findings} findings listed`);
  const texts = await page.$$eval('[data-testid="finding"]', (els) => els.map((e) => e.textContent));
  assert.ok(texts.some((t) => /more .*not shown/.test(t)), `no finding says how many more there are: ${texts.slice(-2).join(" | ")}`);
});
