//! The knowledge module's answers, with the real data files.

use std::sync::OnceLock;

use iamtrace::policy::PolicyKind;
use iamtrace::{Decision, Severity};

use super::wire::{LintRequest, LintSlot};
use super::*;

fn data(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/iamtrace-data/data").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub(crate) fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| {
        let mut reference = ServiceReference::parse(data("sar.txt")).unwrap();
        reference.load_descriptions(data("sar-desc.txt")).unwrap();
        Store { reference: Some(reference), managed: Some(ManagedPolicies::parse(data("managed.txt")).unwrap()) }
    })
}

/// The completion labels at the `|` of `text`.
fn labels(text_with_bar: &str) -> Vec<String> {
    let at = text_with_bar.find('|').unwrap();
    let text = text_with_bar.replace('|', "");
    let pos16 = text[..at].encode_utf16().count();
    complete::complete(store(), &text, pos16)
        .map(|c| c.options.into_iter().map(|o| o.label).collect())
        .unwrap_or_default()
}

#[test]
fn lint_locates_findings_in_utf16_columns() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": {\"Resource\": \"arn:aws:s3:::b/éé\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObjekt\"}}";
    let request = LintRequest { slots: vec![LintSlot { kind: PolicyKind::Identity, text: text.into() }], off: vec![] };
    let out = store().lint(&request);
    assert!(out.knowledge);
    let f =
        out.slots[0].iter().find(|f| f.code.as_str() == "action-unknown").unwrap_or_else(|| panic!("{:?}", out.slots));
    assert_eq!(f.severity, Severity::Error);
    assert_eq!(&text[f.start as usize..f.end as usize], "\"s3:GetObjekt\"");
    // `é` is two bytes but one UTF-16 unit.
    let col16 = text[..f.start as usize].encode_utf16().count() as u32 + 1;
    assert_eq!(f.from, [1, col16]);
    assert_eq!(col16 + 2, f.start + 1);
    assert!(f.help.as_deref().unwrap_or("").contains("s3:GetObject"), "{f:?}");
    // Switched off: gone. Managed names and broken JSON: nothing to check.
    let off = LintRequest { off: vec!["action-unknown".into()], ..request.clone() };
    assert!(store().lint(&off).slots[0].iter().all(|f| f.code.as_str() != "action-unknown"));
    let other = LintRequest {
        slots: vec![
            LintSlot { kind: PolicyKind::Identity, text: "ReadOnlyAccess".into() },
            LintSlot { kind: PolicyKind::Identity, text: "{".into() },
        ],
        off: vec![],
    };
    assert_eq!(store().lint(&other).slots, vec![vec![], vec![]]);
}

#[test]
fn lint_without_data_runs_the_checks_that_need_none() {
    let empty = Store::default();
    let text = r#"{"Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}"#;
    let out = empty
        .lint(&LintRequest { slots: vec![LintSlot { kind: PolicyKind::Identity, text: text.into() }], off: vec![] });
    let codes: Vec<&str> = out.slots[0].iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["missing-version", "allow-with-not-action"]);
    assert!(!out.knowledge);
}

