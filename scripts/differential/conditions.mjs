// Condition blocks written against the request's facts: every operator
// family (string, ARN, IP, date, bool, numeric, null), set operators,
// `IfExists`, and policy variables. About half the values chosen match the
// request, so conditions decide both ways.

const VARIABLE_KEYS = ['aws:username', 'aws:PrincipalTag/team', 'aws:PrincipalAccount', 'aws:userid', 'aws:ResourceTag/env'];

function one(v) {
  return Array.isArray(v) ? v[0] : v;
}

/** A `*`/`?` pattern that matches `s`. */
function likePattern(rng, s) {
  if (s.length < 3) return `${s}*`;
  switch (rng.int(0, 3)) {
    case 0:
      return `${s.slice(0, Math.ceil(s.length / 2))}*`;
    case 1:
      return `*${s.slice(-3)}`;
    case 2:
      return `${s.slice(0, 1)}?${s.slice(2)}`;
    default:
      return '*';
  }
}

/** An ARN pattern matching `arn` (wildcard in the account, or the resource's tail). */
function arnPattern(rng, arn) {
  const parts = arn.split(':');
  if (parts.length < 6) return '*';
  if (rng.chance(0.5)) {
    const res = parts.slice(5).join(':');
    const slash = res.indexOf('/');
    return [...parts.slice(0, 5), slash > 0 ? `${res.slice(0, slash + 1)}*` : '*'].join(':');
  }
  return [...parts.slice(0, 4), '*', ...parts.slice(5)].join(':');
}

function cidrFor(rng, ip) {
  if (ip.includes(':')) return rng.pick(['2001:db8::/32', '2001:db8:1::/48', ip, `${ip}/128`]);
  const [a, b, c] = ip.split('.');
  return rng.pick([`${a}.${b}.${c}.0/24`, `${a}.0.0.0/8`, ip, `${ip}/32`, '2001:db8::/32']);
}

/** The other way of writing a date: epoch seconds for ISO 8601 and back. */
function otherDateForm(v) {
  if (/^\d+$/.test(v)) return new Date(Number(v) * 1000).toISOString().replace('.000Z', 'Z');
  return String(Math.floor(Date.parse(v) / 1000));
}

function shiftDate(iso, days) {
  return new Date(Date.parse(iso) + days * 86400000).toISOString().replace('.000Z', 'Z');
}

/** `(operator, values)` for a fact, matching its value with probability about one half. */
function scalarTest(rng, f) {
  const want = f.value !== undefined && rng.chance(0.55);
  const v = want ? one(f.value) : one(rng.pick(f.pool));
  const base = f.type.replace(/^ArrayOf/, '');
  switch (base) {
    case 'ARN': {
      const op = rng.pick(['ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'StringLike', 'StringEquals']);
      const val = /Like$/.test(op) ? arnPattern(rng, v) : v;
      return [op, val];
    }
    case 'IPAddress':
      return [rng.pick(['IpAddress', 'IpAddress', 'NotIpAddress']), cidrFor(rng, v)];
    case 'Bool':
      // Now and then in another case: AWS compares Bool values ignoring case.
      return ['Bool', rng.chance(0.1) ? rng.pick([v.toUpperCase(), v[0].toUpperCase() + v.slice(1)]) : v];
    case 'Numeric': {
      const op = rng.pick(['NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals']);
      const n = Number(v) + rng.pick([0, 0, 1, -1, 3600]);
      return [op, rng.chance(0.05) ? `${n}.0` : String(n)];
    }
    case 'Date': {
      const op = rng.pick(['DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals']);
      const shifted = /^\d+$/.test(v) ? String(Number(v) + rng.pick([0, 86400, -86400])) : shiftDate(v, rng.pick([0, 1, -1, 30, -30]));
      // Epoch seconds against an ISO 8601 value (and back) now and then.
      return [op, rng.chance(0.05) ? otherDateForm(shifted) : shifted];
    }
    default: {
      const op = rng.pick(['StringEquals', 'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike']);
      let val = v;
      if (/Like$/.test(op)) val = likePattern(rng, v);
      else if (/IgnoreCase$/.test(op) && rng.chance(0.5)) val = v.toUpperCase();
      return [op, val];
    }
  }
}

/**
 * One condition `[operator, key, values]` on a fact. `facts` is the request's
 * fact map; `forDeny` biases towards keys with values (denies on absent keys
 * mostly test `IfExists`).
 */
export function makeCondition(rng, facts) {
  const all = [...facts.values()];
  const f = rng.pick(all);
  if (rng.chance(0.08)) return ['Null', f.key, rng.pick(['true', 'false'])];
  const multi = f.type.startsWith('ArrayOf');
  let [op, val] = scalarTest(rng, f);
  // A second value now and then (any one may match).
  let values = val;
  if (rng.chance(0.3) && op !== 'Bool') {
    const [, other] = scalarTest(rng, f);
    values = other === val ? val : [val, other];
  }
  // Policy variables in string values.
  if (/^String(Equals|Like)$/.test(op) && rng.chance(0.1)) {
    const variable = rng.pick(VARIABLE_KEYS);
    values = op === 'StringLike' ? `*\${${variable}}*` : `\${${variable}}`;
  }
  if (multi) {
    // The docs require a set operator with a multivalued key; without one the result is undocumented.
    op = `${rng.pick(['ForAnyValue', 'ForAllValues'])}:${op}`;
  } else if (rng.chance(0.03)) {
    op = `${rng.pick(['ForAnyValue', 'ForAllValues'])}:${op}`;
  }
  if (/^String(Equals|Like)$/.test(op) && rng.chance(0.03)) {
    // A variable with a default value.
    values = `\${${rng.pick(VARIABLE_KEYS)}, '${one(f.value ?? rng.pick(f.pool))}'}`;
  }
  if (rng.chance(0.18) && !op.startsWith('Null')) op = `${op}IfExists`;
  // Condition keys are case-insensitive.
  const key = rng.chance(0.05) ? f.key.toLowerCase() : f.key;
  // JSON numbers and booleans are accepted where a number or a Boolean is meant.
  if (rng.chance(0.1) && /^(Numeric|Bool)/.test(op.replace(/^For(Any|All)Values:/, '')) && typeof values === 'string') {
    const n = Number(values);
    if (/^Bool/.test(op) && /^(true|false)$/.test(values)) values = values === 'true';
    else if (/^Numeric/.test(op) && Number.isInteger(n)) values = n;
  }
  return [op, key, values];
}

/** A `Condition` block of `n` conditions (merged per operator), or undefined for none. */
export function makeConditionBlock(rng, facts, n) {
  if (n <= 0 || facts.size === 0) return undefined;
  const block = {};
  for (let i = 0; i < n; i++) {
    const [op, key, values] = makeCondition(rng, facts);
    block[op] ??= {};
    // A key once per block, in any letter case: IAM refuses a key repeated
    // with other letter case (Access Analyzer: "Duplicate keys with different case").
    if (Object.keys(block[op]).some((k) => k.toLowerCase() === key.toLowerCase())) continue;
    block[op][key] = values;
  }
  return block;
}
