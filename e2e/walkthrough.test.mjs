// Credentials and logs: the credential walkthrough (a chain scenario walked
// hop by hop, each hop opening its trace, the failed hop lit, the chain in
// share links) and the "From CloudTrail" panel (a pasted record becomes a
// request, each value with the record field it came from; AWS's verdict
// beside iamtrace's; "Use this request"). Both are rendered by the panels
// module, loaded on demand. Screenshots go to e2e/artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, browser, decision, open, ROOT, serve } from "./helpers.mjs";

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

const fixture = (name) => readFile(join(ROOT, "crates", "iamtrace", "tests", "cloudtrail", `${name}.json`), "utf8");
const example = (name) => readFile(join(ROOT, "examples", `${name}.json`), "utf8");
const texts = (page) => page.evaluate(() => globalThis.iamtraceEditor.debugTexts());

/** The hops shown: `[kind, outcome, failed]` each. */
const hops = (page) =>
  page.$$eval('[data-testid="hop"]', (els) => els.map((e) => [e.dataset.kind, e.dataset.outcome, e.dataset.failed === "true"]));

/** Replaces the text of a CodeMirror editor as a paste would. */
async function replaceText(page, testid, text) {
  await page.click(`[data-testid="${testid}"] .cm-content`);
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
}

/** Opens the CloudTrail panel and pastes `text`. */
async function paste(page, text) {
  if ((await page.getAttribute('[data-testid="panel-toggle-cloudtrail"]', "aria-expanded")) !== "true") {
    await page.click('[data-testid="panel-toggle-cloudtrail"]');
  }
  await page.waitForSelector('[data-testid="editor-cloudtrail"] .cm-content', { timeout: 20000 });
  await replaceText(page, "editor-cloudtrail", text);
}

const field = (page, name) => page.locator(`[data-testid="ct-field"][data-name="${name}"]`).first();
const key = (page, k) => page.locator(`[data-testid="ct-key"][data-key="${k}"]`);

