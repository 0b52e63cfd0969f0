// The request half of a generated scenario: who calls (principal kinds of
// both accounts), what it calls (action, resource ARN, resource account) and
// the facts of the request (condition keys, present or absent), which the
// policy generator then writes conditions against.

import { POLICY_RESOURCES, fillTemplate, keyType } from './catalog.mjs';

export const ORG_ID = 'o-a1b2c3d4e5';
export const HOME = '111122223333';
export const PARTNER = '444455556666'; // same organization
export const OUTSIDE = '777788889999'; // another organization

const SERVICE_PRINCIPALS = {
  s3: 'cloudtrail.amazonaws.com',
  sqs: 'sns.amazonaws.com',
  sns: 'events.amazonaws.com',
  kms: 'logs.amazonaws.com',
  secretsmanager: 'lambda.amazonaws.com',
  dynamodb: 'lambda.amazonaws.com',
  lambda: 'events.amazonaws.com',
  sts: 'ec2.amazonaws.com',
  logs: 'logs.amazonaws.com',
};

/** A principal of `account`: `{ kind, principal, parent, account, name, session, userArn, roleArn }`. */
export function makePrincipal(rng, kind, account) {
  switch (kind) {
    case 'user': {
      const name = rng.pick(['alice', 'bob']);
      const path = rng.chance(0.3) ? 'dev/' : '';
      const arn = `arn:aws:iam::${account}:user/${path}${name}`;
      return { kind, principal: arn, account, name, userArn: arn };
    }
    case 'session': {
      const role = rng.pick(['Admin', 'Deployer', 'ReadOnly']);
      const path = rng.chance(0.4) ? 'ops/' : '';
      const session = rng.pick(['alice', 'build-42', 'i-0abc']);
      const roleArn = `arn:aws:iam::${account}:role/${path}${role}`;
      return {
        kind,
        principal: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
        parent: roleArn,
        account,
        name: role,
        session,
        roleArn,
      };
    }
    case 'federated': {
      const name = rng.pick(['carol', 'dave']);
      // The IAM user who called GetFederationToken; usually, not always, of the same name.
      const userArn = `arn:aws:iam::${account}:user/${rng.chance(0.8) ? name : `${name}-broker`}`;
      return { kind, principal: `arn:aws:sts::${account}:federated-user/${name}`, parent: userArn, account, name, userArn };
    }
    case 'root':
      return { kind, principal: `arn:aws:iam::${account}:root`, account };
    case 'service':
      return { kind, principal: null, account: undefined };
    case 'webidentity':
      // The identity provider calling AssumeRoleWithWebIdentity / AssumeRoleWithSAML.
      return { kind, principal: rng.pick(['cognito-identity.amazonaws.com', 'accounts.google.com']), account: undefined };
    case 'saml':
      return { kind: 'webidentity', principal: `arn:aws:iam::${account}:saml-provider/Corp`, account: undefined };
    default:
      return { kind: 'anonymous', principal: 'anonymous', account: undefined };
  }
}

/** Picks the service, action and resource, and which principal kind calls. */
export function makeTarget(rng, catalog) {
  const svc = rng.pick(Object.keys(catalog.services));
  const actions = catalog.services[svc].actions;
  let action;
  if (svc === 'sts') {
    const byName = (n) => actions.find((a) => a.name === n);
    action = rng.weighted([
      [40, byName('sts:AssumeRole')],
      [12, byName('sts:GetCallerIdentity')],
      [1, byName('sts:AssumeRoot')],
      [8, byName('sts:TagSession')],
      [2, byName('sts:AssumeRoleWithWebIdentity')],
      [1, byName('sts:AssumeRoleWithSAML')],
      [27, rng.pick(actions.filter((a) => !/^sts:AssumeRo(ot|leWith)/.test(a.name)))],
    ]);
  } else {
    // Prefer actions on resources that carry a resource-based policy.
    const withPolicy = actions.filter((a) => a.resourceTypes.some((r) => (POLICY_RESOURCES[svc] ?? []).includes(r.key)));
    action = withPolicy.length > 0 && rng.chance(0.6) ? rng.pick(withPolicy) : rng.pick(actions);
  }
  let rtype = null;
  if (!action.wildcardOnly) {
    const policyTypes = action.resourceTypes.filter((r) => (POLICY_RESOURCES[svc] ?? []).includes(r.key));
    rtype = policyTypes.length > 0 && rng.chance(0.8) ? rng.pick(policyTypes) : rng.pick(action.resourceTypes);
  }
  return { svc, action, rtype };
}

