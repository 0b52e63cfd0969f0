// Running both evaluators, and putting each difference into a category:
// a pending-core-fix entry (pending.mjs), a known entry (known.mjs), or an
// unexplained category named after what differs.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';

import { KNOWN } from './known.mjs';
import { ORACLES, satisfies } from './oracles.mjs';
import { PENDING } from './pending.mjs';
import { theirDecision, toSimulation } from './translate.mjs';

export const RULES = [...PENDING.map((r) => ({ ...r, kind: 'pending' })), ...KNOWN.map((r) => ({ ...r, kind: 'known' }))];
export const ALL_RULES = [...RULES, ...ORACLES.map((r) => ({ ...r, kind: 'oracle' }))];

/**
 * Checks every result against the oracles (oracles.mjs). Returns the findings
 * on scenarios where both tools agree but the documented answer differs
 * (`{ ...result, category, kind: 'pending', rules, agreeing: true }`), and marks
 * each disagreeing result that an oracle settles (`result.settled`).
 */
export async function checkOracles(results) {
  const findings = [];
  for (const r of results) {
    for (const o of ORACLES) {
      if (!o.when(r.scenario)) continue;
      const aws = await o.aws(r.scenario, toSimulation(r.scenario), (x) => runTheirs(r.scenario, x));
      // An oracle may find that the documentation settles nothing here.
      if (aws === undefined) continue;
      const oursOk = satisfies(r.ours, aws);
      const theirsOk = satisfies(r.theirs, aws);
      if (same(r.ours, r.theirs)) {
        if (!oursOk) findings.push({ ...r, category: o.id, kind: 'pending', rules: [o], agreeing: true, aws });
      } else if (oursOk !== theirsOk) {
        r.settled = { category: o.id, kind: oursOk ? 'known' : 'pending', rules: [o], aws };
      }
      break;
    }
  }
  return findings;
}

/** Scenarios per run of the binary: `iamtrace eval` reads at most 10,000 per file. */
const PER_FILE = 10_000;

/**
 * Runs the iamtrace binary over `scenarios` (once per 10,000, the CLI's
 * limit per file); returns `Map(name -> decision | { error })`.
 */
export function runIamtrace(binary, scenarios) {
  const result = new Map();
  for (let start = 0; start < scenarios.length; start += PER_FILE) {
    runFile(binary, scenarios.slice(start, start + PER_FILE), result);
  }
  return result;
}

function runFile(binary, scenarios, result) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iamtrace-differential-'));
  const file = path.join(dir, 'batch.jsonl');
  try {
    fs.writeFileSync(file, scenarios.map((s) => JSON.stringify(s)).join('\n') + '\n');
    const out = spawnSync(binary, ['eval', '--format', 'jsonl', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (out.error) throw new Error(`cannot run \`${binary}\`: ${out.error.message}`);
    const lines = out.stdout.split('\n').filter((l) => l.trim() !== '');
    if (lines.length !== scenarios.length) {
      throw new Error(`\`${binary}\` printed ${lines.length} lines for ${scenarios.length} scenarios (exit ${out.status}): ${out.stderr.slice(0, 2000)}`);
    }
    lines.forEach((line, i) => {
      const r = JSON.parse(line);
      result.set(scenarios[i].name, r.decision ?? { error: r.error ?? 'no decision' });
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** iam-simulate's decision (strict mode) for a scenario, or for an already-translated simulation. */
export async function runTheirs(scenario, simulation = toSimulation(scenario)) {
  try {
    const r = theirDecision(await runSimulation(simulation, { simulationMode: 'Strict' }));
    return r.decision ?? { error: r.error };
  } catch (e) {
    return { error: `exception: ${e.message}` };
  }
}

export function same(a, b) {
  return typeof a === 'string' && a === b;
}

export function show(d) {
  return typeof d === 'string' ? d : `error (${d.error})`;
}

function fallbackCategory(ours, theirs) {
  if (typeof ours !== 'string' && typeof theirs !== 'string') return 'error-both';
  if (typeof ours !== 'string') return 'error-iamtrace';
  if (typeof theirs !== 'string') return 'error-iam-simulate';
  if (ours === 'Allow') return 'unexplained-allow-iamtrace';
  if (theirs === 'Allow') return 'unexplained-allow-iam-simulate';
  return 'unexplained-deny-kind';
}

/**
 * Classifies every difference `{ scenario, ours, theirs }`. Trials per
 * difference, in order: each applicable rule alone, then all applicable rules
 * with re-checks together. The first trial after which both sides agree (or a
 * rule without a re-check) names the category.
 */
export async function classify(diffs, binary) {
  const trials = [];
  for (const d of diffs) {
    d.trials = [];
    if (d.settled) continue;
    const applicable = RULES.filter((r) => {
      try {
        return r.when(d.scenario, d.ours, d.theirs);
      } catch {
        return false;
      }
    });
    for (const r of applicable) d.trials.push({ rules: [r] });
    const withRecheck = applicable.filter((r) => r.recheck);
    if (withRecheck.length > 1) d.trials.push({ rules: withRecheck });
    trials.push(...d.trials.map((t) => ({ d, t })));
  }
  // Their side: re-run iam-simulate with the rules applied to its input.
  // Our side: collect the edited scenarios and run iamtrace once over all of them.
  const ourBatch = [];
  for (const [i, { d, t }] of trials.entries()) {
    t.ours = d.ours;
    t.theirs = d.theirs;
    const rechecks = t.rules.filter((r) => r.recheck);
    if (rechecks.length === 0) continue;
    let ourScenario = null;
    let sim = null;
    const decide = [];
    for (const r of rechecks) {
      if (r.recheck.ours) ourScenario = r.recheck.ours(ourScenario ?? d.scenario);
      if (r.recheck.theirs) sim = r.recheck.theirs(sim ?? toSimulation(d.scenario), d.scenario);
      if (r.recheck.decide) decide.push(r.recheck.decide);
    }
    if (sim) t.theirs = await runTheirs(d.scenario, sim);
    // `decide(scenario, simulation, decision, evaluate)` corrects iam-simulate's decision
    // where the rule cannot be written as an edit of its input alone.
    for (const f of decide) {
      const base = sim ?? toSimulation(d.scenario);
      t.theirs = await f(d.scenario, base, t.theirs, (x) => runTheirs(d.scenario, x));
    }
    if (ourScenario) {
      t.pendingName = `recheck-${i}`;
      ourBatch.push({ ...ourScenario, name: t.pendingName });
    }
  }
  if (ourBatch.length > 0) {
    const res = runIamtrace(binary, ourBatch);
    for (const { t } of trials) if (t.pendingName) t.ours = res.get(t.pendingName);
  }
  for (const d of diffs) {
    if (d.settled) {
      Object.assign(d, d.settled);
      delete d.settled;
      delete d.trials;
      continue;
    }
    const hit = d.trials.find((t) => t.rules.every((r) => !r.recheck) || same(t.ours, t.theirs));
    if (hit) {
      d.category = hit.rules.map((r) => r.id).join('+');
      d.kind = hit.rules.some((r) => r.kind === 'pending') ? 'pending' : 'known';
      d.rules = hit.rules;
    } else {
      d.category = fallbackCategory(d.ours, d.theirs);
      d.kind = 'unexplained';
    }
    delete d.trials;
  }
  return diffs;
}
