// The evaluator's benchmark workload (crates/iamtrace/benches/workload.rs,
// through crates/iamtrace-bench) natively and as WebAssembly in headless
// Chromium; prints each phase's time per scenario and the ratio.
//
//   node scripts/bench/wasm.mjs [--samples 15] [--profile release|web-release] [--quick]
//
// Builds `iamtrace-bench` for wasm32 (`--profile`: `release`, opt-level 3 as
// natively, by default; `web-release` is the playground's size-optimised
// profile), runs wasm-bindgen (--target web) into target/bench-wasm/, serves
// it on 127.0.0.1 and times each phase in the page with performance.now();
// the native side is `cargo run -p iamtrace-bench --release --bin
// iamtrace-bench-native`. Both sides time a phase the same way: rounds over
// the 64 scenarios, doubled until a sample lasts 50 ms, then the median of
// `--samples` samples. `--quick` (CI's smoke run) takes 3 samples and
// checks that every phase runs. Results go to target/bench-wasm/results.json.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, browser, serve } from "../../e2e/helpers.mjs";

const opts = { samples: 15, profile: "release", quick: false };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const key = args[i].replace(/^--/, "");
  if (key === "quick") opts.quick = true;
  else if (key in opts && args[i + 1] !== undefined) opts[key] = key === "samples" ? Number(args[++i]) : args[++i];
  else {
    process.stderr.write(`unknown option \`${args[i]}\`\nusage: node scripts/bench/wasm.mjs [--samples N] [--profile release|web-release] [--quick]\n`);
    process.exit(2);
  }
}
if (opts.quick) opts.samples = 3;

function sh(cmd, argv, env = {}) {
  const r = spawnSync(cmd, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`\`${cmd} ${argv.join(" ")}\` failed (exit ${r.status})`);
  return r.stdout;
}

const out = join(ROOT, "target", "bench-wasm");
const pkg = join(out, "pkg");
mkdirSync(pkg, { recursive: true });
console.error(`==> cargo build -p iamtrace-bench (wasm32, profile ${opts.profile})`);
sh("cargo", ["build", "-q", "-p", "iamtrace-bench", "--lib", "--target", "wasm32-unknown-unknown", "--profile", opts.profile]);
const targetDir = process.env.CARGO_TARGET_DIR ? join(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, "target");
sh("wasm-bindgen", ["--target", "web", "--out-dir", pkg, join(targetDir, "wasm32-unknown-unknown", opts.profile, "iamtrace_bench.wasm")]);
writeFileSync(
  join(out, "index.html"),
  `<!doctype html><meta charset="utf-8"><title>iamtrace wasm benchmark</title>
<script type="module">
import init, { run, scenarios } from "./pkg/iamtrace_bench.js";
await init();
const n = scenarios();
// The same method as the native side (src/bin/native.rs).
window.bench = (phase, samples) => {
  const time = (rounds) => { const t = performance.now(); run(phase, rounds); return performance.now() - t; };
  let rounds = 1;
  while (time(rounds) < 50 && rounds < 1 << 20) rounds *= 2;
  const per = Array.from({ length: samples }, () => (time(rounds) * 1000) / rounds / n).sort((a, b) => a - b);
  return { phase, us_per_scenario: per[Math.floor(per.length / 2)], rounds, samples, check: run(phase, 1) };
};
window.ready = n;
</script>`,
);

console.error("==> native (cargo run -p iamtrace-bench --release)");
const native = sh("cargo", ["run", "-q", "-p", "iamtrace-bench", "--release", "--bin", "iamtrace-bench-native", "--", String(opts.samples)])
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));

console.error("==> wasm in headless Chromium");
const server = await serve(out);
const b = await browser();
let wasm = [];
try {
  const page = await b.context.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => window.ready !== undefined, null, { timeout: 60000 });
  const n = await page.evaluate(() => window.ready);
  if (n !== 64) throw new Error(`the workload has ${n} valid scenarios in the page, expected 64`);
  for (const { phase } of native) {
    const r = await page.evaluate(([p, s]) => window.bench(p, s), [phase, opts.samples]);
    if (r.check !== n) throw new Error(`phase ${phase}: ${r.check} of ${n} scenarios ran`);
    wasm.push(r);
  }
} finally {
  await b.close();
  await server.close();
}

const rows = native.map((nat) => {
  const w = wasm.find((x) => x.phase === nat.phase);
  return { phase: nat.phase, native_us: nat.us_per_scenario, wasm_us: w.us_per_scenario, ratio: w.us_per_scenario / nat.us_per_scenario };
});
writeFileSync(join(out, "results.json"), JSON.stringify({ profile: opts.profile, samples: opts.samples, rows }, null, 2) + "\n");
console.log(`workload: 64 scenarios (crates/iamtrace/benches/workload.rs); wasm profile ${opts.profile}; median of ${opts.samples} samples`);
console.log(`${"phase".padEnd(16)} ${"native µs".padStart(10)} ${"wasm µs".padStart(10)} ${"wasm/native".padStart(12)}`);
for (const r of rows) {
  console.log(`${r.phase.padEnd(16)} ${r.native_us.toFixed(1).padStart(10)} ${r.wasm_us.toFixed(1).padStart(10)} ${r.ratio.toFixed(2).padStart(11)}x`);
}
