// Known, explained differences where AWS's documentation says iam-simulate
// (0.1.173) is wrong and iamtrace right. The harness subtracts them from the
// unexplained differences (they still count against the agreement rate).
//
// Each entry describes a RULE, never a seed or a case name:
//   id           short machine-readable category
//   when(scenario, ours, theirs)   the rule's precondition (decisions are
//                'Allow' | 'ExplicitDeny' | 'ImplicitDeny', or { error })
//   recheck      optional; the entry only claims a difference when iam-simulate,
//                corrected by the rule, agrees with iamtrace, so a broad
//                precondition cannot hide an unrelated difference:
//                  theirs(simulation, scenario) -> iam-simulate's input with the rule applied
//                  decide(scenario, simulation, decision, evaluate) -> corrected decision
//   explanation, url   what AWS documents, and where
//
// Cases pinning each rule live in tests/corpus/differential.json; the
// reasoning is in docs/semantics.md ("Where the differential test disagrees with iam-simulate").

import { resourceAccountOf } from './translate.mjs';
import { actionIs, clone, docs, hasRcps, hasScps, principalKind, rcpService, statementsOf } from './rules.mjs';

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ALLOW_NOTHING = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'none:none', Resource: '*' }] };

function list(v) {
  return v === undefined ? [] : [].concat(v);
}

function sameAccount(s) {
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(s.request.principal);
  return !!m && resourceAccountOf(s.request) === m[1];
}

/** The identity layers AWS checks for NotPrincipal, each with the entries that list it. */
function layers(s) {
  const p = s.request.principal;
  const kind = principalKind(s);
  const m = /^arn:([^:]+):(?:iam|sts)::(\d{12}):(.*)$/.exec(p);
  const account = m ? [m[2], `arn:${m[1]}:iam::${m[2]}:root`] : [];
  switch (kind) {
    case 'root':
      return [account];
    case 'user':
      return [[p], account];
    case 'session': {
      const role = m[3].split('/')[1];
      return [[p], [s.request.session_parent_arn ?? `arn:${m[1]}:iam::${m[2]}:role/${role}`], account];
    }
    case 'federated':
      return [[p], account];
    case 'service':
      return [[`service:${p}`]];
    default:
      return [[]];
  }
}

function exempt(s, notPrincipal) {
  if (notPrincipal === '*') return true;
  const listed = new Set([...list(notPrincipal.AWS), ...list(notPrincipal.Service).map((x) => `service:${x}`)]);
  const hasBoundary = !!s.policies?.boundary && ['user', 'session', 'federated'].includes(principalKind(s));
  return !hasBoundary && layers(s).every((layer) => layer.some((e) => listed.has(e)));
}

function rewriteNotPrincipal(policy, s) {
  if (!policy) return policy;
  const p = clone(policy);
  p.Statement = statementsOf(p).map((st) => {
    if (st.Effect !== 'Deny' || st.NotPrincipal === undefined || exempt(s, st.NotPrincipal)) return st;
    const { NotPrincipal, ...rest } = st;
    return { ...rest, Principal: '*' };
  });
  return p;
}

/** Applies `fn` to every policy document of an iam-simulate input. */
function mapPolicies(sim, fn) {
  const named = (list) => list?.map((p) => ({ ...p, policy: fn(p.policy) }));
  const out = { ...sim, identityPolicies: named(sim.identityPolicies) };
  out.serviceControlPolicies = sim.serviceControlPolicies.map((l) => ({ ...l, policies: named(l.policies) }));
  out.resourceControlPolicies = sim.resourceControlPolicies.map((l) => ({ ...l, policies: named(l.policies) }));
  if (sim.permissionBoundaryPolicies) out.permissionBoundaryPolicies = named(sim.permissionBoundaryPolicies);
  if (sim.vpcEndpointPolicies) out.vpcEndpointPolicies = named(sim.vpcEndpointPolicies);
  if (sim.sessionPolicy) out.sessionPolicy = fn(sim.sessionPolicy);
  if (sim.resourcePolicy) out.resourcePolicy = fn(sim.resourcePolicy);
  return out;
}

const IP_OPERATOR = /^(ForAnyValue:|ForAllValues:)?(Not)?IpAddress(IfExists)?$/i;

