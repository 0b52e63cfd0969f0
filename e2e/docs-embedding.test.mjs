// docs/embedding.html in Debian's Chromium: the module-driven examples show
// the expected decisions and follow the TLS toggle, the page stays on its own
// origin, and (when the playground is built) the embed-mode iframes show
// their decisions too. Needs dist/ from `trunk build` (optional, for the
// iframes) and scripts/build-wasm-module.sh (required).
//
//   node --test e2e/docs-embedding.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS as artifacts, DIST as dist, browser, serve } from "./helpers.mjs";

const playgroundBuilt = existsSync(join(dist, "index.html"));

let server;
let origin;
let b;
let context;
const requests = [];
const problems = [];

before(async () => {
  assert.ok(
    existsSync(join(dist, "docs/embedding.html")) && existsSync(join(dist, "module/iamtrace_wasm_bg.wasm")),
    "dist/docs/ and dist/module/ are missing: run scripts/build-wasm-module.sh (after trunk build) first",
  );
  server = await serve(dist);
  origin = server.url.replace(/\/$/, "");
  b = await browser({ viewport: { width: 1280, height: 900 } });
  context = b.context;
  context.on("request", (r) => requests.push(r.url()));
  context.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  context.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
});

after(async () => {
  await b?.close();
  await server?.close();
});

async function openPage(options = {}) {
  const page = await context.newPage();
  if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
  if (options.viewport) await page.setViewportSize(options.viewport);
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  await page.goto(`${origin}/docs/embedding.html`);
  await page.waitForSelector("html[data-examples-ready]", { timeout: 20_000 });
  return page;
}

/** Polls `fn` until it returns a truthy value. */
async function until(fn, what, timeout = 20_000) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await fn().catch((e) => e);
    if (last && !(last instanceof Error)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: last ${last}`);
}

test("the module-driven examples show their decisions and traces", async () => {
  const page = await openPage();
  assert.match(await page.getByTestId("module-status").textContent(), /^iamtrace \d+\.\d+\.\d+ loaded/);

  const s3 = page.getByTestId("module-example-s3-read");
  assert.equal(await s3.getByTestId("module-decision").getAttribute("data-decision"), "Allow");
  assert.match(await s3.getByTestId("module-decision").textContent(), /Allow/);
  const steps = s3.getByTestId("module-trace-step");
  assert.ok((await steps.count()) >= 5, "the whole ordered trace is shown");
  assert.equal(await steps.first().getAttribute("data-verdict"), "info", "the trace starts with the request step");
  const identity = steps.filter({ hasText: "Identity-based policies" });
  assert.equal(await identity.getAttribute("data-verdict"), "allow");
  assert.match(await identity.textContent(), /ReadReportsFromOffice[\s\S]*IpAddress[\s\S]*203\.0\.113\.7[\s\S]*true/);

  const tls = page.getByTestId("module-example-tls");
  const decision = tls.getByTestId("module-decision");
  assert.equal(await decision.getAttribute("data-decision"), "ExplicitDeny");
  assert.match(await decision.textContent(), /Explicit deny/);
  const decisive = tls.locator('[data-testid="module-trace-step"].decisive').first();
  assert.match(await decisive.textContent(), /Explicit deny check[\s\S]*DenyInsecureTransport[\s\S]*aws:SecureTransport/);

  await tls.getByTestId("tls-toggle").check();
  await until(async () => (await decision.getAttribute("data-decision")) === "Allow", "Allow after the toggle");
  assert.match(await decision.textContent(), /Allow/);
  await tls.getByTestId("tls-toggle").uncheck();
  await until(async () => (await decision.getAttribute("data-decision")) === "ExplicitDeny", "ExplicitDeny again");

  // Every "Copy" button belongs to a snippet; every snippet has one.
  assert.equal(await page.locator(".snippet .copy").count(), await page.locator(".snippet pre").count());
  await page.close();
});

test("the page is CSP-friendly and never writes HTML from data", async () => {
  const html = await readFile(join(dist, "docs/embedding.html"), "utf8");
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, "no inline scripts");
  assert.doesNotMatch(html, /<[a-z][^>]*\s(on[a-z]+|style)=/i, "no inline event handlers or style attributes");
  const js = await readFile(join(dist, "docs/embedding.js"), "utf8");
  assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
});

test("the embed-mode iframes show the playground's decisions", async (t) => {
  if (!playgroundBuilt) {
    t.skip("dist/index.html does not exist: build the playground (trunk build --release) to check the iframe examples");
    return;
  }
  const page = await openPage();
  const cases = [
    ["embed-frame-deny", "ExplicitDeny", /explicit\s*deny/i],
    ["embed-frame-cross-account", "ImplicitDeny", /implicit\s*deny/i],
  ];
  for (const [testid, want, label] of cases) {
    const iframe = page.getByTestId(testid);
    await iframe.scrollIntoViewIfNeeded(); // loading="lazy"
    assert.match(await iframe.getAttribute("src"), /^\.\.\/index\.html#embed&/);
    const frame = page.frameLocator(`[data-testid="${testid}"]`);
    const decision = frame.locator('[data-testid="decision"]').first();
    await until(async () => {
      const attr = await decision.getAttribute("data-decision", { timeout: 1000 });
      const text = await decision.textContent({ timeout: 1000 });
      return attr === want || (attr === null && label.test(text ?? ""));
    }, `${testid} to show ${want}`);
    assert.ok((await frame.locator('[data-testid="trace-step"]').count()) > 0, `${testid} shows trace steps`);
  }
  await page.close();
});

test("the page stays on its own origin and looks right (screenshots)", async () => {
  mkdirSync(artifacts, { recursive: true });
  const page = await openPage();
  // Let lazy iframes load, then take the whole page.
  for (const frame of await page.locator("iframe").all()) await frame.scrollIntoViewIfNeeded();
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, "docs-embedding.png"), fullPage: true });
  await page.close();

  const dark = await openPage({ colorScheme: "dark", viewport: { width: 420, height: 900 } });
  await dark.locator("#module-examples").scrollIntoViewIfNeeded();
  await dark.screenshot({ path: join(artifacts, "docs-embedding-dark-narrow.png") });
  await dark.close();

  const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith("data:"));
  assert.deepEqual(foreign, [], "no request leaves the page's origin");
  assert.ok(requests.some((u) => u.endsWith("/module/iamtrace_wasm_bg.wasm")), "the module's wasm was loaded");
  // Without a playground build the iframes' index.html is a 404, and that is all.
  const missingPlayground = (p) => !playgroundBuilt && p.includes(`${origin}/index.html`);
  assert.deepEqual(problems.filter((p) => !missingPlayground(p)), [], "no failed requests, page errors or console errors");
});
