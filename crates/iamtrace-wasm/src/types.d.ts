// ---- iamtrace types (hand-written in crates/iamtrace-wasm/src/types.d.ts) ----
// They describe the serde JSON of `iamtrace::api` exactly: an optional field
// (`x?:`) is absent when empty, `| null` fields are always present. The tests
// type-check real outputs of the test corpora against them (see
// crates/iamtrace-wasm/tests/).

/** The final decision, as AWS's policy simulator names it. */
export type Decision = "Allow" | "ExplicitDeny" | "ImplicitDeny";

/** Where a policy is attached. */
export type PolicyKind = "identity" | "resource" | "boundary" | "session" | "scp" | "rcp" | "vpce";

export type Effect = "Allow" | "Deny";

// ---------------------------------------------------------------- input

/** A policy document as text (exactly what a person pasted), with an optional display name. */
export interface PolicyText {
  name?: string;
  text: string;
}

/** The policies of a scenario; a missing kind means "none of that kind". */
export interface Policies {
  identity?: PolicyText[];
  resource?: PolicyText;
  boundary?: PolicyText;
  session?: PolicyText[];
  /** Levels of the organization from the root down; every level must allow. */
  scp?: PolicyText[][];
  rcp?: PolicyText[][];
  vpce?: PolicyText;
}

/** Facts that the ARNs cannot show (all default to false). */
export interface FlagsInput {
  principal_in_management_account?: boolean;
  service_linked_role?: boolean;
  resource_in_management_account?: boolean;
  /** What-if: evaluate as if `RCPFullAWSAccess` were detached (AWS does not allow it). */
  rcp_full_aws_access_detached?: boolean;
}

export interface RequestInput {
  /** An IAM ARN, `"anonymous"` or a service principal such as `"sns.amazonaws.com"`. */
  principal: string;
  /** `service:Action`, such as `"s3:GetObject"`. */
  action: string;
  /** An ARN, or `"*"` for actions that take no resource. */
  resource: string;
  /** The account that owns the resource, for ARNs that carry none (S3). */
  resource_account?: string;
  /** For a role session, the role's ARN with its path; for a federated user, the IAM user's ARN. */
  session_parent_arn?: string;
  flags?: FlagsInput;
  /** Condition keys: one string, or an array for a multivalued key. Numbers and booleans are written as strings. */
  /** Numbers and booleans are read as their text (`300`, `true`); arrays are multivalued keys. */
  context?: Record<string, string | number | boolean | Array<string | number | boolean>>;
}

/** What `evaluate` takes: policy texts and a request. */
export interface Input {
  name?: string;
  policies: Policies;
  request: RequestInput;
  expected?: Decision;
}

// --------------------------------------------------------------- output

/** `evaluate` and `evaluateScenario` return an `Output`, or `{ error }` when the input could not be read. */
export type EvaluateResult = Output | Failure;

/** `scenarioToInput` returns the `Input` a scenario describes, or `{ error }`. */
export type ScenarioResult = { input: Input } | Failure;

export interface Failure {
  error: InputError;
}

/** Why an input could not be read at all. Problems in policies and the request are `diagnostics` of an `Output` instead. */
export interface InputError {
  /** `input-invalid` (not shaped like `Input`), `input-not-a-string`, or a scenario reader code such as `json-syntax`. */
  code: string;
  message: string;
  help?: string;
  /** For `evaluate`: the field that is wrong, such as `request.context.aws:SecureTransport`. */
  path?: string;
  /** For scenarios: where in the JSON text. */
  start?: Position;
  end?: Position;
}

export interface Output {
  /** `null` when a policy or the request has errors (see `diagnostics`). */
  decision: Decision | null;
  answer: Answer | null;
  /** Errors and warnings, each located in its input: at most 50 per policy (the strictest first), then one
   * with code `diagnostics-omitted` saying how many more there are, placed where the first of them is. */
  diagnostics: Diagnostic[];
  /** The slot of each document id (`PolicyRef.doc`, `Diagnostic.doc`) used by spans. */
  documents: Slot[];
}

/** A half-open byte range in one policy text (UTF-8 offsets; use `Position.utf16_column` for editors). */
export interface Span {
  start: number;
  end: number;
}

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based, in Unicode scalar values. */
  column: number;
  /** 1-based, in UTF-16 code units (what JavaScript strings and editors count). */
  utf16_column: number;
  /** The UTF-8 byte offset. */
  offset: number;
}

/** Which input a diagnostic or document belongs to. */
export type Slot =
  | { in: "policy"; kind: PolicyKind; index: number; level?: number }
  | { in: "request"; field: "principal" | "action" | "resource" | "resource_account" | "session_parent_arn" | "request" };