/** Fills in who calls and the resource ARN. */
export function makeRequest(rng, target) {
  const { svc, action, rtype } = target;
  // The mix keeps principals that iam-simulate does not model (root, federated users) rare
  // enough for the per-seed agreement target; their rules are pinned by corpus cases.
  let kind = rng.weighted([
    [30, 'user'],
    [32, 'session'],
    [4, 'federated'],
    [0.15, 'root'],
    [9, 'service'],
    [6, 'anonymous'],
  ]);
  if (kind === 'federated' && ['sts', 'iam'].includes(svc) && rng.chance(0.8)) kind = 'user';
  if (action.name === 'sts:GetFederationToken') kind = 'user';
  if (action.name === 'sts:AssumeRoleWithWebIdentity') kind = 'webidentity';
  if (action.name === 'sts:AssumeRoleWithSAML') kind = 'saml';
  if (action.name === 'sts:AssumeRoot') kind = rng.pick(['user', 'session']);
  // GetCallerIdentity is only ever called with credentials of an IAM identity.
  if (action.name === 'sts:GetCallerIdentity' && ['service', 'anonymous'].includes(kind)) kind = 'user';
  const crossAccount = ['user', 'session', 'federated', 'root'].includes(kind) && rng.chance(0.3);
  const principalAccount = crossAccount ? rng.pick([PARTNER, OUTSIDE]) : HOME;
  const who = makePrincipal(rng, kind, kind === 'saml' ? HOME : principalAccount);
  if (kind === 'service') who.principal = SERVICE_PRINCIPALS[svc] ?? 'events.amazonaws.com';
  const resourceAccount = HOME;
  let resource = '*';
  let objectForUser = null;
  if (rtype) {
    resource = fillTemplate(rtype.arn, resourceAccount, (vals) => rng.pick(vals));
    if (rtype.key === 'object' && who.name && rng.chance(0.4)) {
      objectForUser = who.kind === 'user' ? who.name : null;
      if (objectForUser) resource = `arn:aws:s3:::amzn-s3-demo-bucket/home/${objectForUser}/notes.txt`;
    }
  }
  if (action.name === 'sts:AssumeRoot') resource = `arn:aws:iam::${rng.pick([PARTNER, OUTSIDE])}:root`;
  const noAccountInArn = resource !== '*' && resource.split(':')[4] === '';
  return { who, resource, resourceAccount: noAccountInArn ? resourceAccount : undefined, crossAccount };
}

/** The account of `resource` as AWS sees it. */
export function accountOf(req) {
  if (req.resourceAccount) return req.resourceAccount;
  if (req.resource === '*') return req.who.account ?? HOME;
  return req.resource.split(':')[4] || HOME;
}

const IPS = ['203.0.113.7', '198.51.100.20', '10.0.5.9', '2001:db8::1234'];
const TIMES = ['2026-03-01T12:00:00Z', '2026-08-15T08:30:00Z'];
const EPOCHS = ['1772366400', '1786782600'];
const TAGS = ['red', 'blue'];
const ENVS = ['prod', 'dev'];

function fact(facts, key, type, value, pool, opts = {}) {
  facts.set(key.toLowerCase(), { key, type, value, pool, derived: !!opts.derived, explicit: !opts.derived && value !== undefined });
}

