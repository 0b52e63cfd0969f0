// The seeded scenario generator. `generate(seed, count, catalog)` returns
// `count` scenarios in the project's scenario format (SCENARIO.md), each
// built from its own PRNG stream so scenario `i` of a seed never changes when
// `count` does. Every policy kind appears: identity, resource (bucket, queue,
// topic, key, secret, table, function policies and role trust policies),
// permissions boundary, session, SCP levels, RCP levels, VPC endpoint.

import { Rng } from './rng.mjs';
import { POLICY_RESOURCES, RCP_SERVICES } from './catalog.mjs';
import { makeConditionBlock } from './conditions.mjs';
import { HOME, OUTSIDE, PARTNER, contextOf, makeFacts, makeRequest, makeTarget } from './request.mjs';

const VERSION = '2012-10-17';

function oneOrMany(rng, items) {
  return items.length === 1 && rng.chance(0.7) ? items[0] : items;
}

/** Action patterns that match `action` (`svc:Name`). */
function matchingActions(rng, action) {
  const [svc, name] = action.split(':');
  return rng.weighted([
    [30, action],
    [2, `${svc.toUpperCase()}:${name}`],
    [6, `${svc}:${name.toLowerCase()}`],
    [15, `${svc}:*`],
    [12, `${svc}:${name.slice(0, Math.min(3, name.length))}*`],
    [5, `${svc}:*${name.slice(-4)}`],
    [4, `${svc}:${name.slice(0, 1)}?${name.slice(2)}`],
    [6, '*'],
  ]);
}

function otherAction(rng, catalog, svc, action) {
  const actions = catalog.services[svc].actions.filter((a) => a.name !== action);
  const other = rng.chance(0.8) && actions.length > 0 ? rng.pick(actions).name : rng.pick(['ec2:DescribeInstances', 'iam:ListUsers', 's3:ListAllMyBuckets']);
  if (other.toLowerCase() === action.toLowerCase()) return 'ec2:DescribeInstances' === action ? 'iam:ListUsers' : 'ec2:DescribeInstances';
  return other;
}

/** An `Action`/`NotAction` pair for a statement that should (or should not) cover the request. */
function actionElement(rng, ctx, cover) {
  const { catalog, svc, action } = ctx;
  if (rng.chance(0.08)) {
    // NotAction: covers the request when it lists other actions.
    const listed = cover ? [otherAction(rng, catalog, svc, action)] : [matchingActions(rng, action), otherAction(rng, catalog, svc, action)];
    return { NotAction: oneOrMany(rng, listed) };
  }
  if (cover) {
    const list = [matchingActions(rng, action)];
    if (rng.chance(0.25)) list.push(otherAction(rng, catalog, svc, action));
    return { Action: oneOrMany(rng, rng.sample(list, list.length)) };
  }
  return { Action: oneOrMany(rng, [otherAction(rng, catalog, svc, action)]) };
}

/** Resource patterns that match the request's resource. */
function matchingResource(rng, ctx) {
  const { resource, who } = ctx;
  if (resource === '*') return '*';
  const parts = resource.split(':');
  const tail = parts.slice(5).join(':');
  const choices = [
    [35, resource],
    [15, '*'],
    // A wildcard after the type word (IAM forbids wildcards inside `user`, `role`, `root`...).
    [12, [...parts.slice(0, 5), tail.includes('/') ? `${tail.slice(0, tail.indexOf('/') + 1)}*` : parts[2] === 'iam' ? '*' : `${tail.slice(0, 2)}*`].join(':')],
    [8, [...parts.slice(0, 3), '*', ...parts.slice(4)].join(':')],
    [5, [...parts.slice(0, 4), '*', ...parts.slice(5)].join(':')],
  ];
  if (/^arn:aws:s3:::amzn-s3-demo-bucket\/home\//.test(resource)) {
    // For a role session `aws:username` has no value: the entry matches nothing.
    choices.push([who.kind === 'user' ? 20 : 5, 'arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*']);
  }
  if (resource.startsWith('arn:aws:s3:::') && tail.includes('/')) choices.push([10, `arn:aws:s3:::${tail.split('/')[0]}/*`]);
  // A trailing `*` may stand for the rest of the ARN, colons included (not in SCPs and
  // RCPs, whose grammar pages only show full ARNs).
  if (!ctx.orgPolicy) choices.push([4, `arn:aws:${parts[2]}:*`]);
  if (resource.startsWith('arn:aws:s3:::')) choices.push([3, `arn:aws:s3:::${tail.split('/')[0]}*`]);
  return rng.weighted(choices);
}

