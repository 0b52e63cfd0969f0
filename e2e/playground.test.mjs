// The playground in a real browser: loads with a real trace, follows edits,
// highlights what is picked, adds missing keys, works from the keyboard, and
// asks the network for nothing but its own files.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertOwnFiles, browser, cursorBefore, dataReady, decision, open, serve } from "./helpers.mjs";

let server;
let b;

before(async () => {
  server = await serve();
  b = await browser();
});
after(async () => {
  await b?.close();
  await server?.close();
});

test("opens on an example with a real trace", async () => {
  const { page, errors } = await open(b.context, server.url);
  assert.equal(await decision(page), "Allow");
  const steps = await page.locator('[data-testid="trace-step"]').count();
  assert.ok(steps >= 7, `expected the full chain of steps, got ${steps}`);
  assert.equal(await page.getAttribute('[data-testid="trace-step"][data-stage="identity"]', "data-verdict"), "allow");
  assert.equal(await page.getAttribute('[data-testid="trace-step"][data-stage="identity"]', "data-decisive"), "true");
  // The editor is CodeMirror, with line numbers and an accessible name.
  await page.waitForSelector('[data-testid="editor-identity-0"] .cm-lineNumbers');
  assert.equal(
    await page.getAttribute('[data-testid="editor-identity-0"] .cm-content', "aria-label"),
    "Identity policy 1 (JSON)",
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("the trace follows each edit of a policy", async () => {
  const { page, errors } = await open(b.context, server.url);
  // The AWS data loads after the page is interactive and adds to the
  // layout: let it settle before clicking at a computed position.
  await dataReady(page);
  // Change "s3:GetObject" in the second statement to "s3:PutObject": no statement allows any more.
  await cursorBefore(page, "editor-identity-0", "GetObject\"");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.press("Shift+ArrowRight");
  await page.keyboard.type("Put");
  await page.waitForSelector('[data-testid="decision"][data-decision="ImplicitDeny"]');
  assert.equal(await page.getAttribute('[data-testid="trace-step"][data-stage="identity"]', "data-verdict"), "no-allow");
  // Break the JSON: a diagnostic is underlined in the editor and listed; no decision.
  await page.keyboard.type('"');
  await page.waitForSelector('[data-testid="decision"][data-decision="none"]');
  await page.waitForSelector('[data-testid="editor-identity-0"] .cm-lintRange-error');
  assert.ok((await page.locator('[data-testid="diagnostic"]').count()) >= 1);
  await page.keyboard.press("Backspace");
  await page.waitForSelector('[data-testid="decision"][data-decision="ImplicitDeny"]');
  // The address bar follows, throttled, with the exact state.
  await page.waitForFunction(() => location.hash.startsWith("#v1="), null, { timeout: 3000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test("picking a statement highlights it in its editor", async () => {
  const { page } = await open(b.context, server.url);
  const applying = page.locator('[data-testid="trace-statement"][data-applies="true"] [data-testid="trace-statement-button"]');
  await applying.first().click();
  const mark = page.locator('[data-testid="editor-identity-0"] .cm-trace-hl-strong');
  await mark.first().waitFor();
  const text = (await mark.allTextContents()).join("");
  assert.match(text, /"Sid": "ReadReports"/);
  assert.doesNotMatch(text, /ListTheBucket/);
  // Picking a step highlights the statements that decided it.
  await page.click('[data-testid="trace-step"][data-stage="explicit-deny"] [data-testid="trace-step-button"]');
  await page.click('[data-testid="trace-step"][data-stage="identity"] [data-testid="trace-step-button"]');
  await mark.first().waitFor();
  assert.match((await mark.allTextContents()).join(""), /ReadReports/);
  // A diagram node picks its step too.
  await page.locator('[data-testid="diagram-node"]').first().click();
  await page.close();
});

test("a missing context key is one click from the request", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=permissions-boundary`);
  assert.equal(await decision(page), "ImplicitDeny");
  const missing = page.locator('[data-testid="missing-key"][data-key="iam:PermissionsBoundary"]');
  await missing.waitFor();
  await missing.locator('[data-testid="missing-key-add"]').click();
  const row = page.locator('[data-testid="context-row"][data-key="iam:PermissionsBoundary"]');
  await row.waitFor();
  // The new row's value has the focus: type the boundary's ARN.
  await page.keyboard.type("arn:aws:iam::123456789012:policy/DeveloperBoundary");
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  // Derived keys are listed and can be overridden.
  await page.waitForSelector('[data-testid="derived-key"][data-key="aws:username"]');
  await page.click('[data-testid="derived-key"][data-key="aws:username"] [data-testid="derived-override"]');
  await page.waitForSelector('[data-testid="context-row"][data-key="aws:username"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test("request fields show each ARN's parts and a clear message when malformed", async () => {
  const { page } = await open(b.context, server.url);
  const principal = page.locator('[data-testid="request-principal"]');
  await principal.fill("arn:aws:iam::111122223333:role/Admin");
  const parts = page.locator("#req-principal-parts");
  assert.match(await parts.innerText(), /ROLE\/ADMIN|role\/Admin/i);
  await principal.fill("arn:aws:iam:111122223333");
  assert.match(await page.locator("#req-principal-parts").innerText(), /six parts/);
  await page.waitForSelector('[data-testid="decision"][data-decision="none"]');
  await principal.fill("arn:aws:iam::111122223333:user/alice");
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  // Every kind of policy can be added from the menu, and removed.
  await page.selectOption('[data-testid="add-policy"]', "boundary");
  await page.waitForSelector('[data-testid="editor-boundary"] .cm-content');
  await page.click('[data-testid="policy-remove-boundary"]');
  await page.waitForSelector('[data-testid="editor-boundary"]', { state: "detached" });
  await page.close();
});

test("a link pasted into the address bar of an open page opens", async () => {
  const { page, errors } = await open(b.context, server.url);
  await page.evaluate(() => (location.hash = "#example=deny-non-tls"));
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.evaluate(() => (location.hash = "#v1=broken!"));
  await page.waitForSelector('[data-testid="link-error"]');
  assert.equal(await decision(page), "Allow");
  assert.deepEqual(errors, []);
  await page.close();
});

test("works from the keyboard", async () => {
  const { page } = await open(b.context, server.url);
  await page.focus('[data-testid="example-select"]');
  await page.keyboard.press("Tab");
  // Share opens with Enter and closes with Escape.
  await page.focus('[data-testid="share-button"]');
  await page.keyboard.press("Enter");
  await page.waitForSelector('[data-testid="share-dialog"]');
  assert.equal(await page.evaluate(() => document.activeElement?.id), "share-link");
  await page.keyboard.press("Escape");
  await page.waitForSelector('[data-testid="share-dialog"]', { state: "detached" });
  // Trace steps are buttons.
  await page.focus('[data-testid="trace-step"][data-stage="request"] [data-testid="trace-step-button"]');
  await page.keyboard.press("Enter");
  assert.equal(
    await page.getAttribute('[data-testid="trace-step"][data-stage="request"] [data-testid="trace-step-button"]', "aria-expanded"),
    "true",
  );
  await page.close();
});

test("every example opens with its expected decision", async () => {
  const { page } = await open(b.context, server.url);
  const group = (label) =>
    page.$$eval(`[data-testid="example-select"] optgroup[label="${label}"] option`, (os) => os.map((o) => o.value));
  const ids = await group("One request");
  assert.equal(ids.length, 10);
  for (const id of ids) {
    await page.selectOption('[data-testid="example-select"]', id);
    await page.waitForSelector('[data-testid="expected"]');
    assert.match(await page.innerText('[data-testid="expected"]'), /matches/, `example ${id}`);
  }
  // The credential walkthroughs walk as their `expected` and `expected_hops` say.
  const chains = await group("Credential chains (STS)");
  assert.equal(chains.length, 4);
  for (const id of chains) {
    await page.selectOption('[data-testid="example-select"]', id);
    const expected = '[data-testid="walk"][data-current="true"] [data-testid="walk-expected"]';
    await page.waitForSelector(expected, { timeout: 20000 });
    assert.match(await page.innerText(expected), /As the scenario expects/, `example ${id}`);
  }
  await page.close();
});

test("the page asks for nothing but its own static files", async () => {
  // dist/lazy/ included: the knowledge module and the AWS data load after the page is interactive.
  const seen = [];
  const page = await b.context.newPage();
  page.on("request", (r) => seen.push(r.url()));
  await page.goto(`${server.url}#example=cross-account-bucket`);
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  await dataReady(page);
  await page.click('[data-testid="share-button"]');
  await page.click('[data-testid="embed-button"]');
  await page.selectOption('[data-testid="example-select"]', "rcp-data-perimeter");
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await page.waitForTimeout(1200);
  await assertOwnFiles(server, seen);
  // The Content-Security-Policy is in place.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  await page.close();
});