export type Severity = "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";

export interface Label {
  doc: number;
  span: Span;
  message: string;
}

export interface Diagnostic {
  /** A stable kebab-case code such as `json-duplicate-key`. */
  code: string;
  severity: Severity;
  /** Lowercase, no trailing period, user input in backticks. */
  message: string;
  help?: string;
  doc: number;
  span: Span;
  labels?: Label[];
  slot: Slot;
  start: Position;
  end: Position;
}

export interface Answer {
  decision: Decision;
  /** One sentence saying why. */
  summary: string;
  /** The ordered steps of AWS's evaluation logic. */
  trace: Step[];
  /** The statements that decided the request. */
  deciding: StatementRef[];
  /** Context keys that statements looked up but the request did not have. */
  missing_keys: MissingKey[];
}

export type Stage =
  | "request"
  | "explicit-deny"
  | "credentials"
  | "rcp"
  | "scp"
  | "vpc-endpoint"
  | "resource-policy"
  | "identity"
  | "boundary"
  | "session"
  | "cross-account"
  | "decision";

export type Verdict =
  | "info"
  | "allow"
  | "no-allow"
  | "explicit-deny"
  | "pass"
  | "skipped"
  | "not-applicable"
  | "not-reached"
  | "implicit-deny";

/** Which account's side of a cross-account request a step belongs to. */
export type Side = "principal" | "resource";

export interface Step {
  stage: Stage;
  /** 0-based level for SCP/RCP steps (0 = organization root). */
  level?: number;
  side?: Side;
  verdict: Verdict;
  /** True on the step that decided the request. */
  decisive: boolean;
  title: string;
  summary: string;
  notes?: string[];
  /** Only on the `request` step. */
  request?: RequestFacts;
  statements?: StatementTrace[];
}

export interface PolicyRef {
  kind: PolicyKind;
  /** Position within its kind (and level, for SCPs and RCPs). */
  index: number;
  level?: number;
  name?: string;
  /** The document its spans refer to: `Output.documents[doc]`. */
  doc: number;
}

export interface StatementRef {
  policy: PolicyRef;
  /** 0-based index in the policy's `Statement` list. */
  statement: number;
  sid?: string;
  span: Span;
  effect: Effect;
}

export type ElementStatus = "matched" | "not-matched" | "not-evaluated" | "omitted";

export interface Resolution {
  /** The key as written in the policy. */
  key: string;
  value: string | null;
  how: "value" | "default" | "missing" | "multivalued";
}

/** A pattern or value from the policy that took part in matching. */
export interface PolicyValue {
  text: string;
  span: Span;
  /** After variable substitution, when the text has variables. */
  resolved?: string;
  resolutions?: Resolution[];
  /** Present when a variable had no value, so this value was dropped. */
  unresolved?: true;
}

export interface ElementTrace {
  element: "Action" | "NotAction" | "Resource" | "NotResource";
  status: ElementStatus;
  /** The request value compared (the action, or the resource ARN). */
  against: string;
  /** The pattern that matched the request value. */
  hit?: PolicyValue;
  /** Patterns dropped because a variable in them had no value. */
  dropped?: PolicyValue[];
  span: Span;
}

export type Grant = "direct" | "entity" | "account" | "everyone" | "service" | "federated";

export type PrincipalKey = "Any" | "AWS" | "Service" | "Federated" | "CanonicalUser";

export type AwsForm =
  | "everyone"
  | "account-id"
  | "account-root"
  | "user"
  | "role"
  | "role-session"
  | "federated-user"
  | "unique-id";

export interface PrincipalHit {
  key: PrincipalKey;
  form?: AwsForm;
  value: string;
  span: Span;
}

export interface PrincipalTrace {
  element: "Principal" | "NotPrincipal";
  status: ElementStatus;
  against: string;
  hits?: PrincipalHit[];
  grant?: Grant;
  note?: string;
  span: Span;
}

export type SetQualifier = "ForAllValues" | "ForAnyValue";

export type BaseOp =
  | "StringEquals"
  | "StringNotEquals"
  | "StringEqualsIgnoreCase"
  | "StringNotEqualsIgnoreCase"
  | "StringLike"
  | "StringNotLike"
  | "NumericEquals"
  | "NumericNotEquals"
  | "NumericLessThan"
  | "NumericLessThanEquals"
  | "NumericGreaterThan"
  | "NumericGreaterThanEquals"
  | "DateEquals"
  | "DateNotEquals"
  | "DateLessThan"
  | "DateLessThanEquals"
  | "DateGreaterThan"
  | "DateGreaterThanEquals"
  | "Bool"
  | "BinaryEquals"
  | "IpAddress"
  | "NotIpAddress"
  | "ArnEquals"
  | "ArnLike"
  | "ArnNotEquals"
  | "ArnNotLike"
  | "Null";

