// Rules whose AWS answer the documentation gives directly, independent of
// either evaluator. Each is checked on every scenario it covers, agreeing or
// not, so it also finds cases where both tools are wrong:
//
//   ours != AWS, theirs == AWS   -> pending core fix (iamtrace is wrong)
//   ours == AWS, theirs != AWS   -> known difference (iam-simulate is wrong)
//   ours == theirs != AWS        -> pending core fix, found by the oracle alone
//
// Entry: { id, when(scenario), aws(scenario, simulation, evaluate) -> 'Allow' | 'Deny' |
// 'ExplicitDeny' | 'ImplicitDeny' (async allowed; 'Deny' accepts either kind of deny;
// undefined: the rule settles nothing for this scenario), explanation, url }.

import { actionIs, clone, principalAccount, principalKind, service } from './rules.mjs';

const IAM_IDENTITIES = ['user', 'session', 'federated', 'root'];

// The "Cross-account support: Yes" rows of DynamoDB's resource-based policy
// page (the Transact* APIs are authorized as the item actions and
// ConditionCheckItem), lower case.
const DYNAMODB_CROSS_ACCOUNT = [
  'batchgetitem', 'batchwriteitem', 'conditioncheckitem', 'deleteitem', 'deletetable', 'describestream',
  'describetable', 'getitem', 'getrecords', 'getsharditerator', 'listtagsofresource', 'putitem', 'query', 'scan',
  'tagresource', 'untagresource', 'updateitem', 'updatetable',
];

// "Cross-account permissions don't apply to the following actions" (SQS
// Developer Guide, limitations of custom policies), lower case.
const SQS_OWN_ACCOUNT_ONLY = [
  'addpermission', 'cancelmessagemovetask', 'createqueue', 'deletequeue', 'listmessagemovetasks', 'listqueues',
  'listqueuetags', 'removepermission', 'setqueueattributes', 'startmessagemovetask', 'tagqueue', 'untagqueue',
].map((a) => `sqs:${a}`);