/** Writes every bare IP address of IpAddress/NotIpAddress conditions as a one-host range. */
function ipsAsRanges(policy) {
  const p = clone(policy);
  for (const st of statementsOf(p)) {
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      if (!IP_OPERATOR.test(op)) continue;
      for (const [k, v] of Object.entries(block)) {
        block[k] = Array.isArray(v) ? v.map(hostRange) : hostRange(v);
      }
    }
  }
  return p;
}

function hostRange(ip) {
  if (typeof ip !== 'string' || ip.includes('/')) return ip;
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}

function hasBareIp(s) {
  const all = ['identity', 'resource', 'boundary', 'session', 'scp', 'rcp', 'vpce'].flatMap((k) => docs(s, k));
  return all.some((d) =>
    statementsOf(d).some((st) =>
      Object.entries(st.Condition ?? {}).some(
        ([op, block]) => IP_OPERATOR.test(op) && Object.values(block).some((v) => [].concat(v).some((x) => typeof x === 'string' && !x.includes('/'))),
      ),
    ),
  );
}

/** iam-simulate takes the IAM user behind `federated-user/NAME` to be `user/NAME`. */
function federatedParentAsNamed(sim, s) {
  const parent = s.request.session_parent_arn;
  const m = /^arn:([^:]+):sts::(\d{12}):federated-user\/(.+)$/.exec(s.request.principal);
  if (!parent || !m) return sim;
  const assumed = `arn:${m[1]}:iam::${m[2]}:user/${m[3]}`;
  if (assumed === parent) return sim;
  const swap = (policy) => {
    const p = clone(policy);
    for (const st of statementsOf(p)) {
      for (const el of ['Principal', 'NotPrincipal']) {
        const v = st[el];
        if (!v || v === '*' || v.AWS === undefined) continue;
        v.AWS = Array.isArray(v.AWS) ? v.AWS.map((a) => (a === parent ? assumed : a)) : v.AWS === parent ? assumed : v.AWS;
      }
    }
    return p;
  };
  return { ...sim, ...(sim.resourcePolicy ? { resourcePolicy: swap(sim.resourcePolicy) } : {}) };
}

const DATE_OPERATOR = /^(ForAnyValue:|ForAllValues:)?Date(Not)?(Equals|LessThan|LessThanEquals|GreaterThan|GreaterThanEquals)(IfExists)?$/i;
const EPOCH = /^\d{5,}$/;

function isoOf(v) {
  return typeof v === 'string' && EPOCH.test(v) ? new Date(Number(v) * 1000).toISOString() : v;
}

/** Date condition keys of a scenario's policies whose values (policy or request) mix epoch and ISO 8601 forms. */
function dateKeys(s) {
  const keys = new Set();
  const all = ['identity', 'resource', 'boundary', 'session', 'scp', 'rcp', 'vpce'].flatMap((k) => docs(s, k));
  for (const d of all) {
    for (const st of statementsOf(d)) {
      for (const [op, block] of Object.entries(st.Condition ?? {})) {
        if (DATE_OPERATOR.test(op)) Object.keys(block).forEach((k) => keys.add(k.toLowerCase()));
      }
    }
  }
  return keys;
}

/** Epoch seconds written as ISO 8601, in Date conditions and in the request values they compare. */
function datesAsIso(sim, s) {
  const keys = dateKeys(s);
  const fix = (policy) => {
    const p = clone(policy);
    for (const st of statementsOf(p)) {
      for (const [op, block] of Object.entries(st.Condition ?? {})) {
        if (!DATE_OPERATOR.test(op)) continue;
        for (const [k, v] of Object.entries(block)) block[k] = Array.isArray(v) ? v.map(isoOf) : isoOf(v);
      }
    }
    return p;
  };
  const out = mapPolicies(sim, fix);
  const ctx = { ...sim.request.contextVariables };
  for (const [k, v] of Object.entries(ctx)) if (keys.has(k.toLowerCase())) ctx[k] = Array.isArray(v) ? v.map(isoOf) : isoOf(v);
  out.request = { ...sim.request, contextVariables: ctx };
  return out;
}

function hasNotPrincipal(s) {
  return [...docs(s, 'resource'), ...docs(s, 'vpce')].some((d) => statementsOf(d).some((st) => st.NotPrincipal !== undefined));
}

/** Whether an Allow statement's Principal names the caller by its exact session ARN, or is `*`. */
function directGrant(st, principal, wildcard) {
  if (st.Effect !== 'Allow' || st.Principal === undefined) return false;
  if (st.Principal === '*' || list(st.Principal.AWS).includes('*')) return wildcard;
  return !wildcard && list(st.Principal.AWS).includes(principal);
}

