// Whole-process timing of `iamtrace eval --format jsonl` against the
// TypeScript evaluator (@cloud-copilot/iam-simulate, through `ts-eval.mjs`)
// on the same seeded scenarios; prints both medians and the ratio.
//
//   cargo build -p iamtrace-cli --release
//   node scripts/bench/vs-ts.mjs [--count 2000] [--seed 1] [--runs 7] [--threads N]
//
// The scenarios are the differential test's generator (scripts/differential),
// written to target/bench-vs-ts/scenarios.jsonl. Each run starts a new
// process (file read, start-up, every scenario, output), timed by hyperfine
// when it is installed (Debian's `hyperfine`), else from node; each figure
// is the median of `--runs` runs. `--threads`
// sets RAYON_NUM_THREADS for iamtrace (default: every core).
// `IAMTRACE=/path/to/iamtrace` picks another binary.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from '../differential/catalog.mjs';
import { generate } from '../differential/generate.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const opts = { count: 2000, seed: 1, runs: 7, threads: undefined };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const key = args[i].replace(/^--/, '');
  if (!(key in opts) || args[i + 1] === undefined) {
    process.stderr.write(`unknown option \`${args[i]}\`\nusage: node scripts/bench/vs-ts.mjs [--count N] [--seed S] [--runs R] [--threads T]\n`);
    process.exit(2);
  }
  opts[key] = Number(args[i + 1]);
}

const binary = process.env.IAMTRACE ?? path.join(root, 'target/release/iamtrace');
if (!fs.existsSync(binary)) {
  process.stderr.write(`no binary at \`${binary}\`: run \`cargo build -p iamtrace-cli --release\` first\n`);
  process.exit(1);
}
const dir = path.join(root, 'target/bench-vs-ts');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'scenarios.jsonl');
const scenarios = generate(opts.seed, opts.count, await loadCatalog());
fs.writeFileSync(file, scenarios.map((s) => JSON.stringify(s)).join('\n') + '\n');

const env = { ...process.env };
if (opts.threads) env.RAYON_NUM_THREADS = String(opts.threads);
const commands = {
  iamtrace: [binary, ['eval', '--format', 'jsonl', file]],
  'iam-simulate': [process.execPath, [path.join(root, 'scripts/bench/ts-eval.mjs'), file]],
};

function run([cmd, argv]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw new Error(`cannot run \`${cmd}\`: ${r.error.message}`);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== scenarios.length) {
    throw new Error(`\`${path.basename(cmd)}\` printed ${lines.length} lines for ${scenarios.length} scenarios: ${r.stderr.slice(0, 500)}`);
  }
  return { ms, lines };
}

const times = { iamtrace: [], 'iam-simulate': [] };
let outputs = {};
// Each command once: its output is checked (one line per scenario) and the file cache warmed.
for (const [name, command] of Object.entries(commands)) outputs[name] = run(command).lines;
const hyperfine = spawnSync('hyperfine', ['--version']).status === 0;
if (hyperfine) {
  // hyperfine -N: no shell in between; every run of one command, then the other's.
  const json = path.join(dir, 'hyperfine.json');
  const argv = ['-N', '--style', 'none', '--runs', String(opts.runs), '--export-json', json];
  for (const [cmd, a] of Object.values(commands)) argv.push([cmd, ...a].join(' '));
  const r = spawnSync('hyperfine', argv, { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
  const results = JSON.parse(fs.readFileSync(json, 'utf8')).results;
  Object.keys(commands).forEach((name, i) => (times[name] = results[i].times.map((t) => t * 1000)));
} else {
  // Without hyperfine: spawned from node (adds node's own spawn cost to both), alternating.
  for (let i = 0; i < opts.runs; i++) {
    for (const [name, command] of Object.entries(commands)) times[name].push(run(command).ms);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const agree = outputs.iamtrace.filter((l, i) => l === outputs['iam-simulate'][i]).length;
const bytes = fs.statSync(file).size;
console.log(`${scenarios.length} scenarios (seed ${opts.seed}, ${(bytes / 1024).toFixed(0)} KB of JSON Lines), ${opts.runs} runs each (${hyperfine ? 'hyperfine' : 'node spawnSync'}), ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
for (const [name, xs] of Object.entries(times)) {
  const sorted = [...xs].sort((a, b) => a - b);
  console.log(`${name.padEnd(13)} median ${median(xs).toFixed(1).padStart(8)} ms   (min ${sorted[0].toFixed(1)}, max ${sorted[sorted.length - 1].toFixed(1)})`);
}
const min = (xs) => Math.min(...xs);
console.log(`ratio         ${(median(times['iam-simulate']) / median(times.iamtrace)).toFixed(1)}x of the medians, ${(min(times['iam-simulate']) / min(times.iamtrace)).toFixed(1)}x of the fastest runs (iam-simulate / iamtrace, whole process)`);
console.log(`same line     ${agree}/${scenarios.length} (decisions and errors are worded differently; see scripts/differential for the comparison)`);