export interface Operator {
  set?: SetQualifier;
  base: BaseOp;
  if_exists: boolean;
}

export type ConditionResult = "true" | "false";

export interface ConditionTrace {
  /** The operator as written. */
  operator: string;
  parsed: Operator;
  negated: boolean;
  operator_span: Span;
  /** The key as written. */
  key: string;
  key_span: Span;
  /** The context key actually used (names match case-insensitively); absent when the request has no such key. */
  key_found?: string;
  /** Present when the value was derived from the principal or resource. */
  derived?: true;
  /** `null`: the request does not have the key. */
  request_values: string[] | null;
  /** After variable substitution. */
  policy_values: PolicyValue[];
  values_span: Span;
  /** The whole `"key": values` entry. */
  span: Span;
  result: ConditionResult;
  /** Why, in words. */
  reason: string;
}

export interface StatementTrace extends StatementRef {
  /** Every element matched and every condition is true. */
  applies: boolean;
  action: ElementTrace;
  resource: ElementTrace;
  principal?: PrincipalTrace;
  conditions_evaluated: boolean;
  conditions?: ConditionTrace[];
  condition_span?: Span;
}

export type PrincipalKind = "root" | "user" | "role-session" | "federated-user" | "service" | "web-identity" | "anonymous";

/** Where a fact came from. */
export type Source = "given" | "derived" | "unknown";

/** What a derived context key was taken from. */
export type DerivedFrom =
  | "principal-arn"
  | "session-role"
  | "principal-kind"
  | "user-name"
  | "root-account"
  | "federated-user"
  | "anonymous"
  | "resource-account"
  | "same-account-assumed"
  | "service-principal";

export interface DerivedKey {
  key: string;
  value: string;
  /** What it was derived from, for programs. */
  source: DerivedFrom;
  /** The same, in words. */
  from: string;
}

export interface Applicability {
  kind: PolicyKind;
  count: number;
  applies: boolean;
  reason: string;
}

/** The normalised request. */
export interface RequestFacts {
  principal: string;
  principal_kind: PrincipalKind;
  principal_account?: string;
  session_parent?: string;
  session_parent_source: Source;
  action: string;
  service: string;
  resource: string;
  resource_account?: string;
  resource_account_source: Source;
  cross_account?: boolean;
  derived_keys: DerivedKey[];
  policies: Applicability[];
}

export interface KeyReference {
  statement: StatementRef;
  span: Span;
}

export interface MissingKey {
  key: string;
  used_as: "condition" | "variable";
  referenced_by: KeyReference[];
}
// ---- end of iamtrace types ----

// ---------- walkScenario: the credential walkthrough ----------

/** `walkScenario`: the walk of a chain scenario, or why it could not be read. */
export type WalkResult = Walk | Failure;

export type HopKind = "credential" | "get-session-token" | "assume-role" | "get-federation-token" | "assume-root" | "request";

/** How a hop ended: `check-failed` is a rule outside policy evaluation (AWS refuses before evaluating). */
export type HopOutcome = "allow" | "explicit-deny" | "implicit-deny" | "check-failed" | "not-reached";

export type CredentialKind = "root-user" | "iam-user" | "session-token" | "role-session" | "federated-user" | "root-session";

export interface Walk {
  name?: string;
  /** `Allow` only when every hop succeeded and the request is allowed. */
  decision: Decision;
  /** The first hop (0-based) that did not succeed. */
  failed_hop?: number;
  summary: string;
  hops: Hop[];
}

export interface Hop {
  index: number;
  kind: HopKind;
  title: string;
  outcome: HopOutcome;
  summary: string;
  /** Rules checked outside policy evaluation. */
  checks: Check[];
  /** Each policy evaluation the hop needed, with its answer (the same trace as `evaluate`). */
  authorizations: Authorization[];
  notes: Note[];
  /** The credential the hop yields. */
  credential?: Credential;
  /** The hop in the scenario text (bytes). */
  span: Span;
}

export interface Check {
  /** A stable kebab-case code such as `duration-role-chaining`. */
  code: string;
  passed: boolean;
  summary: string;
  /** The AWS documentation page of the rule. */
  source: string;
}

export interface Note {
  text: string;
  source?: string;
}

export interface Authorization {
  action: string;
  resource: string;
  /** Why this action is evaluated. */
  why: string;
  /** Statement spans of policies written in the scenario are bytes of its text (`doc` 0). */
  answer: Answer;
}