function otherResource(rng, ctx) {
  const { resource } = ctx;
  if (resource === '*') return rng.pick([`arn:aws:s3:::other-bucket/*`, `arn:aws:sqs:us-east-1:${HOME}:other`]);
  const parts = resource.split(':');
  if (rng.chance(0.3) && parts[4]) return [...parts.slice(0, 4), OUTSIDE, ...parts.slice(5)].join(':');
  const tail = parts.slice(5).join(':');
  return [...parts.slice(0, 5), `${tail}-other`].join(':');
}

function resourceElement(rng, ctx, cover) {
  if (ctx.trust) return {};
  if (rng.chance(0.07)) {
    const listed = cover ? [otherResource(rng, ctx)] : [matchingResource(rng, ctx)];
    return { NotResource: oneOrMany(rng, listed) };
  }
  const list = [cover ? matchingResource(rng, ctx) : otherResource(rng, ctx)];
  if (rng.chance(0.2)) list.push(otherResource(rng, ctx));
  return { Resource: oneOrMany(rng, rng.sample(list, list.length)) };
}

function conditionCount(rng) {
  return rng.weighted([
    [50, 0],
    [32, 1],
    [18, 2],
  ]);
}

/** One identity-style statement (no principal). */
function statement(rng, ctx, effect, coverAction, coverResource, conditions = conditionCount(rng)) {
  const st = { Effect: effect, ...actionElement(rng, ctx, coverAction), ...resourceElement(rng, { ...ctx, trust: false }, coverResource) };
  const cond = makeConditionBlock(rng, ctx.facts, conditions);
  if (cond) st.Condition = cond;
  if (rng.chance(0.2)) st.Sid = `S${rng.int(1, 999)}`;
  return st;
}

/** A policy document; `Sid`s must be unique within a policy, so repeats are dropped. */
function policy(statements) {
  const seen = new Set();
  for (const st of statements) {
    if (st.Sid === undefined) continue;
    if (seen.has(st.Sid)) delete st.Sid;
    else seen.add(st.Sid);
  }
  return { Version: VERSION, Statement: statements };
}

/** Identity-style policies: one statement that grants (most of the time) and some others. */
function identityPolicy(rng, ctx, { grant = 0.85, denyRate = 0.28 } = {}) {
  const sts = [];
  if (rng.chance(grant)) sts.push(statement(rng, ctx, 'Allow', rng.chance(0.88), rng.chance(0.85)));
  const extra = rng.int(0, 2);
  for (let i = 0; i < extra; i++) {
    const deny = rng.chance(denyRate);
    sts.push(statement(rng, ctx, deny ? 'Deny' : 'Allow', rng.chance(deny ? 0.45 : 0.4), rng.chance(0.6), deny ? rng.int(1, 2) : conditionCount(rng)));
  }
  if (sts.length === 0) sts.push(statement(rng, ctx, 'Allow', false, rng.chance(0.5)));
  return policy(sts);
}

/** `Principal` entries that name the caller (as the caller's own kind allows). */
function principalsFor(rng, who) {
  const out = [];
  switch (who.kind) {
    case 'user':
      out.push({ AWS: who.userArn });
      break;
    case 'session':
      out.push({ AWS: who.roleArn }, { AWS: who.principal });
      break;
    case 'federated':
      out.push({ AWS: who.principal }, { AWS: who.userArn });
      break;
    case 'service':
      out.push({ Service: who.principal });
      break;
    case 'webidentity':
      out.push({ Federated: who.principal });
      break;
    default:
      break;
  }
  if (who.account) out.push({ AWS: who.account }, { AWS: `arn:aws:iam::${who.account}:root` });
  out.push('*', { AWS: '*' });
  return out;
}

function otherPrincipals(rng) {
  return [{ AWS: `arn:aws:iam::${OUTSIDE}:user/mallory` }, { AWS: PARTNER }, { Service: 'ec2.amazonaws.com' }, { AWS: `arn:aws:iam::${HOME}:role/Other` }];
}

