// Helpers shared by the rule files (known.mjs, pending.mjs): facts about a
// scenario that the rules' predicates test, and the edits their re-checks make.

import { RCP_SERVICES } from './catalog.mjs';

export const RCP_FULL_AWS_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
};

export function levelsOf(value) {
  if (!value || value.length === 0) return [];
  return Array.isArray(value[0]) ? value : [value];
}

export function service(s) {
  return s.request.action.split(':')[0].toLowerCase();
}

export function actionIs(s, name) {
  return s.request.action.toLowerCase() === name.toLowerCase();
}

export function principalKind(s) {
  const p = s.request.principal;
  if (p === 'anonymous' || p === '*') return 'anonymous';
  if (!p.startsWith('arn:')) return 'service';
  if (/:iam::\d{12}:root$/.test(p)) return 'root';
  if (/:iam::\d{12}:user\//.test(p)) return 'user';
  if (/:sts::\d{12}:assumed-role\//.test(p) || /:iam::\d{12}:role\//.test(p)) return 'session';
  if (/:sts::\d{12}:federated-user\//.test(p)) return 'federated';
  return 'other';
}

export function principalAccount(s) {
  const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(s.request.principal);
  return m ? m[1] : undefined;
}

export function hasRcps(s) {
  return levelsOf(s.policies?.rcp).some((l) => l.length > 0);
}

export function hasScps(s) {
  return levelsOf(s.policies?.scp).some((l) => l.length > 0);
}

export function rcpService(s) {
  return RCP_SERVICES.has(service(s));
}

export function clone(x) {
  return JSON.parse(JSON.stringify(x));
}

/** The policy documents of a scenario's `kind`, unwrapped. */
export function docs(s, kind) {
  const v = s.policies?.[kind];
  if (!v) return [];
  const list = kind === 'scp' || kind === 'rcp' ? levelsOf(v).flat() : Array.isArray(v) ? v : [v];
  return list.map((p) => (typeof p === 'string' ? JSON.parse(p) : p.policy && !p.Statement ? p.policy : p));
}

export function statementsOf(doc) {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}
