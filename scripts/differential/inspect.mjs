#!/usr/bin/env node
// Shows one scenario through both evaluators: the scenario JSON, iamtrace's
// trace, and iam-simulate's verdict per policy kind.
//
// Usage: node scripts/differential/inspect.mjs seed-S-I     (a generated scenario)
//        node scripts/differential/inspect.mjs FILE.json    (a scenario file: one scenario)
// Environment: IAMTRACE   the iamtrace binary (default target/release/iamtrace)

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSimulation } from '@cloud-copilot/iam-simulate';

import { loadCatalog } from './catalog.mjs';
import { generateOne } from './generate.mjs';
import { toSimulation } from './translate.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = process.argv[2];
if (!arg) {
  process.stderr.write('inspect.mjs: give a scenario name `seed-S-I` or a scenario file\n');
  process.exit(2);
}
let scenario;
const m = /^seed-(\d+)-(\d+)$/.exec(arg);
if (m) scenario = generateOne(Number(m[1]), Number(m[2]), await loadCatalog());
else scenario = JSON.parse(fs.readFileSync(arg, 'utf8'));

console.log(JSON.stringify(scenario, null, 2));
const binary = process.env.IAMTRACE || path.join(REPO, 'target/release/iamtrace');
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'iamtrace-inspect-')), 'scenario.json');
fs.writeFileSync(file, JSON.stringify(scenario));
const out = spawnSync(binary, ['--color', 'never', 'eval', file], { encoding: 'utf8' });
console.log('\n=== iamtrace\n' + out.stdout + out.stderr);
fs.rmSync(path.dirname(file), { recursive: true, force: true });

const sim = toSimulation(scenario);
const r = await runSimulation(sim, { simulationMode: 'Strict' });
console.log('=== iam-simulate');
if (r.resultType === 'error') {
  console.log(JSON.stringify(r.errors, null, 2));
} else {
  const a = r.resultType === 'single' ? r.result.analysis : r.results[0]?.analysis;
  console.log(`overall: ${r.overallResult}${a?.blockedBy ? `  blocked by: ${a.blockedBy.join(', ')}` : ''}  same account: ${a?.sameAccount}`);
  const brief = (x) => (x ? `${x.result}${x.allowStatements?.length ? ` allow:${x.allowStatements.map((s) => `${s.policyId}#${s.explain.identifier}(${s.principalMatch})`).join(',')}` : ''}${x.denyStatements?.length ? ` deny:${x.denyStatements.map((s) => `${s.policyId}#${s.explain.identifier}(${s.principalMatch})`).join(',')}` : ''}` : '-');
  console.log(`identity: ${brief(a?.identityAnalysis)}`);
  console.log(`resource: ${brief(a?.resourceAnalysis)}`);
  console.log(`boundary: ${brief(a?.permissionBoundaryAnalysis)}`);
  console.log(`session:  ${brief(a?.sessionAnalysis)}`);
  console.log(`scp:      ${a?.scpAnalysis?.result ?? '-'}`);
  console.log(`rcp:      ${a?.rcpAnalysis?.result ?? '-'}`);
  console.log(`vpce:     ${brief(a?.endpointAnalysis)}`);
  console.log(`context given to iam-simulate: ${JSON.stringify(sim.request.contextVariables)}`);
  if (r.resultType === 'single' && r.result.ignoredContextKeys?.length) console.log(`ignored context keys: ${r.result.ignoredContextKeys.join(', ')}`);
}
