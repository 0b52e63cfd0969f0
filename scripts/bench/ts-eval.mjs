// The TypeScript side of `vs-ts.mjs`: reads a file of scenarios (JSON
// Lines), runs each through @cloud-copilot/iam-simulate (strict mode, the
// same translation as the differential test) and prints one line per
// scenario, `{"name", "decision"}` or `{"name", "error"}`, as
// `iamtrace eval --format jsonl` does. Timed as a whole process.
//
//   node scripts/bench/ts-eval.mjs FILE

import fs from 'node:fs';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { theirDecision, toSimulation } from '../differential/translate.mjs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node scripts/bench/ts-eval.mjs FILE\n');
  process.exit(2);
}
const out = [];
for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const scenario = JSON.parse(line);
  let r;
  try {
    r = theirDecision(await runSimulation(toSimulation(scenario), { simulationMode: 'Strict' }));
  } catch (e) {
    r = { error: `exception: ${e.message}` };
  }
  out.push(JSON.stringify(r.decision ? { name: scenario.name, decision: r.decision } : { name: scenario.name, error: r.error }));
}
process.stdout.write(out.join('\n') + '\n');