/** Value pools for a service-specific key of a given iam-data type. */
function poolFor(key, type, account) {
  const k = key.toLowerCase();
  if (k === 's3:prefix') return ['home/alice/', 'reports/'];
  if (k === 's3:x-amz-acl') return ['private', 'public-read'];
  if (k === 'kms:viaservice') return ['s3.us-east-1.amazonaws.com', 'secretsmanager.us-east-1.amazonaws.com'];
  if (k === 'kms:calleraccount') return [account, OUTSIDE];
  if (type.startsWith('ArrayOf')) {
    const inner = poolFor(key, type.slice(7), account);
    return [[inner[0]], [inner[0], inner[1]], [inner[1]]];
  }
  switch (type) {
    case 'ARN':
      return [`arn:aws:iam::${account}:role/Deployer`, `arn:aws:iam::${OUTSIDE}:role/Other`];
    case 'Numeric':
      return ['5', '100'];
    case 'Bool':
      return ['true', 'false'];
    case 'Date':
      return TIMES;
    case 'IPAddress':
      return IPS;
    default:
      return ['alpha', 'beta'];
  }
}

/** Replaces the tag-name placeholder of a key (`${TagKey}`, `<key>`, `tag-key`). */
function concreteKey(key, rng) {
  return key.replace(/\$\{[^}]+\}|<[^>]+>|tag-key$/, () => rng.pick(['env', 'team']));
}