#[test]
fn completes_actions_services_keys_operators_and_elements() {
    let actions = labels(r#"{"Statement": [{"Effect": "Allow", "Action": ["s3:GetOb|"]}]}"#);
    assert!(actions.iter().any(|l| l == "s3:GetObject"), "{actions:?}");
    assert!(actions.iter().all(|l| l.starts_with("s3:")));
    let services = labels(r#"{"Statement": {"Action": "s|"}}"#);
    assert!(services.iter().any(|l| l == "s3:") && services.iter().any(|l| l == "sqs:"));
    let keys = labels(r#"{"Statement": {"Action": "s3:GetObject", "Condition": {"StringEquals": {"|"#);
    assert!(keys.iter().any(|l| l == "aws:SourceIp") && keys.iter().any(|l| l == "s3:ExistingObjectTag/${Key}"));
    let s3_keys = labels(r#"{"Statement": {"Condition": {"StringEquals": {"s3:pre|"}}}}"#);
    assert!(s3_keys.iter().any(|l| l == "s3:prefix"), "{s3_keys:?}");
    let ops = labels(r#"{"Statement": {"Condition": {"Str|"#);
    assert!(ops.iter().any(|l| l == "StringEqualsIfExists") && ops.iter().any(|l| l == "ForAnyValue:StringLike"));
    assert!(!ops.iter().any(|l| l == "NullIfExists"));
    assert_eq!(labels(r#"{"Statement": [{"Eff|"#)[..2], ["Sid".to_owned(), "Effect".to_owned()]);
    assert_eq!(labels(r#"{"Statement": [{"Effect": "|"}]}"#), ["Allow", "Deny"]);
    assert_eq!(labels(r#"{"V|"#), ["Version", "Id", "Statement"]);
    assert!(labels(r#"{"Statement": {"Resource": "arn:|"}}"#).is_empty());
    let managed = labels("ReadOnly|");
    assert!(managed.iter().any(|l| l == "ReadOnlyAccess"));
    assert!(labels("arn:aws:iam::aws:policy/Read|").iter().any(|l| l == "arn:aws:iam::aws:policy/ReadOnlyAccess"));
}

#[test]
fn completion_ranges_are_utf16_offsets_of_the_string() {
    let text = r#"{"Statement": {"Sid": "é😀", "Action": "s3:Ge"#;
    let pos16 = text.encode_utf16().count();
    let c = complete::complete(store(), text, pos16).unwrap();
    let start16 = text[..text.rfind('"').unwrap() + 1].encode_utf16().count() as u32;
    assert_eq!((c.from, c.to), (start16, pos16 as u32));
    assert_eq!(c.valid_for.as_deref(), Some(r"^[\w-]+:[\w*?-]*$"));
    let get = c.options.iter().find(|o| o.label == "s3:GetObject").unwrap();
    assert!(get.described && get.detail == "Read");
}

#[test]
fn hovers_describe_actions_wildcards_keys_and_operators() {
    let text = r#"{"Statement": {"Action": ["s3:GetObject", "s3:Get*"], "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": "a"}}}}"#;
    let at = |needle: &str| text.find(needle).unwrap() + 2;
    let h = hover::hover_at(store(), text, at("s3:GetObject")).unwrap();
    assert_eq!(h.kind, "action");
    assert_eq!(h.detail, "Amazon S3 · Read");
    assert!(h.body.as_deref().unwrap().contains("Grants permission to retrieve objects"), "{h:?}");
    assert!(h.items[0].starts_with("Resource types: ") && h.items[0].contains("object"), "{:?}", h.items);
    assert_eq!(&text[h.from as usize..h.to as usize], "s3:GetObject");
    let w = hover::hover_at(store(), text, at("s3:Get*")).unwrap();
    assert_eq!(w.kind, "wildcard");
    assert!(w.items.len() + w.more > 30, "{w:?}");
    let k = hover::hover_at(store(), text, at("aws:TagKeys")).unwrap();
    assert!(k.detail.starts_with("ArrayOfString"), "{k:?}");
    let o = hover::hover_at(store(), text, at("ForAnyValue")).unwrap();
    assert_eq!(o.kind, "operator");
    assert!(o.items.iter().any(|n| n.starts_with("ForAnyValue")));
    assert!(hover::hover_at(store(), text, 1).is_none());
    assert!(hover::wants_descriptions(text, at("s3:GetObject")));
    assert!(!hover::wants_descriptions(text, at("ForAnyValue")));
}

#[test]
fn overview_covers_the_service_of_the_request_and_resolves_managed_names() {
    let scenario = r#"{"policies": {"identity": ["AmazonSQSReadOnlyAccess",
        {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "sqs:ListQueues", "Resource": "*"}}]},
        "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "sqs:SendMessage",
        "resource": "arn:aws:sqs:us-east-1:111122223333:queue"}}"#;
    let o = store().overview(scenario, None);
    assert_eq!(o.error, None);
    assert_eq!(o.pattern, "sqs:*");
    assert_eq!(o.service.as_deref(), Some("Amazon SQS"));
    let d = |a: &str| o.cells.iter().find(|c| c.action == a).and_then(|c| c.decision);
    assert_eq!(d("sqs:GetQueueAttributes"), Some(Decision::Allow));
    assert_eq!(d("sqs:ListQueues"), Some(Decision::ExplicitDeny));
    assert_eq!(d("sqs:SendMessage"), Some(Decision::ImplicitDeny));
    assert_eq!(o.cells.iter().find(|c| c.action == "sqs:SendMessage").unwrap().access, "write");
    let some = store().overview(scenario, Some("sqs:Get*"));
    assert!(some.cells.iter().all(|c| c.action.starts_with("sqs:Get")));
    assert!(store().overview(scenario, Some("nope:*")).error.unwrap().contains("not a service"));
    assert!(store().overview(scenario, Some("sqs:Zzz*")).error.unwrap().contains("matches no action"));
    assert!(Store::default().overview(scenario, None).error.is_some());
    assert!(store().overview(scenario, Some("*")).error.unwrap().contains("one service"));
}

#[test]
fn expands_wildcards_names_services_and_lists_managed_policies() {
    let s = store();
    assert_eq!(s.service_name("s3"), Some("Amazon S3"));
    let list = s.expand("s3:GetObject*");
    assert!(list.iter().any(|a| a.name == "s3:GetObjectTagging" && a.access == "read"), "{list:?}");
    assert!(s.expand("nope:*").is_empty());
    let m = s.managed_list("readonly", 5);
    assert!(m.total > 50 && m.items.len() == 5);
    assert!(m.items[0].name.to_ascii_lowercase().starts_with("readonly"), "{:?}", m.items[0]);
    assert_eq!(s.managed_policy("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap().name, "ReadOnlyAccess");
    assert!(s.describe("s3:PutObject").unwrap().starts_with("Grants permission"));
}
