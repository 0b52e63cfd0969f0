#!/usr/bin/env node
// Differential test: iamtrace against @cloud-copilot/iam-simulate (strict mode)
// on seeded random scenarios.
//
// Usage: node scripts/differential/run.mjs [--seed N | --seed A-B]... [--count N]
//                                          [--show] [--json] [--out FILE] [--allow-pending]
//   --seed N, --seed A-B   seeds to run (repeatable; default 1)
//   --count N              scenarios per seed (default 2000)
//   --show                 print every difference with both decisions, and the
//                          scenario JSON of each unexplained or pending one
//   --category ID          with --show: only differences of that category
//   --json                 print one JSON report instead of text
//   --out FILE             write the scenarios of unexplained and pending differences
//                          (JSON array, each with both decisions) to FILE
//   --allow-pending        do not fail on pending-core-fix differences, and check each seed's
//                          agreement as expected once those fixes land
//   --min-agreement P      per-seed agreement required, in percent (default 99): the same
//                          decision as iam-simulate, or where they differ the one AWS's
//                          documentation gives (oracles.mjs)
// Environment: IAMTRACE   the iamtrace binary (default target/release/iamtrace)
//
// Exit status: 0 when every seed agrees on at least P% of its scenarios and every
// difference is explained by known.mjs (or by pending.mjs / oracles.mjs with
// --allow-pending); 1 otherwise; 2 for bad arguments.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadCatalog } from './catalog.mjs';
import { ALL_RULES, checkOracles, classify, runIamtrace, runTheirs, same, show } from './classify.mjs';
import { generate } from './generate.mjs';
import { ORACLES } from './oracles.mjs';

const ORACLE_IDS = new Set(ORACLES.map((o) => o.id));

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function usage(message) {
  process.stderr.write(`run.mjs: ${message}\nhelp: node scripts/differential/run.mjs --seed 1-5 --count 200 [--show] [--json]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { seeds: [], count: 2000, show: false, json: false, out: null, allowPending: false, category: null, minAgreement: 99 };
  const value = (i, flag) => {
    if (i + 1 >= argv.length) usage(`\`${flag}\` needs a value`);
    return argv[i + 1];
  };
  const int = (s, flag) => {
    if (!/^\d+$/.test(s)) usage(`\`${s}\` is not a number (for \`${flag}\`)`);
    return Number(s);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--seed': {
        const v = value(i++, a);
        const m = /^(\d+)(?:-|\.\.)(\d+)$/.exec(v);
        if (m) {
          const [lo, hi] = [Number(m[1]), Number(m[2])];
          if (hi < lo) usage(`empty seed range \`${v}\``);
          for (let s = lo; s <= hi; s++) opts.seeds.push(s);
        } else opts.seeds.push(int(v, a));
        break;
      }
      case '--count':
        opts.count = int(value(i++, a), a);
        break;
      case '--show':
        opts.show = true;
        break;
      case '--json':
        opts.json = true;
        break;
      case '--out':
        opts.out = value(i++, a);
        break;
      case '--category':
        opts.category = value(i++, a);
        break;
      case '--allow-pending':
        opts.allowPending = true;
        break;
      case '--min-agreement':
        opts.minAgreement = Number(value(i++, a));
        if (!(opts.minAgreement >= 0 && opts.minAgreement <= 100)) usage('`--min-agreement` takes a percentage');
        break;
      case '-h':
      case '--help':
        process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 22).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
        process.exit(0);
        break;
      default:
        usage(`unknown argument \`${a}\``);
    }
  }
  if (opts.seeds.length === 0) opts.seeds.push(1);
  opts.seeds = [...new Set(opts.seeds)];
  return opts;
}