export const ORACLES = [
  {
    id: 'get-caller-identity-needs-no-permission',
    when: (s) => actionIs(s, 'sts:GetCallerIdentity') && IAM_IDENTITIES.includes(principalKind(s)),
    aws: () => 'Allow',
    explanation:
      'No permission is needed to call sts:GetCallerIdentity; it succeeds even when a policy explicitly denies it.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html',
  },
  {
    id: 'get-session-token-needs-no-permission',
    when: (s) => actionIs(s, 'sts:GetSessionToken') && ['user', 'root'].includes(principalKind(s)),
    aws: () => 'Allow',
    explanation:
      'No permission is needed for an IAM user (or the root user) to get a session token: policies cannot control this authentication operation, and a Deny of it has no effect.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html',
  },
  {
    id: 'anonymous-caller-cannot-call-sts',
    when: (s) => principalKind(s) === 'anonymous' && service(s) === 'sts' && !/^sts:AssumeRoleWith(WebIdentity|SAML)$/i.test(s.request.action),
    aws: () => 'Deny',
    explanation:
      'Of the STS operations only AssumeRoleWithWebIdentity and AssumeRoleWithSAML take unsigned requests; the others (AssumeRole, with the sts:TagSession and sts:SetSourceIdentity permissions checked in it, GetFederationToken, GetSessionToken, ...) are called with credentials, which an anonymous caller has none of.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_sts-comparison.html',
  },
  {
    id: 'root-cannot-call-assume-root',
    when: (s) => principalKind(s) === 'root' && actionIs(s, 'sts:AssumeRoot'),
    aws: () => 'Deny',
    explanation: 'AssumeRoot cannot be called with root user credentials.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html',
  },
  {
    id: 'federated-user-cannot-call-sts-or-iam',
    when: (s) =>
      principalKind(s) === 'federated' && ['sts', 'iam'].includes(service(s)) && !actionIs(s, 'sts:GetCallerIdentity'),
    aws: () => 'Deny',
    explanation:
      'Credentials from GetFederationToken cannot call IAM operations through the API or CLI, nor any STS operation except GetCallerIdentity, whatever the policies say.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html',
  },
  {
    id: 'role-session-cannot-get-federation-or-session-token',
    when: (s) =>
      principalKind(s) === 'session' && (actionIs(s, 'sts:GetFederationToken') || actionIs(s, 'sts:GetSessionToken')),
    aws: () => 'Deny',
    explanation: 'Credentials from AssumeRole cannot call sts:GetFederationToken or sts:GetSessionToken.',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  },
  {
    id: 'root-cannot-assume-role',
    // sts:TagSession, sts:SetSourceIdentity and sts:SetContext are only checked as part of an AssumeRole call.
    when: (s) =>
      principalKind(s) === 'root' &&
      /^sts:(AssumeRole|TagSession$|SetSourceIdentity$|SetContext$)/i.test(s.request.action) &&
      /^arn:[^:]+:iam::\d{12}:role\//.test(s.request.resource),
    aws: () => 'Deny',
    explanation:
      'AssumeRole cannot be called with the root user\'s credentials; an IAM user or role must call it (sts:TagSession, sts:SetSourceIdentity and sts:SetContext are checked as part of that call).',
    url: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html',
  },
  {
    id: 'assume-root-is-authorized-by-identity-policy',
    when: (s) => actionIs(s, 'sts:AssumeRoot') && ['user', 'session'].includes(principalKind(s)),
    // The member account's root has no resource-based policy: the caller's own
    // (identity, boundary, session, SCP) policies decide, as in a same-account
    // request; the member account's RCP denies still apply (nothing documents
    // an exception, so the reading that denies is kept).
    aws: async (s, sim, evaluate) => {
      const own = clone(sim);
      const m = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(s.request.principal);
      own.request.resource.accountId = m[1];
      delete own.resourcePolicy;
      return evaluate(own);
    },
    explanation:
      'sts:AssumeRoot is called by an IAM user or role of the management (or delegated administrator) account on a member account root ARN; the caller needs the permission explicitly granted in its identity-based policy; the member account has no resource-based policy to agree.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html',
  },
  {
    id: 'kms-key-operation-own-account-only',
    when: (s) => {
      const key = /^arn:[^:]+:kms:[^:]*:(\d{12}):key\//.exec(s.request.resource);
      const account = principalAccount(s);
      const name = s.request.action.split(':')[1] ?? '';
      return service(s) === 'kms' && !!key && !!account && account !== (s.request.resource_account ?? key[1]) &&
        !KMS_CROSS_ACCOUNT.includes(name.toLowerCase());
    },
    aws: () => 'Deny',
    explanation:
      'Cross-account permission on a KMS key is effective only for the cryptographic operations, DescribeKey, GetPublicKey, GetKeyRotationStatus and the grant operations; other operations on another account\'s key fail whatever the key policy and the caller\'s policies allow (each API reference: "Cross-account use: No").',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html',
  },
  {
    id: 'bucket-policy-owner-account-only',
    when: (s) => {
      if (!/^s3:(Get|Put|Delete)BucketPolicy$/i.test(s.request.action)) return false;
      const account = principalAccount(s);
      return !account || (s.request.resource_account !== undefined && s.request.resource_account !== account);
    },
    aws: () => 'Deny',
    explanation:
      'The calling identity of GetBucketPolicy, PutBucketPolicy and DeleteBucketPolicy must belong to the bucket owner\'s account; S3 answers others with 405 Method Not Allowed, whatever the bucket policy allows.',
    url: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketPolicy.html',
  },
  {
    id: 'dynamodb-operation-own-account-only',
    when: (s) => {
      const table = /^arn:[^:]+:dynamodb:[^:]*:(\d{12}):table\//.exec(s.request.resource);
      const account = principalAccount(s);
      const name = (s.request.action.split(':')[1] ?? '').toLowerCase();
      return service(s) === 'dynamodb' && !!table && !!account && account !== (s.request.resource_account ?? table[1]) &&
        !DYNAMODB_CROSS_ACCOUNT.includes(name);
    },
    aws: () => 'Deny',
    explanation:
      'For cross-account access only a certain set of DynamoDB APIs can be used through resource-based policies (the item operations, DescribeTable, UpdateTable, DeleteTable, the tag operations and the stream reads); others on another account\'s table fail whatever the policies allow.',
    url: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-iam-actions.html',
  },
  {
    id: 'sqs-operation-own-account-only',
    when: (s) => {
      const queue = /^arn:[^:]+:sqs:[^:]*:(\d{12}):/.exec(s.request.resource);
      const account = principalAccount(s);
      return !!queue && (!account || account !== (s.request.resource_account ?? queue[1])) &&
        SQS_OWN_ACCOUNT_ONLY.includes(s.request.action.toLowerCase());
    },
    aws: () => 'Deny',
    explanation:
      "Cross-account permissions don't apply to AddPermission, CancelMessageMoveTask, CreateQueue, DeleteQueue, ListMessageMoveTasks, ListQueues, ListQueueTags, RemovePermission, SetQueueAttributes, StartMessageMoveTask, TagQueue and UntagQueue: by a caller of another account, or of none (anonymous, a service: the reading that denies), they fail whatever the queue policy allows.",
    url: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-limitations-of-custom-policies.html',
  },
  {
    id: 'trust-policy-naming-caller-needs-boundary',
    // Same account, the caller named in the role's trust policy, with a
    // permissions boundary: the boundary must allow the action too.
    when: (s) =>
      ['user', 'session'].includes(principalKind(s)) &&
      !!s.policies?.boundary &&
      /^sts:(AssumeRole$|TagSession$|SetSourceIdentity$|SetContext$)/i.test(s.request.action) &&
      /^arn:[^:]+:iam::(\d{12}):role\//.exec(s.request.resource)?.[1] === principalAccount(s),
    aws: async (s, sim, evaluate) => {
      // Whether the boundary allows: the boundary as the only identity
      // policy, under a trust policy that names the account (which needs
      // the identity side to allow), nothing else.
      const bounded = clone(sim);
      bounded.identityPolicies = bounded.permissionBoundaryPolicies ?? [];
      delete bounded.permissionBoundaryPolicies;
      delete bounded.sessionPolicy;
      bounded.resourcePolicy = {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${principalAccount(s)}:root` }, Action: '*' }],
      };
      bounded.serviceControlPolicies = [];
      bounded.resourceControlPolicies = [];
      delete bounded.vpcEndpointPolicies;
      // When it allows, this rule settles nothing.
      return (await evaluate(bounded)) === 'Allow' ? undefined : 'Deny';
    },
    explanation:
      'If a user is listed as the principal in a role\'s trust policy but cannot assume the role, check the user\'s permissions boundary: if one is set, it must allow sts:AssumeRole (the reading that denies where the general pages say a grant naming the caller needs nothing else).',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-trust-policy.html',
  },
];

/** KMS key operations that work on another account's key ("Cross-account use: Yes"), lower case. */
const KMS_CROSS_ACCOUNT = [
  'CreateGrant', 'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GetKeyRotationStatus',
  'GetPublicKey', 'ListGrants', 'ReEncryptFrom', 'ReEncryptTo', 'RetireGrant', 'RevokeGrant', 'Sign', 'Verify', 'VerifyMac',
].map((a) => a.toLowerCase());

/** Whether a decision satisfies the oracle's answer. */
export function satisfies(decision, aws) {
  if (typeof decision !== 'string' || aws === undefined) return false;
  if (aws === 'Deny') return decision !== 'Allow';
  return decision === aws;
}