/**
 * AWS: a resource-based policy that names the session itself (role-session or
 * federated-user ARN) grants on top of the session policies; iam-simulate applies
 * the session policy to every path. Corrected decision: Allow when the direct
 * grant alone (with every deny still in place) allows.
 */
function directGrantDecide(wildcard) {
  return async (s, sim, decision, evaluate) => {
    if (decision === 'Allow' || decision === 'ExplicitDeny' || !sim.resourcePolicy) return decision;
    const statements = statementsOf(sim.resourcePolicy);
    const grants = statements.filter((st) => directGrant(st, s.request.principal, wildcard));
    if (grants.length === 0) return decision;
    const only = clone(sim);
    only.identityPolicies = [];
    delete only.sessionPolicy;
    delete only.permissionBoundaryPolicies;
    only.resourcePolicy = { ...sim.resourcePolicy, Statement: [...statements.filter((st) => st.Effect === 'Deny'), ...grants] };
    return (await evaluate(only)) === 'Allow' ? 'Allow' : decision;
  };
}

function sessionWithGrant(s, wildcard) {
  const kind = principalKind(s);
  if (!['session', 'federated'].includes(kind) || !sameAccount(s)) return false;
  const limited = (s.policies?.session ?? []).length > 0 || kind === 'federated' || !!s.policies?.boundary;
  return limited && docs(s, 'resource').some((d) => statementsOf(d).some((st) => directGrant(st, s.request.principal, wildcard)));
}

/** The identity provider calling AssumeRoleWithWebIdentity/SAML, as the service principal iam-simulate can model. */
function providerAsServicePrincipal(sim, s) {
  const provider = s.request.principal;
  const stand = `${provider.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}.amazonaws.com`;
  const swap = (policy) => {
    const p = clone(policy);
    for (const st of statementsOf(p)) {
      for (const el of ['Principal', 'NotPrincipal']) {
        const v = st[el];
        if (!v || v === '*' || v.Federated === undefined) continue;
        if (list(v.Federated).includes(provider)) v.Service = [...list(v.Service), stand];
      }
    }
    return p;
  };
  return {
    ...sim,
    request: { ...sim.request, principal: stand },
    serviceControlPolicies: [],
    ...(sim.resourcePolicy ? { resourcePolicy: swap(sim.resourcePolicy) } : {}),
  };
}

