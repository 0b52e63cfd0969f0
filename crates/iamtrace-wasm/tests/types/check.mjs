// Keeps the module's TypeScript types honest against what it really returns.
//
//   node crates/iamtrace-wasm/tests/types/check.mjs [dist/module]
//
// 1. Loads the built module (scripts/build-wasm-module.sh) and runs every
//    scenario of tests/corpus/*.json and tests/fixtures.json through
//    evaluateScenario and scenarioToInput (chain scenarios through
//    walkScenario, with examples/sts-*.json), every CloudTrail fixture of the
//    core through importCloudTrail, plus bad inputs for `{ error }`.
// 2. Writes those real results as typed literals (`const outputs: Output[] =
//    [...]`) and type-checks them with tsc (strict, exactOptionalPropertyTypes)
//    against the generated iamtrace_wasm.d.ts: a field the types lack is an
//    excess property, a required field that is missing or a value outside a
//    union is a type error. usage.ts, a typical caller, and the TypeScript
//    and JavaScript snippets of docs/embedding.html are checked too.
// 3. Checks the other direction: every property the types declare shows up
//    in some real result, so the .d.ts declares nothing that does not exist.
// (Unions of enum names are compared with the core's enums by tests/enums.rs.)
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../../../..");
const moduleDir = resolve(process.argv[2] ?? join(repo, "dist/module"));
const moduleJs = join(moduleDir, "iamtrace_wasm.js");
const moduleDts = join(moduleDir, "iamtrace_wasm.d.ts");

const wasm = await import(pathToFileURL(moduleJs).href);
wasm.initSync({ module: readFileSync(join(moduleDir, "iamtrace_wasm_bg.wasm")) });

const files = [
  ...readdirSync(join(repo, "tests/corpus")).filter((f) => f.endsWith(".json")).map((f) => join(repo, "tests/corpus", f)),
  join(repo, "crates/iamtrace-wasm/tests/fixtures.json"),
];
const outputs = [];
const inputs = [];
const failures = [];
const walks = [];
const imports = [];
for (const file of files) {
  for (const scenario of JSON.parse(readFileSync(file, "utf8"))) {
    const text = JSON.stringify(scenario);
    if ("chain" in scenario) {
      // A chain scenario (the credential walkthrough): walked, not evaluated.
      // The module has no managed policies: a chain that names one is an error value.
      const w = wasm.walkScenario(text);
      if ("error" in w && w.error.code !== "policy-managed-unavailable") {
        throw new Error(`${file}: ${scenario.name}: ${JSON.stringify(w.error)}`);
      }
      ("error" in w ? failures : walks).push(w);
      continue;
    }
    const out = wasm.evaluateScenario(text);
    if ("error" in out) throw new Error(`${file}: ${scenario.name}: ${JSON.stringify(out.error)}`);
    outputs.push(out);
    const parsed = wasm.scenarioToInput(text);
    if (!("input" in parsed)) throw new Error(`${scenario.name}: ${JSON.stringify(parsed)}`);
    inputs.push(parsed.input);
  }
}
// The repository's chain examples (without managed policies: the module has none).
for (const f of readdirSync(join(repo, "examples")).filter((f) => f.startsWith("sts-") && f.endsWith(".json"))) {
  const w = wasm.walkScenario(readFileSync(join(repo, "examples", f), "utf8"));
  if ("error" in w) failures.push(w);
  else walks.push(w);
}
// Every CloudTrail fixture of the core (bad ones included: their diagnostics),
// and a message that names a policy type reached through another.
const trail = join(repo, "crates/iamtrace/tests/cloudtrail");
for (const f of readdirSync(trail).filter((f) => f.endsWith(".json"))) imports.push(wasm.importCloudTrail(readFileSync(join(trail, f), "utf8")));
imports.push(
  wasm.importCloudTrail(
    JSON.stringify({
      eventSource: "s3.amazonaws.com", eventName: "GetObject", awsRegion: "eu-west-1", sourceIPAddress: "10.0.0.1",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/ops/mary", accountId: "111122223333", principalId: "AIDAEXAMPLE" },
      requestParameters: { bucketName: "b", key: "k" },
      errorCode: "AccessDenied",
      errorMessage: 'User: arn:aws:iam::111122223333:user/ops/mary is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a VPC endpoint policy transitively through a service control policy',
    }),
  ),
);
if (imports.some((r) => "error" in r)) throw new Error("importCloudTrail failed on a string");
for (const bad of [
  () => wasm.walkScenario(42),
  () => wasm.walkScenario('{"chain": [{"credential": {"user": 3}}]}'),
  () => wasm.importCloudTrail(null),
  () => wasm.evaluate(null),
  () => wasm.evaluate({ request: { context: { "aws:SecureTransport": { nested: true } } } }),
  () => wasm.evaluateScenario(42),
  () => wasm.evaluateScenario('{\n  "request": {,}\n}'),
  () => wasm.scenarioToInput("[]"),
]) {
  const r = bad();
  if (!("error" in r) || Object.keys(r).length !== 1) throw new Error(`not an error value: ${JSON.stringify(r)}`);
  failures.push(r);
}