export interface Credential {
  kind: CredentialKind;
  /** The principal ARN its requests are made as. */
  principal: string;
  session_parent_arn?: string;
  account: string;
  /** Absent for long-term keys. */
  duration_seconds?: number;
  identity_policies: string[];
  boundary?: string;
  session_policies: string[];
  tags: SessionTag[];
  source_identity?: string;
  /** Context keys the credential puts into every request it signs. */
  context: CredentialKey[];
  /** What AWS documents this credential cannot call. */
  cannot_call: string[];
}

export interface SessionTag {
  key: string;
  value: string;
  transitive: boolean;
  from: "user" | "role" | "session" | "inherited";
}

export interface CredentialKey {
  key: string;
  values: string[];
  /** Where the value comes from. */
  from: string;
}

// ---------- importCloudTrail: requests from CloudTrail records ----------

/** `importCloudTrail`: what the pasted text holds (a non-string argument is a `Failure`). */
export type ImportResult = Imported | Failure;

export type CloudTrailInputKind = "record" | "records" | "lookup-events" | "decoded-message";

export interface Imported {
  /** `null` when the text is not one of the accepted shapes. */
  kind: CloudTrailInputKind | null;
  events: ImportedEvent[];
  /** Problems with the text as a whole (not JSON, not a record). */
  diagnostics: ImportDiagnostic[];
}

export interface Location {
  start: Position;
  end: Position;
}

export interface ImportedEvent {
  /** JSON path of the event in the text (`Records[2]`; empty for a single record). */
  path: string;
  span: Span;
  location: Location;
  event_name: string | null;
  event_source: string | null;
  event_time: string | null;
  event_id: string | null;
  /** `userIdentity.type`. */
  identity_type: string | null;
  /** The request; fields the record does not give are empty strings (see `unknown_fields`). */
  request: RequestInput;
  /** Whether principal, action and resource are all known. */
  complete: boolean;
  /** Where each request field came from. */
  fields: FieldFrom[];
  unknown_fields: KeyWhy[];
  /** Further resources of the same call (AWS authorizes each one). */
  other_resources: string[];
  /** Further actions the call needs besides `request.action`, and why. */
  further_actions: FurtherAction[];
  /** Context keys read from the record, each with its source. */
  keys: KeyFrom[];
  /** Keys AWS may have had that the record cannot show. */
  unknown: KeyWhy[];
  /** Keys the record shows AWS did not have. */
  absent: KeyWhy[];
  notes: string[];
  /** AWS's verdict, when the record carries an access-denied error. */
  aws_denial: AwsDenial | null;
  diagnostics: ImportDiagnostic[];
}

export interface FurtherAction {
  action: string;
  why: string;
  /** Whether it is authorized for the same principal, resource and keys (evaluate the request with this action); false for one on another resource. */
  same_request: boolean;
  /** The resource it is evaluated on instead of the request's (`*` where AWS does not document which). */
  resource?: string;
}

export interface FieldFrom {
  /** `principal`, `action`, `resource`, `resource_account` or `session_parent_arn`. */
  name: string;
  value: string;
  /** JSON path of the record field, such as `userIdentity.sessionContext.sessionIssuer.arn`. */
  field: string;
  span: Span;
  location: Location;
  /** How the value was made from the field, when it is not a copy. */
  note?: string;
}

export interface KeyFrom {
  key: string;
  value: string | string[];
  field: string;
  span: Span;
  location: Location;
  note?: string;
}

export interface KeyWhy {
  key: string;
  why: string;
}

export type DenialKind = "explicit" | "implicit" | "unspecified";

export type PolicyType =
  | "identity-based"
  | "resource-based"
  | "permissions-boundary"
  | "session"
  | "service-control"
  | "resource-control"
  | "vpc-endpoint"
  | "role-trust";

export interface AwsDenial {
  source: "message" | "decoded-message";
  error_code: string | null;
  message: string | null;
  kind: DenialKind;
  policy_type: PolicyType | null;
  /** `... in a VPC endpoint policy transitively through a service control policy`. */
  through?: PolicyType;
  policy_arn?: string;
  principal: string | null;
  action: string | null;
  resource: string | null;
  /** Another reason the message gives (S3 Block Public Access, ...). */
  reason?: string;
  /** JSON path and place of the message in the text. */
  field: string;
  span: Span;
  location: Location;
}

/** A problem of the pasted text, with 1-based positions in it: a
 * scenario's diagnostic without the slot (the text is the one pasted). */
export type ImportDiagnostic = Omit<Diagnostic, "slot">;
