// Turns a scenario (SCENARIO.md) into the input of @cloud-copilot/iam-simulate
// (its `Simulation` type, dist/esm/simulation_engine/simulation.d.ts):
//
//   policies.identity   -> identityPolicies [{ name, policy }]
//   policies.session    -> sessionPolicy (several session policies: their statements in one policy;
//                          the union is what AWS evaluates)
//   policies.boundary   -> permissionBoundaryPolicies [{ name, policy }]
//   policies.scp levels -> serviceControlPolicies [{ orgIdentifier, policies }] (root first)
//   policies.rcp levels -> resourceControlPolicies (iam-simulate adds RCPFullAWSAccess to each level)
//   policies.resource   -> resourcePolicy
//   policies.vpce       -> vpcEndpointPolicies [{ name, policy }]
//   request.principal   -> request.principal (`anonymous` -> its anonymousPrincipal marker)
//   request.resource + resource_account -> request.resource { resource, accountId }
//   request.context     -> request.contextVariables, plus the keys AWS derives from the principal
//                          and the resource, which iam-simulate does not fill in itself
//
// The derived keys follow AWS's documentation (global condition keys page),
// written here independently of iamtrace's own derivation.

import { anonymousPrincipal } from '@cloud-copilot/iam-simulate';

/** Unwraps `{"name", "policy"}` and JSON text. */
function doc(p) {
  if (typeof p === 'string') return JSON.parse(p);
  if (p && typeof p === 'object' && 'policy' in p && !('Statement' in p)) return doc(p.policy);
  return p;
}

function levels(value) {
  if (!value || value.length === 0) return [];
  return Array.isArray(value[0]) ? value : [value];
}

function statements(policy) {
  const s = doc(policy).Statement;
  return Array.isArray(s) ? s : [s];
}

/** What AWS would put in the request context for this principal and resource. */
export function derivedContext(request, resourceAccount) {
  const p = request.principal;
  const out = {};
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(.*)$/.exec(p);
  if (m) {
    const [, partition, svc, account, res] = m;
    out['aws:PrincipalAccount'] = account;
    if (svc === 'iam' && res === 'root') {
      out['aws:PrincipalArn'] = p;
      out['aws:PrincipalType'] = 'Account';
      out['aws:userid'] = account;
    } else if (svc === 'iam' && res.startsWith('user/')) {
      out['aws:PrincipalArn'] = p;
      out['aws:PrincipalType'] = 'User';
      out['aws:username'] = res.split('/').pop();
    } else if (svc === 'sts' && res.startsWith('assumed-role/')) {
      const role = res.split('/')[1];
      out['aws:PrincipalArn'] = request.session_parent_arn ?? `arn:${partition}:iam::${account}:role/${role}`;
      out['aws:PrincipalType'] = 'AssumedRole';
    } else if (svc === 'sts' && res.startsWith('federated-user/')) {
      out['aws:PrincipalArn'] = p;
      out['aws:PrincipalType'] = 'FederatedUser';
      out['aws:userid'] = `${account}:${res.slice('federated-user/'.length)}`;
    } else if (svc === 'iam' && res.startsWith('role/')) {
      out['aws:PrincipalArn'] = p;
      out['aws:PrincipalType'] = 'AssumedRole';
    }
  } else if (p === 'anonymous') {
    out['aws:PrincipalType'] = 'Anonymous';
    out['aws:userid'] = 'anonymous';
  }
  // Every signed request says whether a service principal made it; an
  // identity provider's AssumeRoleWithWebIdentity/WithSAML call is unsigned.
  const webIdentity = /^sts:AssumeRoleWith(WebIdentity|SAML)$/i.test(request.action);
  if ('aws:PrincipalType' in out && p !== 'anonymous') {
    out['aws:PrincipalIsAWSService'] = 'false';
  } else if (!m && p !== 'anonymous' && p !== '*' && !p.startsWith('arn:') && p.includes('.') && !webIdentity) {
    out['aws:PrincipalIsAWSService'] = 'true';
    out['aws:PrincipalServiceName'] = p;
  }
  if (/^\d{12}$/.test(resourceAccount ?? '')) out['aws:ResourceAccount'] = resourceAccount;
  return out;
}

