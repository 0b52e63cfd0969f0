// Share links, the plain-JSON link form, embed mode, and links that are
// broken, truncated or hostile.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { browser, cursorBefore, decision, open, ROOT, serve } from "./helpers.mjs";

let server;
let b;

before(async () => {
  server = await serve();
  b = await browser();
  await b.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(server.url).origin });
});
after(async () => {
  await b?.close();
  await server?.close();
});

/** The JSON state a `#v1=` link carries, decoded the way the format is documented. */
function decodeV1(link) {
  const fragment = new URL(link).hash.slice(1);
  const item = fragment.split("&").find((i) => i.startsWith("v1="));
  assert.ok(item, `no v1= in ${link}`);
  const bytes = Buffer.from(item.slice(3), "base64url");
  return JSON.parse(inflateRawSync(bytes).toString("utf8"));
}

const texts = (page) => page.evaluate(() => globalThis.iamtraceEditor.debugTexts());

// Texts with CRLF, tabs, trailing spaces, non-BMP characters and a JSON error
// must come back exactly as they were.
const TRICKY = '{\r\n\t"Version": "2012-10-17",   \r\n\t"Statement": [{"Sid": "Emoji😀é", "Effect": "Allow",\r\n "Action": "s3:GetObject", "Resource": "*"}]\r\n}\r\n\r\n';
const SCENARIO = {
  name: "tricky texts",
  policies: {
    identity: [{ name: "Tricky", policy: TRICKY }],
    session: ["{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}"],
  },
  request: {
    principal: "arn:aws:sts::111122223333:assumed-role/Reader/ümlaut-session",
    action: "s3:GetObject",
    resource: "arn:aws:s3:::amzn-s3-demo-bucket/a b/c.txt",
    resource_account: "111122223333",
    context: { "aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["team", "env"] },
  },
};

test("a share link restores the exact state in a fresh browser", async () => {
  const link = `${server.url}#scenario=${encodeURIComponent(JSON.stringify(SCENARIO))}`;
  const { page, errors } = await open(b.context, link);
  // IAM rejects characters above U+00FF, so this text has an error: no decision.
  assert.equal(await decision(page), "none");
  assert.ok((await page.locator('[data-testid="diagnostic"]').count()) >= 1);
  assert.equal((await texts(page))["editor-identity-0"], TRICKY);
  // Edit: insert characters in the middle of the text.
  await cursorBefore(page, "editor-identity-0", "Emoji");
  await page.keyboard.insertText("Ü𝄞");
  const edited = TRICKY.replace("Emoji", "Ü𝄞Emoji");
  await page.waitForFunction((t) => globalThis.iamtraceEditor.debugTexts()["editor-identity-0"] === t, edited);
  await page.fill('[data-testid="request-action"]', "s3:GetObjectVersion");
  await page.click('[data-testid="panel-toggle-diagram"]');

  await page.click('[data-testid="share-button"]');
  const shared = await page.inputValue('[data-testid="share-link"]');
  await page.waitForSelector('[data-testid="share-status"][data-copied="true"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shared);
  const state = decodeV1(shared);
  assert.equal(state.policies.identity[0].text, edited);
  assert.equal(state.policies.identity[0].name, "Tricky");
  assert.equal(state.request.action, "s3:GetObjectVersion");
  assert.deepEqual(state.panels, ["policies", "request", "decision", "trace"]);
  assert.deepEqual(errors, []);
  const before = await texts(page);
  const req = await page.$$eval('[data-testid^="request-"] ', (els) => els.map((e) => e.value ?? null));
  await page.close();

  // A fresh browser (new profile) opens the link to the same state.
  const other = await browser();
  try {
    const { page: p2, errors: e2 } = await open(other.context, shared);
    await p2.waitForSelector('[data-testid="editor-identity-0"] .cm-content');
    assert.deepEqual(await texts(p2), before);
    assert.deepEqual(await p2.$$eval('[data-testid^="request-"] ', (els) => els.map((e) => e.value ?? null)), req);
    assert.equal(await decision(p2), "none");
    const rows = await p2.$$eval('[data-testid="context-row"]', (rs) => rs.map((r) => r.dataset.key));
    assert.deepEqual(rows, ["aws:SourceIp", "aws:TagKeys"]);
    // The closed panel stays closed.
    assert.equal(await p2.getAttribute('[data-testid="panel-toggle-diagram"]', "aria-expanded"), "false");
    assert.deepEqual(e2, []);
  } finally {
    await other.close();
  }
});

test("links made by earlier versions keep opening", async () => {
  const fixtures = (await readFile(join(ROOT, "web", "tests", "fixtures", "links-v1.txt"), "utf8"))
    .split("\n")
    .filter((l) => l && !l.startsWith("#"));
  assert.ok(fixtures.length >= 2);
  for (const line of fixtures) {
    const [expected, fragment] = line.split(" ");
    const { page, errors } = await open(b.context, `${server.url}#${fragment}`);
    assert.equal(await decision(page), expected, fragment.slice(0, 40));
    assert.equal(await page.locator('[data-testid="link-error"]').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test("the plain JSON link form is written by hand", async () => {
  const scenario = {
    policies: { identity: [{ Statement: { Effect: "Deny", Action: "s3:*", Resource: "*" } }] },
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject", resource: "*" },
  };
  const { page } = await open(b.context, `${server.url}#scenario=${encodeURIComponent(JSON.stringify(scenario))}`);
  assert.equal(await decision(page), "ExplicitDeny");
  // The share dialog offers this form too, and it opens to the same decision.
  await page.click('[data-testid="share-button"]');
  const jsonLink = await page.inputValue('[data-testid="share-json-link"]');
  assert.match(jsonLink, /#scenario=%7B/);
  await page.close();
  const { page: p2 } = await open(b.context, jsonLink);
  assert.equal(await decision(p2), "ExplicitDeny");
  await p2.close();
});

test("embed mode: chosen panels, read-only, and a way out to the full playground", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=cross-account-bucket&embed&panels=policies,decision,diagram&readonly`);
  assert.equal(await page.locator(".topbar").count(), 0);
  assert.equal(await page.locator('[data-testid="panel-request"]').count(), 0);
  assert.equal(await page.locator('[data-testid="panel-trace"]').count(), 0);
  assert.equal(await decision(page), "Allow");
  await page.waitForSelector('[data-testid="editor-identity-0"] .cm-content[contenteditable="false"]');
  const full = await page.getAttribute('[data-testid="open-full"]', "href");
  assert.match(full, /#example=cross-account-bucket$/);
  assert.deepEqual(errors, []);
  await page.close();

  // An editable embed: edits reach the "open in the full playground" link.
  const { page: p2 } = await open(b.context, `${server.url}#example=s3-read&embed&panels=policies,decision`);
  await p2.waitForSelector('[data-testid="editor-identity-0"] .cm-content[contenteditable="true"]');
  await cursorBefore(p2, "editor-identity-0", "ReadReports\"");
  await p2.keyboard.type("X");
  await p2.locator('[data-testid="open-full"]').focus();
  const out = await p2.getAttribute('[data-testid="open-full"]', "href");
  assert.match(out, /#v1=/);
  assert.doesNotMatch(out, /embed/);
  assert.match(decodeV1(out).policies.identity[0].text, /XReadReports/);
  await p2.close();

  // The Embed button writes a snippet whose iframe shows the embed.
  const { page: p3 } = await open(b.context, `${server.url}#example=deny-non-tls`);
  await p3.click('[data-testid="embed-button"]');
  await p3.uncheck('[data-testid="embed-panel-policies"]');
  await p3.check('[data-testid="embed-panel-diagram"]');
  const snippet = await p3.inputValue('[data-testid="embed-snippet"]');
  const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll("&amp;", "&");
  assert.match(src, /&embed&panels=decision,trace,diagram&readonly/);
  await p3.close();
  const { page: p4 } = await open(b.context, src);
  assert.equal(await decision(p4), "ExplicitDeny");
  assert.equal(await p4.locator('[data-testid="panel-policies"]').count(), 0);
  await p4.close();
});

const bomb = Buffer.from(deflateRawSync(Buffer.alloc(8 * 1024 * 1024, 0x20), { level: 9 })).toString("base64url");

test("broken, truncated and hostile links show a message and a working page", async () => {
  const { page: source } = await open(b.context, `${server.url}#example=scp-regions`);
  await source.click('[data-testid="share-button"]');
  const good = new URL(await source.inputValue('[data-testid="share-link"]')).hash.slice(1);
  await source.close();
  const cases = [
    ["v1=%%%%", /base64/],
    [good.slice(0, Math.floor(good.length / 2)), /ends too early|damaged|base64/],
    ["v1=AAAAAAAAAAAAAAAA", /damaged|ends too early/],
    [`v1=${bomb}`, /more than 1 MiB/],
    [`v1=${Buffer.from(deflateRawSync(Buffer.from('{"policies": 7}'))).toString("base64url")}`, /not a playground state/],
    ["scenario=%7B%22policies%22%3A", /scenario in the link could not be read/],
    ["example=no-such-example", /no example called/],
    ["v2=anything", /newer version/],
  ];
  assert.ok(bomb.length < 20000, `the bomb is small (${bomb.length} chars)`);
  for (const [fragment, message] of cases) {
    const { page, errors } = await open(b.context, `${server.url}#${fragment}`);
    const alert = page.locator('[data-testid="link-error"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), message, fragment.slice(0, 30));
    // A working page: the default example, and it still follows edits.
    assert.equal(await decision(page), "Allow");
    await cursorBefore(page, "editor-identity-0", "GetObject\"");
    await page.keyboard.type("X");
    await page.waitForSelector('[data-testid="decision"][data-decision="ImplicitDeny"]');
    assert.deepEqual(errors, [], fragment.slice(0, 30));
    await page.close();
  }
});