/** The request's condition keys: `Map(lowercase key -> { key, type, value, pool, derived, explicit })`. */
export function makeFacts(rng, catalog, target, req, hasVpce) {
  const facts = new Map();
  const { who } = req;
  const authenticated = !['anonymous', 'service', 'webidentity'].includes(who.kind);
  const account = accountOf(req);
  // Keys AWS derives from the principal and the resource (derived by iamtrace; the translator fills them for iam-simulate).
  if (authenticated) {
    const principalArn = who.kind === 'session' ? who.roleArn : who.principal;
    fact(facts, 'aws:PrincipalArn', 'ARN', principalArn, [principalArn, `arn:aws:iam::${OUTSIDE}:user/mallory`], { derived: true });
    fact(facts, 'aws:PrincipalAccount', 'String', who.account, [who.account, OUTSIDE], { derived: true });
    const type = { user: 'User', session: 'AssumedRole', federated: 'FederatedUser', root: 'Account' }[who.kind];
    fact(facts, 'aws:PrincipalType', 'String', type, [type, 'User', 'AssumedRole'], { derived: true });
    if (who.kind === 'user') fact(facts, 'aws:username', 'String', who.name, [who.name, 'mallory'], { derived: true });
  }
  if (target.rtype) {
    fact(facts, 'aws:ResourceAccount', 'String', account, [account, OUTSIDE], { derived: true });
  }
  const maybe = (p, key, type, values, pool = values) => fact(facts, key, type, rng.chance(p) ? rng.pick(values) : undefined, pool);
  if (who.kind !== 'service') maybe(0.7, 'aws:SourceIp', 'IPAddress', IPS);
  maybe(0.8, 'aws:SecureTransport', 'Bool', ['true', 'true', 'false'], ['true', 'false']);
  maybe(0.6, 'aws:CurrentTime', 'Date', TIMES);
  maybe(0.3, 'aws:EpochTime', 'Date', EPOCHS);
  maybe(0.6, 'aws:RequestedRegion', 'String', ['us-east-1', 'eu-west-1']);
  if (authenticated) {
    const inOrg = who.account !== OUTSIDE;
    maybe(0.7, 'aws:PrincipalOrgID', 'String', [inOrg ? ORG_ID : 'o-zz9y8x7w6v'], [ORG_ID, 'o-zz9y8x7w6v']);
    maybe(0.3, 'aws:PrincipalOrgPaths', 'ArrayOfString', [[`${inOrg ? ORG_ID : 'o-zz9y8x7w6v'}/r-ab12/ou-ab12-11111111/`]], [[`${ORG_ID}/r-ab12/ou-ab12-11111111/`], ['o-zz9y8x7w6v/r-zz99/']]);
    if (who.kind !== 'root') {
      maybe(0.5, 'aws:PrincipalTag/team', 'String', TAGS);
      maybe(0.3, 'aws:PrincipalTag/env', 'String', ENVS);
      maybe(0.5, 'aws:MultiFactorAuthPresent', 'Bool', ['true', 'false']);
      if (facts.get('aws:multifactorauthpresent').value === 'true') maybe(0.5, 'aws:MultiFactorAuthAge', 'Numeric', ['300', '7200']);
    }
    if (who.kind === 'session') maybe(0.3, 'aws:userid', 'String', [`AROAEXAMPLEROLEID:${who.session}`]);
    if (who.kind === 'user') maybe(0.3, 'aws:userid', 'String', ['AIDAEXAMPLEUSERID']);
    maybe(0.4, 'aws:PrincipalIsAWSService', 'Bool', ['false']);
    maybe(0.15, 'aws:ViaAWSService', 'Bool', ['true', 'false']);
    maybe(0.15, 'aws:CalledVia', 'ArrayOfString', [['cloudformation.amazonaws.com'], ['athena.amazonaws.com', 'glue.amazonaws.com']]);
  }
  if (who.kind === 'service') {
    maybe(0.9, 'aws:PrincipalIsAWSService', 'Bool', ['true']);
    maybe(0.7, 'aws:PrincipalServiceName', 'String', [who.principal], [who.principal, 'ec2.amazonaws.com']);
    maybe(0.7, 'aws:SourceAccount', 'String', [HOME, OUTSIDE]);
    maybe(0.6, 'aws:SourceArn', 'ARN', [`arn:aws:sns:us-east-1:${HOME}:alerts`, `arn:aws:events:us-east-1:${OUTSIDE}:rule/r1`]);
  }
  if (target.svc !== 's3') maybe(0.4, 'aws:ResourceTag/env', 'String', ENVS);
  if (rng.chance(0.2)) {
    maybe(1, 'aws:RequestTag/env', 'String', ENVS);
    maybe(1, 'aws:TagKeys', 'ArrayOfString', [['env'], ['env', 'team']]);
  }
  maybe(0.3, 'aws:ResourceOrgID', 'String', [account === OUTSIDE ? 'o-zz9y8x7w6v' : ORG_ID], [ORG_ID, 'o-zz9y8x7w6v']);
  maybe(hasVpce ? 1 : 0.15, 'aws:SourceVpce', 'String', ['vpce-1a2b3c4d', 'vpce-9z8y7x6w']);
  maybe(hasVpce ? 0.8 : 0.1, 'aws:SourceVpc', 'String', ['vpc-111bbb22']);
  // Service keys of this action and resource type (only keys AWS sends with this request).
  const serviceKeys = [...target.action.keys, ...(target.rtype?.keys ?? [])].filter((k) => k.startsWith(`${target.svc}:`));
  for (const raw of rng.sample([...new Set(serviceKeys)].filter((k) => !/tag-key$/i.test(k)), 2)) {
    const type = keyType(catalog, raw);
    if (!type) continue;
    const key = concreteKey(raw, rng);
    const pool = poolFor(key, type, account);
    fact(facts, key, type, rng.chance(0.6) ? rng.pick(pool) : undefined, pool);
  }
  return facts;
}

/** The `request.context` object: every explicit fact, and now and then a derived one. */
export function contextOf(rng, facts) {
  const context = {};
  for (const f of facts.values()) {
    if (f.value === undefined) continue;
    if (f.explicit || (f.derived && rng.chance(0.08))) context[f.key] = f.value;
  }
  return context;
}