test("the course chain walks hop by hop, each hop opening its checks, credential and trace", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=sts-course-assume-role`);
  await page.waitForSelector('[data-testid="hop"]', { timeout: 20000 });
  assert.deepEqual(await hops(page), [
    ["credential", "Allow", false],
    ["assume-role", "Allow", false],
    ["request", "Allow", false],
  ]);
  assert.equal(await page.getAttribute('[data-testid="walk-decision"]', "data-decision"), "Allow");
  assert.match(await page.textContent('[data-testid="walk-expected"]'), /As the scenario expects/);
  // The one-request panels are not shown while a chain is.
  assert.equal(await page.locator('[data-testid="panel-policies"]').count(), 0);
  // The session AssumeRole hands to the request: a role session of 900 seconds.
  assert.match(await page.textContent('[data-testid="hop-session"]'), /role session\s*900 s/);

  // The AssumeRole hop: its rules with their AWS pages, the session it yields.
  await page.click('[data-testid="hop"][data-index="1"]');
  await page.waitForSelector('[data-testid="hop-detail"][data-index="1"]');
  const checks = await page.$$eval('[data-testid="hop-check"]', (els) => els.map((e) => [e.dataset.code, e.dataset.passed]));
  for (const code of ["caller-kind", "role-session-name", "duration-bounds", "duration-role-maximum"]) {
    assert.ok(checks.some(([c, p]) => c === code && p === "true"), `${code} in ${JSON.stringify(checks)}`);
  }
  const docs = await page.$$eval('[data-testid="hop-check-doc"]', (els) => els.map((e) => e.href));
  assert.ok(docs.length >= 4 && docs.every((h) => h.startsWith("https://docs.aws.amazon.com/")), docs.join(" "));
  const cred = page.locator('[data-testid="hop-credential"]');
  assert.equal(await cred.getAttribute("data-kind"), "role-session");
  assert.match(await cred.textContent(), /arn:aws:sts::111122223333:assumed-role\/AssumeRole_S3_jkcho\/s3-session/);
  assert.match(await page.textContent('[data-testid="cred-duration"]'), /^900 seconds \(15 min\)/);
  assert.match(await page.textContent('[data-testid="cred-session-policies"]'), /AmazonS3FullAccess/);
  assert.ok((await page.locator('[data-testid="cred-key"]').count()) > 0, "the session's context keys are listed");

  // Its sts:AssumeRole evaluation shows its trace (the trace panel's steps)
  // as the hop opens; a statement picked there is highlighted in the chain text.
  const auth = page.locator('[data-testid="hop-auth"][data-action="sts:AssumeRole"]');
  assert.equal(await auth.getAttribute("data-decision"), "Allow");
  assert.equal(await auth.locator('[data-testid="hop-trace-toggle"]').getAttribute("aria-expanded"), "true");
  await page.waitForSelector('[data-testid="hop-trace"] [data-testid="trace-step"]');
  const stages = await page.$$eval('[data-testid="hop-trace"] [data-testid="trace-step"]', (els) => els.map((e) => e.dataset.stage));
  assert.ok(stages.includes("resource-policy") && stages.includes("identity"), stages.join(","));
  await page.click('[data-testid="hop-trace"] [data-testid="trace-step"][data-stage="resource-policy"] [data-testid="trace-statement-button"]');
  await page.waitForSelector('[data-testid="editor-chain"] .cm-trace-hl-strong');
  const lit = await page.$$eval('[data-testid="editor-chain"] .cm-trace-hl-strong', (els) => els.map((e) => e.textContent).join(""));
  assert.match(lit, /TrustTheAccount/);
  assert.equal(await page.locator('[data-testid="hop-replay-differs"]').count(), 0);
  await page.screenshot({ path: join(ARTIFACTS, "chain-laptop-light.png") });

  // "Open in the playground": the hop's evaluation as a one-request scenario.
  await auth.locator('[data-testid="hop-open-playground"]').click();
  await page.waitForSelector('[data-testid="panel-policies"]');
  assert.equal(await decision(page), "Allow");
  assert.equal(await page.inputValue('[data-testid="request-action"]'), "sts:AssumeRole");
  assert.deepEqual(errors, []);
  await page.close();
});

test("role chaining over one hour: the failed hop is lit and names its rule", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=sts-role-chaining-over-one-hour`);
  await page.waitForSelector('[data-testid="hop"]', { timeout: 20000 });
  assert.deepEqual(await hops(page), [
    ["credential", "Allow", false],
    ["assume-role", "Allow", false],
    ["assume-role", "CheckFailed", true],
    ["request", "NotReached", false],
  ]);
  const failed = page.locator('[data-testid="hop"][data-failed="true"]');
  assert.match(await failed.getAttribute("class"), /hop-failed/);
  assert.equal(await page.getAttribute('[data-testid="walk-decision"]', "data-failed-hop"), "2");
  // The failed hop opens first, its failing rule marked, with no evaluation.
  assert.equal(await page.getAttribute('[data-testid="hop-detail"]', "data-index"), "2");
  const bad = page.locator('[data-testid="hop-check"][data-passed="false"]');
  assert.equal(await bad.count(), 1);
  assert.equal(await bad.getAttribute("data-code"), "duration-role-chaining");
  assert.equal(await page.locator('[data-testid="hop-auth"]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a chain edited, shared and reopened: the link carries its exact text", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=sts-role-chaining-over-one-hour`);
  await page.waitForSelector('[data-testid="hop"]', { timeout: 20000 });
  const text = (await texts(page))["editor-chain"];
  const fixed = text.replace('"duration_seconds": 7200', '"duration_seconds": 3600');
  assert.notEqual(fixed, text);
  await replaceText(page, "editor-chain", fixed);
  await page.waitForFunction(() => document.querySelector('[data-testid="hop"][data-index="2"]')?.dataset.outcome === "Allow");
  assert.equal(await page.getAttribute('[data-testid="hop"][data-index="3"]', "data-outcome"), "Allow");
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.match(link, /#v1=/);
  await page.close();
  const { page: again } = await open(b.context, link);
  await again.waitForSelector('[data-testid="hop"][data-index="3"][data-outcome="Allow"]', { timeout: 20000 });
  assert.equal((await texts(again))["editor-chain"], fixed);
  await again.close();

  // The hand-written form: a chain scenario in `#scenario=`.
  const course = await example("sts-course-assume-role");
  const { page: p3 } = await open(b.context, `${server.url}#scenario=${encodeURIComponent(course)}`);
  await p3.waitForSelector('[data-testid="walk-decision"][data-decision="Allow"]', { timeout: 20000 });
  assert.equal((await texts(p3))["editor-chain"], course);
  assert.deepEqual(errors, []);
  await p3.close();
});

test("a broken chain says where, in the list and in the editor", async () => {
  const { page } = await open(b.context, `${server.url}#example=sts-course-assume-role`);
  await page.waitForSelector('[data-testid="hop"]', { timeout: 20000 });
  await replaceText(page, "editor-chain", '{\n  "chain": [\n    { "credential": { "user": 42 } }\n  ]\n}\n');
  const problem = page.locator('[data-testid="chain-problem"][data-line="3"]').first();
  await problem.waitFor({ timeout: 20000 });
  assert.match(await problem.textContent(), /line 3, column \d+/);
  await page.waitForSelector('[data-testid="editor-chain"] .cm-lintRange-error, [data-testid="editor-chain"] .cm-lint-error');
  await page.close();
});

test("an assumed-role record with MFA becomes a request, each value with its record field", async () => {
  const { page, errors } = await open(b.context, `${server.url}#example=s3-read`);
  const text = await fixture("assumed-role-lookup-events");
  await paste(page, text);
  await page.waitForSelector('[data-testid="ct-event-detail"]', { timeout: 20000 });
  const value = async (name) => (await field(page, name).locator(".ct-value").textContent()).trim();
  const from = async (loc) => (await loc.locator('[data-testid="ct-field-path"]').textContent()).trim();
  assert.equal(await value("principal"), "arn:aws:sts::111122223333:assumed-role/Deployer/deploy-7");
  assert.equal(await from(field(page, "principal")), "Events[0].CloudTrailEvent.userIdentity.arn");
  assert.equal(await value("action"), "s3:ListBucket");
  assert.equal(await value("resource"), "arn:aws:s3:::finance-reports");
  assert.equal(await value("session_parent_arn"), "arn:aws:iam::111122223333:role/ci/Deployer");
  const keyValue = async (k) => (await key(page, k).locator(".ct-value").textContent()).trim();
  assert.equal(await keyValue("aws:MultiFactorAuthPresent"), "true");
  assert.match(await from(key(page, "aws:MultiFactorAuthPresent")), /sessionContext\.attributes\.mfaAuthenticated$/);
  assert.equal(await keyValue("aws:PrincipalArn"), "arn:aws:iam::111122223333:role/ci/Deployer");
  assert.equal(await from(key(page, "aws:PrincipalArn")), "Events[0].CloudTrailEvent.userIdentity.sessionContext.sessionIssuer.arn");
  assert.equal(await keyValue("aws:SourceIdentity"), "jdoe");
  // What the record cannot show is listed with why.
  const unknown = page.locator('[data-testid="ct-unknown-key"][data-key="aws:SecureTransport"]');
  assert.equal(await unknown.count(), 1);
  assert.match(await unknown.textContent(), /unknown: .+/);
  // Clicking a field path highlights it in the pasted text.
  await key(page, "aws:PrincipalArn").locator('[data-testid="ct-field-path"]').click();
  await page.waitForSelector('[data-testid="editor-cloudtrail"] .cm-trace-hl-strong');
  const lit = await page.$$eval('[data-testid="editor-cloudtrail"] .cm-trace-hl-strong', (els) => els.map((e) => e.textContent).join(""));
  assert.match(lit, /arn:aws:iam::111122223333:role\/ci\/Deployer/);
  await page.screenshot({ path: join(ARTIFACTS, "cloudtrail-laptop-light.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("an AccessDenied record: AWS's message beside iamtrace's decision, and whether they agree", async () => {
  const text = await fixture("iam-user-get-object-denied");
  // Against the default example's policies, iamtrace does not deny the way AWS did.
  const { page, errors } = await open(b.context, `${server.url}#example=s3-read`);
  await paste(page, text);
  const compare = page.locator('[data-testid="ct-compare"]');
  await compare.waitFor({ timeout: 20000 });
  assert.match(await page.textContent('[data-testid="ct-aws"]'), /explicit deny\s*by a service control policy/);
  assert.equal(await compare.getAttribute("data-agrees"), "false");
  assert.match(await page.textContent('[data-testid="ct-agreement"]'), /disagrees/);
  const notes = await page.$$eval('[data-testid="ct-compare-note"]', (els) => els.map((e) => e.textContent).join(" "));
  assert.match(notes, /names only one policy type/);
  await page.close();

  // With an SCP that denies the read, both sides deny explicitly through an SCP.
  const scenario = {
    policies: {
      identity: [{ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "s3:*", Resource: "*" } }],
      scp: [[
        { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "*", Resource: "*" } },
        { Version: "2012-10-17", Statement: { Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::finance-reports/*" } },
      ]],
    },
    request: { principal: "arn:aws:iam::111122223333:user/ops/mary", action: "s3:ListBucket", resource: "*" },
  };
  const { page: p2 } = await open(b.context, `${server.url}#scenario=${encodeURIComponent(JSON.stringify(scenario))}`);
  await paste(p2, text);
  const c2 = p2.locator('[data-testid="ct-compare"]');
  await c2.waitFor({ timeout: 20000 });
  await p2.waitForSelector('[data-testid="ct-compare"][data-agrees="true"]', { timeout: 10000 });
  assert.match(await p2.textContent('[data-testid="ct-agreement"]'), /agree/);
  assert.equal(await p2.getAttribute('[data-testid="ct-eval"]', "data-decision"), "ExplicitDeny");

  // "Use this request": the form takes the record's request; the policies stay.
  const before = (await texts(p2))["editor-scp-0-1"];
  await p2.click('[data-testid="ct-use"]');
  await p2.waitForFunction(() => document.querySelector('[data-testid="request-action"]')?.value === "s3:GetObject");
  assert.equal(await p2.inputValue('[data-testid="request-principal"]'), "arn:aws:iam::111122223333:user/ops/mary");
  assert.equal(await p2.inputValue('[data-testid="request-resource"]'), "arn:aws:s3:::finance-reports/2026/q1.csv");
  const rows = await p2.$$eval('[data-testid="context-row"]', (els) => els.map((e) => e.dataset.key));
  assert.ok(rows.includes("aws:SourceIp") && rows.includes("aws:username"), rows.join(","));
  assert.equal((await texts(p2))["editor-scp-0-1"], before);
  await p2.waitForSelector('[data-testid="decision"][data-decision="ExplicitDeny"]');
  await p2.locator('[data-testid="panel-cloudtrail"]').screenshot({ path: join(ARTIFACTS, "cloudtrail-denied.png") });
  assert.deepEqual(errors, []);
  await p2.close();
});

test("an AssumeRole that passes session tags also needs sts:TagSession: the call is allowed only when both are", async () => {
  const record = {
    eventVersion: "1.08",
    userIdentity: { type: "IAMUser", principalId: "AIDAEXAMPLEALICE0001", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333", accessKeyId: "AKIAEXAMPLEALICE0001", userName: "alice" },
    eventTime: "2026-04-02T18:20:53Z",
    eventSource: "sts.amazonaws.com",
    eventName: "AssumeRole",
    awsRegion: "us-east-1",
    sourceIPAddress: "203.0.113.7",
    requestParameters: { roleArn: "arn:aws:iam::111122223333:role/Reader", roleSessionName: "s1", tags: [{ key: "team", value: "blue" }] },
    resources: [{ ARN: "arn:aws:iam::111122223333:role/Reader", accountId: "111122223333", type: "AWS::IAM::Role" }],
    eventType: "AwsApiCall",
    recipientAccountId: "111122223333",
  };
  const trust = (actions) => ({
    Version: "2012-10-17",
    Statement: { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:user/alice" }, Action: actions },
  });
  const scenario = (actions) => ({
    policies: { resource: trust(actions) },
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/Reader" },
  });
  // The trust policy allows AssumeRole only: the call is denied for want of sts:TagSession.
  const { page, errors } = await open(b.context, `${server.url}#scenario=${encodeURIComponent(JSON.stringify(scenario("sts:AssumeRole")))}`);
  await paste(page, JSON.stringify(record, null, 2));
  const further = page.locator('[data-testid="ct-further-action"][data-action="sts:TagSession"]');
  await further.waitFor({ timeout: 20000 });
  assert.equal(await further.getAttribute("data-decision"), "ImplicitDeny");
  assert.equal(await page.getAttribute('[data-testid="ct-eval"]', "data-decision"), "ImplicitDeny");
  assert.match(await page.textContent('[data-testid="ct-decision"]'), /sts:TagSession/);
  assert.deepEqual(errors, []);
  await page.close();
  // Allowing both, the call is allowed.
  const { page: p2 } = await open(b.context, `${server.url}#scenario=${encodeURIComponent(JSON.stringify(scenario(["sts:AssumeRole", "sts:TagSession"])))}`);
  await paste(p2, JSON.stringify(record, null, 2));
  await p2.waitForSelector('[data-testid="ct-further-action"][data-action="sts:TagSession"][data-decision="Allow"]', { timeout: 20000 });
  assert.equal(await p2.getAttribute('[data-testid="ct-eval"]', "data-decision"), "Allow");
  await p2.close();
});

test("a broken record gets a clear error with its position", async () => {
  const { page } = await open(b.context, `${server.url}#example=s3-read`);
  await paste(page, await fixture("bad-not-json"));
  const err = page.locator('[data-testid="ct-error"]');
  await err.waitFor({ timeout: 20000 });
  assert.equal(await err.getAttribute("data-line"), "1");
  assert.match(await err.textContent(), /line 1, column \d+/);
  await page.waitForSelector('[data-testid="editor-cloudtrail"] .cm-lintRange-error, [data-testid="editor-cloudtrail"] .cm-lint-error');
  await page.close();
});

test("screenshots: chain and CloudTrail, dark laptop and phone", async () => {
  const record = await fixture("iam-user-get-object-denied");
  for (const [name, options] of [
    ["laptop-dark", { viewport: { width: 1440, height: 900 }, colorScheme: "dark" }],
    ["phone", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }],
  ]) {
    const other = await browser(options);
    try {
      const { page, errors } = await open(other.context, `${server.url}#example=sts-role-chaining-over-one-hour`);
      await page.waitForSelector('[data-testid="hop"]', { timeout: 20000 });
      await page.locator('[data-testid="panel-walk"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, `chain-${name}.png`), fullPage: name === "phone" });
      await page.goto(`${server.url}#example=s3-read`);
      await page.waitForSelector('[data-testid="decision"]');
      await paste(page, record);
      await page.waitForSelector('[data-testid="ct-compare"]', { timeout: 20000 });
      await page.locator('[data-testid="panel-cloudtrail"]').screenshot({ path: join(ARTIFACTS, `cloudtrail-${name}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await other.close();
    }
  }
});