// --- 2. type-check the real results and usage.ts
const genDir = join(repo, "target/wasm-types");
mkdirSync(genDir, { recursive: true });
const spec = relative(genDir, moduleJs).replaceAll("\\", "/");
const generated = join(genDir, "results.ts");
writeFileSync(
  generated,
  [
    `import type { EvaluateResult, Failure, ImportResult, Imported, Input, Output, ScenarioResult, Walk, WalkResult } from "${spec.startsWith(".") ? spec : `./${spec}`}";`,
    `export const outputs: Output[] = ${JSON.stringify(outputs, null, 1)};`,
    `export const inputs: Input[] = ${JSON.stringify(inputs, null, 1)};`,
    `export const failures: Failure[] = ${JSON.stringify(failures, null, 1)};`,
    `export const results: EvaluateResult[] = [...outputs, ...failures];`,
    `export const parsed: ScenarioResult[] = [...inputs.map((input) => ({ input })), ...failures];`,
    `export const walks: Walk[] = ${JSON.stringify(walks, null, 1)};`,
    `export const walked: WalkResult[] = [...walks, ...failures];`,
    `export const imports: Imported[] = ${JSON.stringify(imports, null, 1)};`,
    `export const imported: ImportResult[] = [...imports, ...failures];`,
    "",
  ].join("\n"),
);
const options = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noEmit: true,
  skipLibCheck: false,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  baseUrl: repo,
  paths: { iamtrace: [join(moduleDir, "iamtrace_wasm")] },
};
// The docs' TypeScript and JavaScript snippets are checked too, as written
// (only the module path is mapped, and the TypeScript one gets its `input`).
const docs = readFileSync(join(repo, "docs/embedding.html"), "utf8");
const unescape = (html) => html.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
const snippets = [...docs.matchAll(/<div class="snippet-head"><span>([^<]+)<\/span><\/div>\s*<pre[^>]*><code>([\s\S]*?)<\/code><\/pre>/g)]
  .map(([, label, code]) => ({ label, code: unescape(code).replaceAll("./module/iamtrace_wasm.js", "iamtrace") }))
  .filter(({ label }) => label === "TypeScript" || label.endsWith(".js"));
if (snippets.length < 2) throw new Error(`expected the TypeScript and the .js snippet in docs/embedding.html, found ${snippets.length}`);
const docFiles = snippets.map(({ label, code }, i) => {
  const ts_ = label === "TypeScript";
  const file = join(genDir, `docs-snippet-${i}.${ts_ ? "ts" : "js"}`);
  const preamble = ts_ ? 'import type { Input } from "iamtrace";\ndeclare const input: Input;\n' : "// @ts-check\n";
  writeFileSync(file, `${preamble}${code}\nexport {};\n`);
  return file;
});

const check = (files, opts, what) => {
  const program = ts.createProgram(files, opts);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length > 0) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repo, getNewLine: () => "\n" };
    console.error(ts.formatDiagnostics(diagnostics.slice(0, 20), host));
    throw new Error(`tsc: ${diagnostics.length} error(s) type-checking ${what} against ${moduleDts}`);
  }
  return program;
};
const program = check([generated, join(here, "usage.ts"), ...docFiles.filter((f) => f.endsWith(".ts"))], options, "real results, usage.ts and the docs' TypeScript");
// Plain JavaScript as a docs reader writes it: checked, but without strict null checks.
check(docFiles.filter((f) => f.endsWith(".js")), { ...options, allowJs: true, checkJs: true, strict: false, exactOptionalPropertyTypes: false }, "the docs' JavaScript");

// --- 3. every declared property is seen in some real result
const seen = new Set();
const walk = (v) => {
  if (Array.isArray(v)) v.forEach(walk);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) (seen.add(k), walk(x));
};
walk([outputs, inputs.map((input) => ({ input })), failures, walks, imports]);
const source = program.getSourceFile(moduleDts);
if (!source) throw new Error(`tsc did not load ${moduleDts}`);
const declared = new Map();
const visit = (node, owner) => {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) owner = node.name.text;
  // Our declarations only: not wasm-bindgen's own (`InitOutput`, init's options).
  if (ts.isPropertySignature(node) && owner !== "" && owner !== "InitOutput") {
    const name = node.name.getText(source).replace(/^"|"$/g, "");
    declared.set(`${owner}.${name}`, name);
  }
  ts.forEachChild(node, (child) => visit(child, owner));
};
visit(source, "");
const phantom = [...declared].filter(([, name]) => !seen.has(name)).map(([where]) => where);
if (declared.size < 100) throw new Error(`only ${declared.size} properties found in ${moduleDts}`);
if (phantom.length > 0) throw new Error(`declared but never seen in a real result: ${phantom.join(", ")}`);

console.log(
  `types ok: ${outputs.length} outputs, ${inputs.length} inputs, ${walks.length} walks, ${imports.length} imports, ${failures.length} errors type-check against ` +
    `${relative(repo, moduleDts)}; all ${declared.size} declared properties occur in them; ${docFiles.length} docs snippets type-check`,
);
for (const f of failures) console.log(`  error example: ${JSON.stringify(f.error)}`);