function mergePrincipals(list) {
  if (list.includes('*')) return '*';
  const merged = {};
  for (const p of list) {
    for (const [k, v] of Object.entries(p)) {
      merged[k] = merged[k] === undefined ? v : [].concat(merged[k], v).filter((x, i, a) => a.indexOf(x) === i);
    }
  }
  return merged;
}

function principalElement(rng, who, cover) {
  const names = principalsFor(rng, who);
  const list = cover ? [rng.pick(names)] : [rng.pick(otherPrincipals(rng))];
  if (rng.chance(0.3)) list.push(rng.pick(cover ? otherPrincipals(rng) : otherPrincipals(rng)));
  return mergePrincipals(list);
}

/** `NotPrincipal` for a Deny: lists some of the caller's identity layers (and others). */
function notPrincipalElement(rng, who) {
  const layers = principalsFor(rng, who).filter((p) => p !== '*' && !(p.AWS === '*'));
  const listed = rng.sample(layers, rng.int(0, layers.length));
  listed.push(rng.pick(otherPrincipals(rng)));
  return mergePrincipals(listed);
}

/** A resource-based policy (bucket, queue, topic, key, secret, table, function policy or trust policy). */
function resourcePolicy(rng, ctx) {
  const { who } = ctx;
  const sts = [];
  const grant = { Effect: 'Allow', Principal: principalElement(rng, who, rng.chance(0.85)) };
  Object.assign(grant, actionElement(rng, ctx, rng.chance(0.9)), resourceElement(rng, ctx, rng.chance(0.9)));
  const cond = makeConditionBlock(rng, ctx.facts, conditionCount(rng));
  if (cond) grant.Condition = cond;
  sts.push(grant);
  if (rng.chance(0.3)) {
    const deny = { Effect: 'Deny' };
    // NotPrincipal is not allowed in role trust policies.
    if (!ctx.trust && rng.chance(0.06)) deny.NotPrincipal = notPrincipalElement(rng, who);
    else deny.Principal = principalElement(rng, who, rng.chance(0.7));
    Object.assign(deny, actionElement(rng, ctx, rng.chance(0.6)), resourceElement(rng, ctx, rng.chance(0.8)));
    const dc = makeConditionBlock(rng, ctx.facts, deny.NotPrincipal ? rng.int(0, 1) : rng.int(1, 2));
    if (dc) deny.Condition = dc;
    sts.push(deny);
  }
  if (rng.chance(0.25)) {
    const other = { Effect: 'Allow', Principal: principalElement(rng, who, false) };
    Object.assign(other, actionElement(rng, ctx, true), resourceElement(rng, ctx, true));
    sts.push(other);
  }
  return policy(rng.sample(sts, sts.length));
}

function scpLevels(rng, parent) {
  const ctx = { ...parent, orgPolicy: true };
  const levels = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const level = [];
    const allow = rng.weighted([
      [62, policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])],
      [20, policy([{ Effect: 'Allow', Action: `${ctx.svc}:*`, Resource: '*' }])],
      [5, policy([{ Effect: 'Allow', NotAction: otherAction(rng, ctx.catalog, ctx.svc, ctx.action), Resource: '*' }])],
      [13, policy([statement(rng, ctx, 'Allow', rng.chance(0.6), true, 0)])],
    ]);
    level.push(allow);
    if (rng.chance(0.35)) level.push(policy([statement(rng, ctx, 'Deny', rng.chance(0.6), rng.chance(0.8), rng.int(1, 2))]));
    levels.push(level);
  }
  return levels;
}

function rcpLevels(rng, ctx) {
  const levels = [];
  const n = rng.int(1, 2);
  for (let i = 0; i < n; i++) {
    const level = [];
    const m = rng.int(1, 2);
    for (let j = 0; j < m; j++) {
      const [svc] = ctx.action.split(':');
      const covered = RCP_SERVICES.has(svc) ? rng.pick([`${svc}:*`, ctx.action, matchingActions(rng, ctx.action).replace(/^\*$/, `${svc}:*`)]) : `${svc}:*`;
      const st = { Effect: 'Deny', Principal: '*', Action: rng.chance(0.75) ? covered : 's3:PutBucketAcl' };
      Object.assign(st, resourceElement(rng, { ...ctx, trust: false, orgPolicy: true }, rng.chance(0.85)));
      const cond = makeConditionBlock(rng, ctx.facts, rng.int(1, 2));
      if (cond) st.Condition = cond;
      level.push(policy([st]));
    }
    levels.push(level);
  }
  return levels;
}

