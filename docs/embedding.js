// The live examples of embedding.html, run through the iamtrace JS module.
// Everything from a policy or a result reaches the page as text nodes
// (`append(string)`, `textContent`), never as HTML.

const MODULE_URL = "../module/iamtrace_wasm.js";

/** `h("p", { class: "x" }, "text", child)`: an element; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null && value !== false) el.setAttribute(name, value === true ? "" : String(value));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

const pretty = (doc) => JSON.stringify(doc, null, 2);

/** A core message such as "denied by `Sid`": the backticked parts become `<code>` (as text). */
const prose = (message) => message.split("`").map((part, i) => (i % 2 ? h("code", {}, part) : part));
const BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket";
const ALICE = "arn:aws:iam::111122223333:user/alice";

const EXAMPLES = {
  "example-s3-read": () => ({
    policies: {
      identity: [
        {
          name: "ReportsReader",
          text: pretty({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "ReadReportsFromOffice",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: `${BUCKET}/reports/*`,
                Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
              },
            ],
          }),
        },
      ],
    },
    request: {
      principal: ALICE,
      action: "s3:GetObject",
      resource: `${BUCKET}/reports/2024-q3.csv`,
      resource_account: "111122223333",
      context: { "aws:SourceIp": "203.0.113.7" },
    },
  }),
  "example-tls": (tls) => ({
    policies: {
      identity: [
        {
          name: "ReadBucket",
          text: pretty({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [BUCKET, `${BUCKET}/*`] }],
          }),
        },
      ],
      resource: {
        name: "BucketPolicy",
        text: pretty({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [BUCKET, `${BUCKET}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
    },
    request: {
      principal: ALICE,
      action: "s3:GetObject",
      resource: `${BUCKET}/report.csv`,
      resource_account: "111122223333",
      context: { "aws:SecureTransport": tls ? "true" : "false" },
    },
  }),
};

const DECISIONS = { Allow: "Allow", ExplicitDeny: "Explicit deny", ImplicitDeny: "Implicit deny" };
const VERDICTS = {
  info: "info",
  allow: "allows",
  "no-allow": "no allow",
  "explicit-deny": "denies",
  pass: "passes",
  skipped: "skipped",
  "not-applicable": "n/a",
  "not-reached": "not reached",
  "implicit-deny": "implicit deny",
};
const POLICY_LABELS = {
  identity: "Identity policy",
  resource: "Resource-based policy",
  boundary: "Permissions boundary",
  session: "Session policy",
  scp: "SCP",
  rcp: "RCP",
  vpce: "VPC endpoint policy",
};

/** The policies and the request, as the reader should see them. */
function renderInput(input) {
  const blocks = [];
  for (const [kind, value] of Object.entries(input.policies)) {
    for (const policy of [value].flat(2)) {
      blocks.push(
        h("div", { class: "policy" },
          h("div", { class: "policy-head" }, POLICY_LABELS[kind] ?? kind, policy.name ? h("code", {}, policy.name) : null),
          h("pre", { class: "policy-text" }, h("code", {}, policy.text))),
      );
    }
  }
  const r = input.request;
  const rows = [["Principal", r.principal], ["Action", r.action], ["Resource", r.resource]];
  if (r.resource_account) rows.push(["Resource account", r.resource_account]);
  for (const [key, value] of Object.entries(r.context ?? {})) rows.push([key, [value].flat().join(", ")]);
  blocks.push(
    h("div", { class: "policy" },
      h("div", { class: "policy-head" }, "Request"),
      h("dl", { class: "request" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, h("code", {}, v))]))),
  );
  return blocks;
}

function renderCondition(c) {
  const request = c.request_values === null ? "missing" : c.request_values.join(", ");
  const policy = c.policy_values.map((v) => v.resolved ?? v.text).join(", ");
  return h("li", { class: `condition ${c.result === "true" ? "is-true" : "is-false"}` },
    h("code", {}, c.operator), " ", h("code", {}, c.key), ": request ", h("code", {}, request),
    " vs policy ", h("code", {}, policy), " → ", h("strong", {}, c.result));
}

function renderStatement(s) {
  const name = s.sid ? s.sid : `statement ${s.statement + 1}`;
  const policy = s.policy.name ?? POLICY_LABELS[s.policy.kind] ?? s.policy.kind;
  return h("li", { class: `statement ${s.applies ? "applies" : "no-match"}` },
    h("span", { class: `effect effect-${s.effect.toLowerCase()}` }, s.effect), " ",
    h("code", {}, name), h("span", { class: "muted" }, ` in ${policy}`), " ",
    h("span", { class: "statement-result" }, s.applies ? "applies" : "does not apply"),
    s.conditions?.length ? h("ul", { class: "conditions" }, s.conditions.map(renderCondition)) : null);
}

function renderStep(step) {
  const quiet = step.verdict === "not-applicable" || step.verdict === "not-reached";
  return h("li", { class: `step verdict-${step.verdict}${step.decisive ? " decisive" : ""}${quiet ? " quiet" : ""}`, "data-testid": "module-trace-step", "data-verdict": step.verdict },
    h("div", { class: "step-line" },
      h("span", { class: "verdict" }, VERDICTS[step.verdict] ?? step.verdict),
      h("span", { class: "step-title" }, step.title, step.side ? h("span", { class: "muted" }, ` (${step.side} side)`) : null),
      step.decisive ? h("span", { class: "decisive-tag" }, "decisive") : null),
    h("div", { class: "step-summary" }, prose(step.summary)),
    step.statements?.length ? h("ul", { class: "statements" }, step.statements.map(renderStatement)) : null);
}

/** The decision and the trace (or the diagnostics, or the input error). */
function renderResult(result) {
  if ("error" in result) {
    return [h("p", { class: "error", "data-testid": "module-error" }, `${result.error.code}: `, prose(result.error.message), result.error.path ? ` (at ${result.error.path})` : "")];
  }
  const out = [];
  const decision = result.decision;
  out.push(h("div", { class: `decision decision-${decision ?? "none"}`, "data-testid": "module-decision", "data-decision": decision ?? "" },
    h("span", { class: "decision-label" }, "Decision"),
    h("span", { class: "decision-value" }, decision ? DECISIONS[decision] : "No decision")));
  if (result.answer) out.push(h("p", { class: "summary" }, prose(result.answer.summary)));
  if (result.diagnostics.length) {
    out.push(h("ul", { class: "diagnostics" }, result.diagnostics.map((d) =>
      h("li", { class: `diagnostic severity-${d.severity.toLowerCase()}` },
        h("strong", {}, d.severity.toLowerCase()), ` ${d.start.line}:${d.start.utf16_column} `, prose(d.message)))));
  }
  if (result.answer) {
    out.push(h("p", { class: "trace-title" }, "Evaluation trace"));
    out.push(h("ol", { class: "trace" }, result.answer.trace.map(renderStep)));
  }
  return out;
}

function show(figure, input, result) {
  figure.querySelector('[data-slot="input"]').replaceChildren(...renderInput(input));
  figure.querySelector('[data-slot="output"]').replaceChildren(...renderResult(result));
}

function addCopyButtons() {
  for (const pre of document.querySelectorAll(".snippet pre")) {
    const snippet = pre.closest(".snippet");
    let head = snippet.querySelector(".snippet-head");
    if (!head) {
      head = h("div", { class: "snippet-head" }, h("span", {}, "HTML"));
      snippet.prepend(head);
    }
    const button = h("button", { type: "button", class: "copy" }, "Copy");
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(pre.textContent);
        button.textContent = "Copied";
      } catch {
        getSelection()?.selectAllChildren(pre);
        button.textContent = "Press Ctrl+C";
      }
      setTimeout(() => (button.textContent = "Copy"), 1500);
    });
    head.append(button);
  }
}

async function main() {
  addCopyButtons();
  const status = document.getElementById("module-status");
  let iamtrace;
  try {
    iamtrace = await import(MODULE_URL);
    await iamtrace.default();
  } catch (e) {
    status.textContent = `Could not load the iamtrace module from ${MODULE_URL}: ${e}. Build it with scripts/build-wasm-module.sh.`;
    status.classList.add("status-error");
    return;
  }
  const version = iamtrace.version();
  for (const el of document.querySelectorAll('[data-slot="version"]')) el.textContent = version;
  status.textContent = `iamtrace ${version} loaded · every result below was computed in this browser`;
  status.classList.add("status-ok");

  const s3 = document.getElementById("example-s3-read");
  const s3Input = EXAMPLES["example-s3-read"]();
  show(s3, s3Input, iamtrace.evaluate(s3Input));

  const tls = document.getElementById("example-tls");
  const toggle = document.getElementById("tls-toggle");
  const rerun = () => {
    const input = EXAMPLES["example-tls"](toggle.checked);
    tls.querySelector('[data-slot="tls-value"]').textContent = toggle.checked ? "true" : "false";
    show(tls, input, iamtrace.evaluate(input));
  };
  toggle.addEventListener("change", rerun);
  rerun();
  document.documentElement.dataset.examplesReady = "true";
}

main();