export const KNOWN = [
  {
    id: 'web-identity-caller',
    when: (s) => /^sts:AssumeRoleWith(WebIdentity|SAML)$/i.test(s.request.action),
    recheck: { theirs: providerAsServicePrincipal },
    explanation:
      'AssumeRoleWithWebIdentity and AssumeRoleWithSAML are called by an identity provider, not an AWS identity: only the role\'s trust policy (Principal "Federated", or "*") decides, and SCPs do not apply to the caller. iam-simulate has no such caller and evaluates it as an unknown AWS principal.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_assumerole.html',
  },
  {
    id: 'federated-user-parent-by-name',
    when: (s) => principalKind(s) === 'federated' && !!s.request.session_parent_arn,
    recheck: { theirs: federatedParentAsNamed },
    explanation:
      'The IAM user behind a federated user is whoever called GetFederationToken; the federated user\'s name is chosen freely by that caller. iam-simulate assumes the user has the federated user\'s name, so a policy naming the real IAM user (session_parent_arn) does not match.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html',
  },
  {
    id: 'date-epoch-vs-iso8601',
    when: (s) => dateKeys(s).size > 0,
    recheck: { theirs: datesAsIso },
    explanation:
      'Date operators take W3C ISO 8601 dates or epoch (UNIX) seconds, on either side. iam-simulate reads epoch values as seconds but ISO 8601 values as milliseconds, so comparing one form with the other gives wrong answers.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date',
  },
  {
    id: 'kms-encryption-context-key-dropped',
    when: (s) => Object.keys(s.request.context ?? {}).some((k) => /^kms:EncryptionContext:/i.test(k)),
    recheck: {
      // iamtrace, without the key, agrees: iam-simulate drops `kms:EncryptionContext:<name>`
      // (its key table only resolves `prefix/name` patterns), though the request carries it.
      ours: (s) => {
        const t = clone(s);
        for (const k of Object.keys(t.request.context)) if (/^kms:EncryptionContext:/i.test(k)) delete t.request.context[k];
        return t;
      },
    },
    explanation:
      'kms:EncryptionContext:<context-key> is a condition key of the KMS cryptographic operations, with the context key name after the colon; iam-simulate does not recognise the pattern and leaves the key out of the request.',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context',
  },
  {
    id: 'ip-condition-bare-address-other-family',
    when: (s) => hasBareIp(s),
    recheck: { theirs: (sim) => mapPolicies(sim, ipsAsRanges) },
    explanation:
      'An address without a prefix in IpAddress/NotIpAddress is a one-host range; an IPv4 request is simply not in an IPv6 range (and back), so NotIpAddress holds. iam-simulate treats a bare address of the other family as a failed comparison, which makes NotIpAddress false.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress',
  },
  {
    id: 'root-full-access',
    when: (s, ours, theirs) => principalKind(s) === 'root' && ours === 'Allow' && theirs !== 'Allow',
    recheck: {
      theirs: (sim) => ({ ...sim, identityPolicies: [{ name: 'root-implicit-full-access', policy: ALLOW_ALL }] }),
    },
    explanation:
      'The root user has full access to its own account by default (no identity policy needed) and cannot have identity policies; iam-simulate treats it like an IAM user without policies.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html',
  },
  {
    id: 'rcp-unsupported-service',
    when: (s) => hasRcps(s) && !rcpService(s),
    recheck: { theirs: (sim) => ({ ...sim, resourceControlPolicies: [] }) },
    explanation:
      'RCPs apply only to the services listed on the RCP page; iam-simulate applies them to every service.',
    url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
  },
  {
    id: 'rcp-not-for-kms-retire-grant',
    when: (s) => hasRcps(s) && actionIs(s, 'kms:RetireGrant'),
    recheck: { theirs: (sim) => ({ ...sim, resourceControlPolicies: [] }) },
    explanation: 'RCPs do not apply to kms:RetireGrant (listed among the RCP exceptions); iam-simulate applies them.',
    url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html',
  },
  {
    id: 'scp-not-for-service-principals',
    when: (s) => principalKind(s) === 'service' && hasScps(s),
    recheck: { theirs: (sim) => ({ ...sim, serviceControlPolicies: [] }) },
    explanation:
      'SCPs limit IAM users and roles (and root users) of member accounts; an AWS service principal is not such a principal. iam-simulate applies the SCPs to service principals.',
    url: 'https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html',
  },
  {
    id: 'notprincipal-every-layer',
    when: (s) => hasNotPrincipal(s),
    recheck: {
      theirs: (sim, s) => ({
        ...sim,
        resourcePolicy: rewriteNotPrincipal(sim.resourcePolicy, s),
        ...(sim.vpcEndpointPolicies ? { vpcEndpointPolicies: sim.vpcEndpointPolicies.map((v) => ({ ...v, policy: rewriteNotPrincipal(v.policy, s) })) } : {}),
      }),
    },
    explanation:
      'A NotPrincipal deny is checked against each identity of the caller in turn (account, then role, then session); a caller escapes it only when every one of them is listed. iam-simulate exempts the caller when any one entry (e.g. only the account) matches.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html',
  },
  {
    id: 'session-policy-vs-session-arn-grant',
    when: (s) => sessionWithGrant(s, false),
    recheck: { decide: directGrantDecide(false) },
    explanation:
      'A resource-based policy that names the session ARN (role session or federated user) grants in addition to the session: session policies and the boundary do not limit it. iam-simulate requires the session policy to allow every path.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session',
  },
  {
    id: 'session-policy-vs-wildcard-grant',
    when: (s) => sessionWithGrant(s, true),
    recheck: { decide: directGrantDecide(true) },
    explanation:
      'A same-account resource-based policy granting Principal "*" is treated like a grant to the session itself: AWS documents that "*" narrowed by aws:PrincipalArn is not limited by boundaries or session policies, and plain "*" names a superset of the same callers (docs/semantics.md). iam-simulate limits it by the session policy.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html',
  },
  {
    id: 'federated-user-without-session-policy',
    when: (s, ours, theirs) => principalKind(s) === 'federated' && (s.policies?.session ?? []).length === 0 && theirs === 'Allow',
    recheck: { theirs: (sim) => ({ ...sim, sessionPolicy: ALLOW_NOTHING }) },
    explanation:
      'GetFederationToken without a session policy gives a session with no permissions (only resource policies naming the federated-user ARN grant it anything); iam-simulate gives it the IAM user\'s permissions.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html',
  },
];