/**
 * The account that owns the request's resource, as SCENARIO.md defines it:
 * `resource_account`, else the ARN's account, else the principal's account;
 * undefined when none is known (an S3 ARN requested by an anonymous caller).
 */
export function resourceAccountOf(request) {
  if (request.resource_account) return request.resource_account;
  const parts = request.resource.split(':');
  if (request.resource !== '*' && parts[4]) return parts[4];
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(request.principal);
  return m ? m[1] : undefined;
}

/** The iam-simulate `Simulation` for a scenario. */
export function toSimulation(scenario) {
  const pol = scenario.policies ?? {};
  const req = scenario.request;
  const anonymous = req.principal === 'anonymous' || req.principal === '*';
  const service = !anonymous && !req.principal.startsWith('arn:');
  // iam-simulate needs an account; an unknown one matches no principal.
  const accountId = resourceAccountOf(req) ?? '000000000000';
  // A resource of `*` has no account unless the scenario gives one: no aws:ResourceAccount then.
  const knownAccount = req.resource_account ?? (req.resource === '*' ? undefined : resourceAccountOf(req));
  const context = { ...derivedContext(req, knownAccount), ...(req.context ?? {}) };
  for (const [k, v] of Object.entries(context)) {
    if (typeof v === 'number' || typeof v === 'boolean') context[k] = String(v);
    else if (Array.isArray(v)) context[k] = v.map(String);
  }
  const named = (prefix) => (p, i) => ({ name: `${prefix}-${i + 1}`, policy: doc(p) });
  // Principal-side policies only exist for principals that can hold them (iam-simulate
  // rejects them for anonymous callers; AWS never evaluates them for service principals).
  const principalSide = !anonymous && !service;
  const sim = {
    request: {
      principal: anonymous ? anonymousPrincipal : req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId },
      contextVariables: context,
    },
    identityPolicies: principalSide ? (pol.identity ?? []).map(named('identity')) : [],
    serviceControlPolicies: anonymous
      ? []
      : levels(pol.scp).map((lvl, i) => ({ orgIdentifier: `scp-level-${i + 1}`, policies: lvl.map(named(`scp-${i + 1}`)) })),
    resourceControlPolicies: levels(pol.rcp).map((lvl, i) => ({
      orgIdentifier: `rcp-level-${i + 1}`,
      policies: lvl.map(named(`rcp-${i + 1}`)),
    })),
  };
  const session = principalSide ? pol.session ?? [] : [];
  if (session.length > 0) {
    sim.sessionPolicy = { Version: '2012-10-17', Statement: session.flatMap(statements) };
  }
  if (principalSide && pol.boundary) sim.permissionBoundaryPolicies = [{ name: 'boundary', policy: doc(pol.boundary) }];
  if (pol.resource) sim.resourcePolicy = doc(pol.resource);
  if (pol.vpce) sim.vpcEndpointPolicies = [{ name: 'vpce', policy: doc(pol.vpce) }];
  // iam-simulate drops bucket tag keys unless told the bucket uses ABAC; a scenario that
  // gives them says they are in the request.
  if (Object.keys(req.context ?? {}).some((k) => /^(aws:ResourceTag|s3:BucketTag)\//i.test(k)) && /^arn:[^:]+:s3:::/.test(req.resource)) {
    sim.additionalSettings = { s3: { bucketAbacEnabled: true } };
  }
  return sim;
}

/** iam-simulate's result in iamtrace's words. */
export function theirDecision(result) {
  if (result.resultType === 'error') return { error: result.errors?.message ?? 'error', details: result.errors };
  const map = { Allowed: 'Allow', ExplicitlyDenied: 'ExplicitDeny', ImplicitlyDenied: 'ImplicitDeny' };
  return { decision: map[result.overallResult] ?? result.overallResult };
}
