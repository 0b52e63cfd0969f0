// How a page uses the module; type-checked (not run) by check.mjs against
// the generated dist/module/iamtrace_wasm.d.ts. Keep it close to the
// snippets in docs/embedding.html.
import init, { evaluate, evaluateScenario, scenarioToInput, version } from "iamtrace";
import type { Decision, EvaluateResult, Input, Step } from "iamtrace";

export async function run(): Promise<string[]> {
  await init();
  const input: Input = {
    policies: {
      identity: [{ name: "ReadReports", text: '{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}' }],
      scp: [[{ text: '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}' }]],
    },
    request: {
      principal: "arn:aws:iam::111122223333:user/alice",
      action: "s3:GetObject",
      resource: "arn:aws:s3:::amzn-s3-demo-bucket/report.csv",
      context: { "aws:SecureTransport": "true", "aws:TagKeys": ["team", "env"] },
    },
  };
  const result: EvaluateResult = evaluate(input);
  const lines: string[] = [`iamtrace ${version()}`];
  if ("error" in result) {
    lines.push(`${result.error.code}: ${result.error.message} at ${result.error.path ?? "?"}`);
    return lines;
  }
  const decision: Decision | null = result.decision;
  for (const d of result.diagnostics) {
    const where = d.slot.in === "policy" ? `${d.slot.kind} policy ${d.slot.index + 1}` : d.slot.field;
    lines.push(`${d.severity} ${where} ${d.start.line}:${d.start.utf16_column} ${d.message}`);
  }
  const steps: Step[] = result.answer?.trace ?? [];
  for (const step of steps) {
    lines.push(`${step.decisive ? "*" : " "} ${step.title}: ${step.verdict} (${step.summary})`);
    for (const s of step.statements ?? []) {
      lines.push(`  ${s.sid ?? `#${s.statement + 1}`} ${s.effect} applies=${s.applies} action=${s.action.status}`);
      for (const c of s.conditions ?? []) {
        lines.push(`    ${c.operator} ${c.key} ${c.request_values?.join(",") ?? "(missing)"} -> ${c.result}`);
      }
    }
  }
  lines.push(decision ?? "no decision");
  const scenario = JSON.stringify({ policies: {}, request: input.request });
  const viaScenario = evaluateScenario(scenario);
  if (!("error" in viaScenario)) lines.push(viaScenario.answer?.summary ?? "");
  const parsed = scenarioToInput(scenario);
  if ("input" in parsed) lines.push(parsed.input.request.principal);
  else lines.push(`${parsed.error.start?.line ?? 0}`);
  return lines;
}
