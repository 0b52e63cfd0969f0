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

import { RCP_FULL_AWS_ACCESS, clone, docs, hasRcps, levelsOf, principalAccount, principalKind, statementsOf } from './rules.mjs';

/** Role ARNs in the scenario's resource and VPC endpoint policies that name the session's role (any path). */
function roleArnsNamingSession(s) {
  const m = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(s.request.principal);
  if (!m) return [];
  const [, partition, account, role] = m;
  const found = new Set();
  for (const d of [...docs(s, 'resource'), ...docs(s, 'vpce')]) {
    for (const st of statementsOf(d)) {
      const p = st.Principal ?? st.NotPrincipal;
      if (!p || p === '*') continue;
      for (const a of [].concat(p.AWS ?? [])) {
        const r = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(a);
        if (r && r[1] === partition && r[2] === account && r[3] === role && a !== `arn:${partition}:iam::${account}:role/${role}`) found.add(a);
      }
    }
  }
  return [...found].sort();
}

export const PENDING = [
  {
    id: 'rcp-implicit-full-access',
    when: (s) => hasRcps(s),
    recheck: {
      ours: (s) => {
        const t = clone(s);
        t.policies.rcp = levelsOf(t.policies.rcp).map((level) => [...level, RCP_FULL_AWS_ACCESS]);
        return t;
      },
    },
    explanation:
      'AWS attaches the managed RCPFullAWSAccess to the root, every OU and every account, and it cannot be detached; a level whose pasted RCPs only deny still allows everything else. iamtrace treats a pasted level as having no Allow.',
    url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
  },
  {
    id: 'resource-account-key-missing',
    // An S3 ARN without resource_account: iamtrace takes the resource to be in the principal's
    // account (SCENARIO.md) but leaves aws:ResourceAccount out of the request.
    when: (s) => !s.request.resource_account && /^arn:[^:]+:s3:::/.test(s.request.resource) && !!principalAccount(s),
    recheck: {
      ours: (s) => {
        const t = clone(s);
        t.request.resource_account = principalAccount(s);
        return t;
      },
    },
    explanation:
      'AWS puts aws:ResourceAccount in the request context (for S3 the bucket owner). When the scenario leaves the owner implicit, iamtrace treats the resource as the principal\'s but does not fill in the key, so a Deny conditioned on it is skipped (a wrong Allow).',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount',
  },
  {
    id: 'anonymous-has-no-principal-account',
    when: (s) => principalKind(s) === 'anonymous' && !(s.request.context && Object.keys(s.request.context).some((k) => k.toLowerCase() === 'aws:principalaccount')),
    recheck: {
      // iam-simulate, given the value iamtrace derives, agrees: the difference is that one key.
      theirs: (sim) => ({ ...sim, request: { ...sim.request, contextVariables: { ...sim.request.contextVariables, 'aws:PrincipalAccount': 'anonymous' } } }),
    },
    explanation:
      'aws:PrincipalAccount is only in the context of authenticated (signed) requests. iamtrace derives the value `anonymous` for anonymous callers, which a condition or a ${aws:PrincipalAccount} variable then matches.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalaccount',
  },
  {
    id: 'role-path-unknown-name-match',
    // The scenario leaves out session_parent_arn, so iamtrace takes the role's path to be `/`,
    // while a policy names the same role with its path.
    when: (s) => principalKind(s) === 'session' && !s.request.session_parent_arn && roleArnsNamingSession(s).length > 0,
    recheck: {
      ours: (s) => {
        const t = clone(s);
        t.request.session_parent_arn = roleArnsNamingSession(s)[0];
        return t;
      },
    },
    explanation:
      'Role names are unique within an account whatever their path, so a policy naming `role/path/Name` names the session\'s role even when the scenario does not give the path. iamtrace derives the path `/` and then misses the match (a missed Deny is a wrong Allow).',
    url: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html',
  },
];
