// Screenshots of the main views, saved to e2e/artifacts/ for people to look
// at: light and dark, laptop and phone, embed, a cross-account flow, a
// highlighted statement, errors and a broken link.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, browser, cursorBefore, dataReady, decision, open, serve } from "./helpers.mjs";

let server;
before(async () => {
  server = await serve();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await server?.close();
});

const shot = (name) => join(ARTIFACTS, name);

async function withBrowser(options, fn) {
  const b = await browser(options);
  try {
    await fn(b.context);
  } finally {
    await b.close();
  }
}

test("laptop, light and dark", async () => {
  for (const scheme of ["light", "dark"]) {
    await withBrowser({ viewport: { width: 1440, height: 900 }, colorScheme: scheme }, async (context) => {
      const { page, errors } = await open(context, server.url);
      await page.waitForSelector('[data-testid="editor-identity-0"] .cm-content');
      assert.equal(await page.getAttribute("html", "data-theme"), scheme);
      await page.screenshot({ path: shot(`laptop-${scheme}.png`) });
      assert.deepEqual(errors, []);
    });
  }
});

test("cross-account flow, highlight, and the diagram", async () => {
  await withBrowser({ viewport: { width: 1440, height: 900 } }, async (context) => {
    const { page } = await open(context, `${server.url}#example=cross-account-bucket`);
    await page.click('[data-testid="trace-step"][data-stage="resource-policy"] [data-testid="trace-statement-button"]');
    await page.waitForSelector('[data-testid="editor-resource"] .cm-trace-hl-strong');
    await page.screenshot({ path: shot("cross-account-highlight.png") });
    await page.locator('[data-testid="panel-diagram"]').screenshot({ path: shot("diagram-cross-account.png") });
    await page.selectOption('[data-testid="example-select"]', "scp-regions");
    await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
    await page.locator('[data-testid="panel-diagram"]').screenshot({ path: shot("diagram-scp.png") });
    await page.locator('[data-testid="panel-trace"]').screenshot({ path: shot("trace-scp.png") });
  });
});

test("phone", async () => {
  await withBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, async (context) => {
    const { page, errors } = await open(context, `${server.url}#example=cloudtrail-mfa-delete`);
    await page.waitForSelector('[data-testid="editor-identity-0"] .cm-content');
    await page.screenshot({ path: shot("phone.png") });
    await page.screenshot({ path: shot("phone-full.png"), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on a phone (scrollWidth ${width})`);
    assert.deepEqual(errors, []);
  });
  await withBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, colorScheme: "dark" }, async (context) => {
    const { page } = await open(context, `${server.url}#example=explicit-deny`);
    await page.locator('[data-testid="panel-decision"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("phone-dark.png") });
  });
});

test("embed", async () => {
  await withBrowser({ viewport: { width: 820, height: 560 } }, async (context) => {
    const { page } = await open(context, `${server.url}#example=deny-non-tls&embed&panels=policies,decision,trace&readonly`);
    await page.waitForSelector('[data-testid="editor-resource"] .cm-content');
    await page.screenshot({ path: shot("embed.png") });
    const { page: p2 } = await open(context, `${server.url}#example=cross-account-bucket&embed&panels=decision,diagram&theme=dark`);
    await p2.screenshot({ path: shot("embed-decision-diagram-dark.png") });
  });
});

test("the AWS knowledge: access overview and findings, light and dark, laptop and phone", async () => {
  for (const scheme of ["light", "dark"]) {
    await withBrowser({ viewport: { width: 1440, height: 900 }, colorScheme: scheme }, async (context) => {
      const { page, errors } = await open(context, `${server.url}#example=scp-regions`);
      await dataReady(page);
      await page.click('[data-testid="panel-toggle-overview"]');
      await page.waitForSelector('[data-testid="overview-cell"]');
      await page.waitForSelector(".cm-lintRange");
      await page.screenshot({ path: shot(`knowledge-laptop-${scheme}.png`) });
      await page.locator('[data-testid="panel-overview"]').screenshot({ path: shot(`overview-${scheme}.png`) });
      assert.deepEqual(errors, []);
    });
  }
  await withBrowser({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, async (context) => {
    const { page, errors } = await open(context, `${server.url}#example=explicit-deny`);
    await dataReady(page);
    await page.click('[data-testid="panel-toggle-overview"]');
    await page.waitForSelector('[data-testid="overview-cell"]');
    await page.locator('[data-testid="panel-overview"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot("phone-overview.png") });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on a phone (scrollWidth ${width})`);
    assert.deepEqual(errors, []);
  });
});

test("errors and a broken link", async () => {
  await withBrowser({ viewport: { width: 1440, height: 900 } }, async (context) => {
    const { page } = await open(context, server.url);
    await cursorBefore(page, "editor-identity-0", '"Effect": "Allow",');
    await page.keyboard.type("x");
    await page.waitForSelector('[data-testid="decision"][data-decision="none"]');
    await page.waitForSelector('[data-testid="editor-identity-0"] .cm-lintRange-error');
    await page.screenshot({ path: shot("policy-error.png") });
    const { page: p2 } = await open(context, `${server.url}#v1=AAAAthis-is-not-a-link`);
    await p2.waitForSelector('[data-testid="link-error"]');
    assert.equal(await decision(p2), "Allow");
    await p2.screenshot({ path: shot("broken-link.png") });
    await p2.click('[data-testid="share-button"]');
    await p2.screenshot({ path: shot("share-dialog.png") });
  });
});