function pct(a, b) {
  return b === 0 ? 100 : (100 * a) / b;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const binary = process.env.IAMTRACE || path.join(REPO, 'target/release/iamtrace');
  if (!fs.existsSync(binary)) usage(`no iamtrace binary at \`${binary}\` (build it: cargo build -p iamtrace-cli --release, or set IAMTRACE)`);
  const started = Date.now();
  const catalog = await loadCatalog();
  const scenarios = opts.seeds.flatMap((seed) => generate(seed, opts.count, catalog).map((s) => ({ seed, s })));
  const ours = runIamtrace(binary, scenarios.map(({ s }) => s));
  const results = [];
  for (const { seed, s } of scenarios) {
    results.push({ seed, scenario: s, ours: ours.get(s.name), theirs: await runTheirs(s) });
  }
  const findings = await checkOracles(results);
  const diffs = [...(await classify(results.filter((r) => !same(r.ours, r.theirs)), binary)), ...findings];

  // Tallies, per seed and overall.
  const perSeed = new Map(
    opts.seeds.map((seed) => [seed, { seed, total: 0, agreed: 0, documented: 0, known: 0, pending: 0, unexplained: 0 }]),
  );
  const decisions = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0, error: 0 };
  for (const r of results) {
    const t = perSeed.get(r.seed);
    t.total++;
    if (same(r.ours, r.theirs)) t.agreed++;
    decisions[typeof r.ours === 'string' ? r.ours : 'error']++;
  }
  const byCategory = new Map();
  for (const t of perSeed.values()) t.projected = t.agreed;
  for (const d of diffs) {
    perSeed.get(d.seed)[d.kind]++;
    // A difference AWS's documentation settles in iamtrace's favour (an
    // oracle, not a re-check): iamtrace agrees with AWS there.
    if (d.kind === 'known' && ORACLE_IDS.has(d.category)) perSeed.get(d.seed).documented++;
    // Once the pending core fixes land: a pending tool difference becomes agreement (the
    // re-check showed it), a pending oracle finding on agreeing tools becomes a known difference.
    if (d.kind === 'pending') perSeed.get(d.seed).projected += d.agreeing ? -1 : 1;
    const key = `${d.kind}:${d.category}`;
    const c = byCategory.get(key) ?? { category: d.category, kind: d.kind, count: 0, ourAllow: 0, agreeing: 0, rules: d.rules };
    c.count++;
    if (d.ours === 'Allow') c.ourAllow++;
    if (d.agreeing) c.agreeing++;
    byCategory.set(key, c);
  }
  const total = results.length;
  const agreed = results.filter((r) => same(r.ours, r.theirs)).length;
  const unexplained = diffs.filter((d) => d.kind === 'unexplained');
  const pending = diffs.filter((d) => d.kind === 'pending');
  const projected = [...perSeed.values()].reduce((sum, t) => sum + t.projected, 0);
  const lowProjected = [...perSeed.values()].filter((t) => pct(t.projected, t.total) < opts.minAgreement);
  // With --allow-pending the pending core fixes are taken as done: the per-seed check uses the
  // agreement expected after them.
  // A seed's agreement: the same decision as iam-simulate, or the one AWS's
  // documentation gives where iam-simulate's differs (oracles.mjs).
  const agreeing = (t) => t.agreed + t.documented;
  const documented = [...perSeed.values()].reduce((sum, t) => sum + t.documented, 0);
  const lowSeeds = opts.allowPending
    ? lowProjected
    : [...perSeed.values()].filter((t) => pct(agreeing(t), t.total) < opts.minAgreement);
  // Pending entries and oracles that found nothing: over many seeds, a sign the core was fixed.
  const unusedRules = ALL_RULES.filter((r) => r.kind !== 'known' && !diffs.some((d) => d.rules?.some((x) => x.id === r.id))).map((r) => r.id);
  const failed = lowSeeds.length > 0 || unexplained.length > 0 || (pending.length > 0 && !opts.allowPending);
  const seconds = (Date.now() - started) / 1000;

  if (opts.out) {
    const keep = diffs.filter((d) => d.kind !== 'known').map((d) => ({ ...d.scenario, iamtrace: show(d.ours), iam_simulate: show(d.theirs), ...(d.aws ? { aws: d.aws } : {}), category: d.category }));
    fs.writeFileSync(opts.out, JSON.stringify(keep, null, 2) + '\n');
  }
  if (opts.json) {
    const report = {
      seeds: opts.seeds,
      count: opts.count,
      total,
      agreed,
      agreement: pct(agreed, total),
      documented,
      agreement_with_documented: pct(agreed + documented, total),
      projected_agreement: pct(projected, total),
      seeds_below_projected: lowProjected.map((t) => t.seed),
      decisions,
      per_seed: [...perSeed.values()].map((t) => ({ ...t, agreement: pct(t.agreed, t.total) })),
      categories: [...byCategory.values()].map(({ rules, ...c }) => ({ ...c, url: rules?.map((r) => r.url) })),
      differences: diffs.map((d) => ({ name: d.scenario.name, category: d.category, kind: d.kind, iamtrace: show(d.ours), iam_simulate: show(d.theirs), ...(d.aws ? { aws: d.aws, tools_agree: !!d.agreeing } : {}), ...(d.kind === 'known' ? {} : { scenario: d.scenario }) })),
      rules_matching_nothing: unusedRules,
      seconds,
      ok: !failed,
    };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    // Not process.exit(): a piped stdout must be flushed first.
    process.exitCode = failed ? 1 : 0;
    return;
  }

  const out = [];
  if (opts.show) {
    for (const d of diffs) {
      if (opts.category && d.category !== opts.category) continue;
      out.push(`${d.scenario.name}: [${d.category}] iamtrace ${show(d.ours)}, iam-simulate ${show(d.theirs)}${d.aws ? `, AWS docs ${d.aws}` : ''}`);
      if (d.kind !== 'known' || opts.category) out.push(JSON.stringify(d.scenario));
    }
    if (out.length > 0) out.push('');
  }
  out.push(`seeds ${opts.seeds.length === 1 ? opts.seeds[0] : `${opts.seeds[0]}..${opts.seeds[opts.seeds.length - 1]} (${opts.seeds.length})`}, ${opts.count} scenarios each`);
  out.push(`iamtrace decisions: ${Object.entries(decisions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`total ${total}, agreed ${agreed} (${pct(agreed, total).toFixed(2)}%)`);
  out.push(
    `with the ${documented} differences AWS's documentation settles for iamtrace (oracles.mjs): ${pct(agreed + documented, total).toFixed(2)}% agree with AWS or with iam-simulate`,
  );
  if (pending.length > 0) {
    out.push(
      `after the pending core fixes: ${pct(projected, total).toFixed(2)}% expected to agree; ${lowProjected.length} of ${perSeed.size} seeds would stay below ${opts.minAgreement}%`,
    );
  }
  const kinds = [
    ['known', 'explained differences (known.mjs, iam-simulate is wrong)'],
    ['pending', 'pending core fix (pending.mjs, iamtrace is wrong)'],
    ['unexplained', 'unexplained differences'],
  ];
  for (const [kind, title] of kinds) {
    const cats = [...byCategory.values()].filter((c) => c.kind === kind).sort((a, b) => b.count - a.count);
    const n = cats.reduce((sum, c) => sum + c.count, 0);
    out.push(`${title}: ${n}`);
    for (const c of cats) {
      const notes = [c.ourAllow ? `iamtrace Allow in ${c.ourAllow}` : '', c.agreeing ? `both tools agree, the docs do not, in ${c.agreeing}` : ''].filter(Boolean);
      out.push(`  ${String(c.count).padStart(5)}  ${c.category}${notes.length ? `  (${notes.join('; ')})` : ''}`);
    }
  }
  const listed = lowSeeds.slice(0, 10);
  const seedPct = (t) => pct(opts.allowPending ? t.projected : agreeing(t), t.total).toFixed(2);
  for (const t of listed) out.push(`seed ${t.seed}: ${opts.allowPending ? 'expected ' : ''}agreement ${seedPct(t)}% is below ${opts.minAgreement}%`);
  if (lowSeeds.length > listed.length) out.push(`(and ${lowSeeds.length - listed.length} more seeds below ${opts.minAgreement}%)`);
  if (unusedRules.length > 0) out.push(`pending rules and oracles with no case in this run: ${unusedRules.join(', ')}`);
  if (unexplained.length > 0 && !opts.show) out.push('run with --show to see the unexplained differences and their scenarios');
  out.push(`${failed ? 'FAILED' : 'ok'} in ${seconds.toFixed(1)} s`);
  process.stdout.write(out.join('\n') + '\n');
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`run.mjs: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
