// Differences where AWS's documentation says iamtrace is wrong. They are NOT
// subtracted like known.mjs entries: each one still fails the run (unless
// `--allow-pending`), but is shown under its own category so the fix in the
// core can be checked by re-running the harness. When a fix lands, the
// harness reports the entry as matching nothing; delete it then.
//
// Entry: { id, when(scenario, ours, theirs), recheck?, explanation, url }.
// `recheck.ours(scenario)` returns the scenario as the fixed core would see it
// (e.g. with RCPFullAWSAccess written out); the entry only claims a difference
// when iamtrace then agrees with iam-simulate.

// Empty: every difference found so far where AWS's documentation says
// iamtrace was wrong has been fixed in the core (RCPFullAWSAccess at every
// RCP level, GetCallerIdentity, AssumeRoot, federated-user and role-session
// credential restrictions, role names matched without a path, the derived
// aws:ResourceAccount and aws:PrincipalAccount keys); each fix is pinned by
// a case in tests/corpus/faithfulness.json.
export const PENDING = [];