function vpcePolicy(rng, ctx) {
  const sts = [];
  const allow = { Effect: 'Allow', Principal: '*' };
  Object.assign(allow, actionElement(rng, ctx, rng.chance(0.85)), resourceElement(rng, { ...ctx, trust: false }, rng.chance(0.85)));
  const cond = makeConditionBlock(rng, ctx.facts, conditionCount(rng));
  if (cond) allow.Condition = cond;
  sts.push(allow);
  if (rng.chance(0.25)) {
    const deny = { Effect: 'Deny', Principal: '*' };
    Object.assign(deny, actionElement(rng, ctx, rng.chance(0.5)), resourceElement(rng, { ...ctx, trust: false }, true));
    deny.Condition = makeConditionBlock(rng, ctx.facts, 1);
    sts.push(deny);
  }
  return policy(sts);
}

/** One scenario from its own stream of `seed`. */
export function generateOne(seed, index, catalog) {
  const rng = new Rng(seed, index);
  const target = makeTarget(rng, catalog);
  const req = makeRequest(rng, target);
  const hasVpce = rng.chance(0.12);
  const facts = makeFacts(rng, catalog, target, req, hasVpce);
  const { who } = req;
  const action = target.action.name;
  const trust = target.svc === 'sts' && target.rtype?.key === 'role';
  const ctx = { catalog, svc: target.svc, action, resource: req.resource, who, facts, trust };
  const policies = {};
  const hasIdentity = ['user', 'session', 'federated'].includes(who.kind);
  if (hasIdentity) {
    const n = rng.weighted([
      [55, 1],
      [30, 2],
      [15, 3],
    ]);
    policies.identity = Array.from({ length: n }, (_, i) => identityPolicy(rng, ctx, { grant: i === 0 ? 0.85 : 0.4 }));
    if (rng.chance(0.2)) policies.boundary = identityPolicy(rng, ctx, { grant: 0.8, denyRate: 0.15 });
    const sessionRate = who.kind === 'federated' ? 0.98 : who.kind === 'session' ? 0.12 : 0;
    if (rng.chance(sessionRate)) {
      policies.session = Array.from({ length: rng.int(1, 2) }, () => identityPolicy(rng, ctx, { grant: 0.8, denyRate: 0.15 }));
    }
  }
  const policyTypes = POLICY_RESOURCES[target.svc] ?? [];
  if (target.rtype && policyTypes.includes(target.rtype.key)) {
    const rate = trust || target.svc === 'kms' ? 1 : !hasIdentity || req.crossAccount ? 0.85 : 0.5;
    if (rng.chance(rate)) policies.resource = resourcePolicy(rng, { ...ctx, trust });
  }
  const accountPrincipal = who.account !== undefined;
  if (accountPrincipal && rng.chance(0.25)) policies.scp = scpLevels(rng, ctx);
  if (!accountPrincipal && rng.chance(0.005)) policies.scp = scpLevels(rng, ctx);
  const rcpRate = RCP_SERVICES.has(target.svc) ? 0.2 : 0.002;
  if (rng.chance(rcpRate)) policies.rcp = rcpLevels(rng, ctx);
  if (hasVpce) policies.vpce = vpcePolicy(rng, ctx);

  const request = { principal: who.principal, action, resource: req.resource };
  // An S3 ARN carries no account: leave it out now and then when the principal's account
  // is the owner (SCENARIO.md then takes the principal's); always give it otherwise.
  const ownAccount = req.resourceAccount === who.account;
  if (req.resourceAccount && (rng.chance(0.9) || !ownAccount)) request.resource_account = req.resourceAccount;
  if (who.parent && (who.kind === 'federated' || rng.chance(0.85))) request.session_parent_arn = who.parent;
  const context = contextOf(rng, facts);
  if (Object.keys(context).length > 0) request.context = context;
  return { name: `seed-${seed}-${index}`, policies, request };
}

export function generate(seed, count, catalog) {
  return Array.from({ length: count }, (_, i) => generateOne(seed, i, catalog));
}
