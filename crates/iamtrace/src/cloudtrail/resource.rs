//! The resource of an event: from `requestParameters` by the rules of each
//! service, else from the record's `resources` list, else `*` for actions
//! that take no resource.
//!
//! A name given without an ARN resolves in the caller's account and the
//! event's region, as AWS APIs do. Where the record cannot give the whole
//! ARN (an IAM path, a Secrets Manager suffix, a KMS alias), the resource
//! is left unknown or the gap is noted: a wrong ARN could miss a `Deny`.
//! ARN formats: the Service Authorization Reference
//! (<https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html>).

use crate::lint::Knowledge;

use super::action::Resolved;
use super::identity::Who;
use super::source::{At, Field};
use super::Out;

/// Where the ARN is built: partition, region and account of the call.
struct Place {
    partition: String,
    region: Option<String>,
    account: Option<String>,
}

enum Found {
    /// The resource, the field it came from, how it was made.
    Arn(String, Field, Option<String>),
    /// Why the record cannot give it.
    Missing(String),
    /// No rule applied.
    None,
}

/// Sets `resource` (and `resource_account` when the record shows it).
pub(super) fn derive(
    rec: &At<'_, '_, '_>,
    a: &Resolved,
    who: Option<&Who>,
    out: &mut Out<'_>,
    knowledge: Option<&dyn Knowledge>,
) {
    let name = rec.field("eventName");
    let region = rec.field("awsRegion").map(|f| f.value);
    let partition = who.and_then(|w| w.partition.clone()).unwrap_or_else(|| match region.as_deref() {
        Some(r) if r.starts_with("cn-") => "aws-cn".to_owned(),
        Some(r) if r.starts_with("us-gov-") => "aws-us-gov".to_owned(),
        _ => "aws".to_owned(),
    });
    let account = who.and_then(|w| w.account.as_ref()).map(|f| f.value.clone());
    let place = Place { partition, region, account };
    if let Some(n) = &name {
        if knowledge.is_some_and(|k| takes_no_resource(k, &a.action)) {
            out.set("resource", "*", n, Some(format!("`{}` takes no resource (AWS service reference)", a.action)));
            return;
        }
        if builtin_resource_free(&a.action) {
            out.set("resource", "*", n, Some(format!("`{}` takes no resource", a.action)));
            return;
        }
    }
    let p = |k: &str| rec.field(&format!("requestParameters.{k}"));
    let found = match a.service.as_str() {
        "s3" => s3(rec, a, &place, out),
        "iam" => iam(rec, &place),
        "sts" => sts(a, &place, &p),
        "kms" => kms(&place, &p),
        "sqs" => sqs(&place, &p),
        "sns" => from_params(&p, &["topicArn", "targetArn", "resourceArn"]),
        "lambda" => lambda(&place, &p),
        "dynamodb" => dynamodb(rec, &place, &p, out),
        "secretsmanager" => secret(&p),
        "ec2" => ec2(rec, a, &place, out),
        _ => from_params(&p, &["resourceArn", "ResourceArn", "arn"]),
    };
    let found = match found {
        Found::None | Found::Missing(_) => match listed(rec) {
            Some((arn, f)) => Found::Arn(arn, f, Some("from the record's `resources` list".into())),
            None => found,
        },
        f => f,
    };
    match found {
        Found::Arn(arn, f, note) => {
            if let Some(k) = knowledge {
                fits(k, &a.action, &arn, out);
            }
            if note.as_deref().is_some_and(|n| n.contains("IAM paths")) {
                out.note(format!(
                    "`{arn}` has no path: if the entity has one, a policy naming its path does not match this ARN (a `Deny` could be missed); give the ARN with its path"
                ));
            }
            out.set("resource", arn, &f, note);
        }
        Found::Missing(why) => out.missing("resource", why),
        Found::None => out.missing(
            "resource",
            format!("no rule reads the resource of `{}` from this record; give it by hand", a.action),
        ),
    }
}

/// Actions documented to take no resource, for when no service reference is loaded.
fn builtin_resource_free(action: &str) -> bool {
    matches!(action, "s3:ListAllMyBuckets" | "sts:GetCallerIdentity" | "sts:GetSessionToken" | "signin:Authenticate")
        || action.starts_with("ec2:Describe")
}

fn takes_no_resource(k: &dyn Knowledge, action: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else { return false };
    let found = k.actions(service, name);
    !found.is_empty() && found.iter().all(|a| !a.takes_resource)
}

/// Notes an ARN that fits none of the action's resource types.
fn fits(k: &dyn Knowledge, action: &str, arn: &str, out: &mut Out<'_>) {
    let Some((service, name)) = action.split_once(':') else { return };
    let Some(info) = k.actions(service, name).into_iter().next() else { return };
    let formats: Vec<String> = k
        .resource_types(info.id)
        .into_iter()
        .filter_map(|u| k.resource_type(u.id))
        .flat_map(|t| t.arn_formats.into_iter().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    if !formats.is_empty() && !formats.iter().any(|f| k.arn_pattern_fits(arn, f)) {
        out.note(format!("`{arn}` fits none of the resource types of `{action}` in the AWS service reference"));
    }
}

/// The first ARN of `requestParameters` among `keys`.
fn from_params(p: &dyn Fn(&str) -> Option<Field>, keys: &[&str]) -> Found {
    keys.iter()
        .filter_map(|k| p(k))
        .find(|f| f.value.starts_with("arn:"))
        .map_or(Found::None, |f| Found::Arn(f.value.clone(), f, None))
}

/// The record's `resources` list, when it names exactly one ARN.
fn listed(rec: &At<'_, '_, '_>) -> Option<(String, Field)> {
    let items: Vec<Field> = rec.get("resources")?.items().iter().filter_map(|i| i.field("ARN")).collect();
    match items.as_slice() {
        [one] => Some((one.value.clone(), one.clone())),
        _ => None,
    }
}

fn build(place: &Place, service: &str, resource: &str, region: bool) -> Result<String, String> {
    let region = if region { place.region.as_deref().ok_or("the record has no `awsRegion`")? } else { "" };
    let account =
        place.account.as_deref().ok_or("the caller's account (`userIdentity.accountId`) is not in the record")?;
    Ok(format!("arn:{}:{service}:{region}:{account}:{resource}", place.partition))
}

fn built(place: &Place, f: Field, service: &str, resource: &str, region: bool, note: &str) -> Found {
    match build(place, service, resource, region) {
        Ok(arn) => Found::Arn(arn, f, Some(note.to_owned())),
        Err(why) => Found::Missing(why),
    }
}

fn s3(rec: &At<'_, '_, '_>, a: &Resolved, place: &Place, out: &mut Out<'_>) -> Found {
    let Some(bucket) = rec.field("requestParameters.bucketName") else {
        return Found::Missing("`requestParameters.bucketName` is not in the record".into());
    };
    let bucket_arn = format!("arn:{}:s3:::{}", place.partition, bucket.value);
    // The bucket owner, when the record lists the bucket with its account.
    if let Some(res) = rec.get("resources") {
        for item in res.items() {
            if item.field("ARN").is_some_and(|f| f.value == bucket_arn) {
                if let Some(acct) = item.field("accountId") {
                    out.set("resource_account", acct.value.clone(), &acct, Some("the bucket owner".into()));
                }
            }
        }
    }
    if !out.has_field("resource_account") {
        out.missing("resource_account", "S3 ARNs carry no account, and the record does not list the bucket's owner");
    }
    if let Some(src) = rec.field("requestParameters.x-amz-copy-source") {
        out.note(format!("the copy source is `{}`", src.value));
    }
    let name = a.action.trim_start_matches("s3:");
    let object_level = (name.contains("Object") && !name.contains("Bucket"))
        || matches!(name, "AbortMultipartUpload" | "ListMultipartUploadParts");
    match rec.field("requestParameters.key") {
        Some(key) if object_level || !name.starts_with("ListBucket") => {
            let arn = format!("{bucket_arn}/{}", key.value);
            let f = Field { value: arn.clone(), path: key.path.clone(), span: key.span };
            Found::Arn(arn, f, Some(format!("bucket `{}` and key `{}`", bucket.value, key.value)))
        }
        None if object_level => {
            Found::Missing(format!("`{}` acts on an object, and the record has no `key`", a.action))
        }
        _ => Found::Arn(bucket_arn, bucket.clone(), Some("the bucket".into())),
    }
}

fn iam(rec: &At<'_, '_, '_>, place: &Place) -> Found {
    // A created entity's ARN, with its path, is in the response.
    for k in ["role.arn", "user.arn", "group.arn", "policy.arn", "instanceProfile.arn"] {
        if let Some(f) = rec.field(&format!("responseElements.{k}")) {
            return Found::Arn(f.value.clone(), f, Some("from the response, with its path".into()));
        }
    }
    let path_note =
        "built from the name; IAM paths are not in the request, so if the entity has a path its ARN differs";
    for (param, kind) in [
        ("instanceProfileName", "instance-profile"),
        ("groupName", "group"),
        ("roleName", "role"),
        ("userName", "user"),
    ] {
        if let Some(f) = rec.field(&format!("requestParameters.{param}")) {
            let resource = format!("{kind}/{}", f.value);
            return built(place, f, "iam", &resource, false, path_note);
        }
    }
    for param in ["policyArn", "openIDConnectProviderArn", "sAMLProviderArn"] {
        if let Some(f) = rec.field(&format!("requestParameters.{param}")) {
            return Found::Arn(f.value.clone(), f, None);
        }
    }
    Found::None
}

fn sts(a: &Resolved, place: &Place, p: &dyn Fn(&str) -> Option<Field>) -> Found {
    match a.operation.as_str() {
        "AssumeRole" | "AssumeRoleWithSAML" | "AssumeRoleWithWebIdentity" => match p("roleArn") {
            Some(f) => Found::Arn(f.value.clone(), f, Some("the role to assume".into())),
            None => Found::Missing("`requestParameters.roleArn` is not in the record".into()),
        },
        "GetFederationToken" => match p("name") {
            Some(f) => {
                let resource = format!("federated-user/{}", f.value);
                built(place, f, "sts", &resource, false, "the federated user to create")
            }
            None => Found::Missing("`requestParameters.name` is not in the record".into()),
        },
        "AssumeRoot" => match p("targetPrincipal") {
            Some(f) => {
                let arn = format!("arn:{}:iam::{}:root", place.partition, f.value);
                Found::Arn(arn, f, Some("the root user of the target account".into()))
            }
            None => Found::Missing("`requestParameters.targetPrincipal` is not in the record".into()),
        },
        _ => Found::None,
    }
}

fn kms(place: &Place, p: &dyn Fn(&str) -> Option<Field>) -> Found {
    let Some(f) = p("keyId") else { return Found::None };
    if f.value.starts_with("arn:") && f.value.contains(":key/") {
        return Found::Arn(f.value.clone(), f, None);
    }
    if f.value.starts_with("alias/") || f.value.contains(":alias/") {
        return Found::Missing(format!("`{}` is an alias: the key it names is not in the record", f.value));
    }
    let resource = format!("key/{}", f.value);
    built(place, f, "kms", &resource, true, "a key ID in the caller's account and region")
}

fn sqs(place: &Place, p: &dyn Fn(&str) -> Option<Field>) -> Found {
    if let Some(f) = p("queueUrl") {
        return match queue_arn(&f.value, place) {
            Some(arn) => Found::Arn(arn, f, Some("from the queue URL".into())),
            None => Found::Missing(format!("`{}` is not a queue URL", f.value)),
        };
    }
    match p("queueName") {
        Some(f) => {
            let name = f.value.clone();
            built(place, f, "sqs", &name, true, "a queue name in the caller's account and region")
        }
        None => Found::None,
    }
}

/// `https://sqs.us-east-1.amazonaws.com/111122223333/q` → `arn:aws:sqs:us-east-1:111122223333:q`.
fn queue_arn(url: &str, place: &Place) -> Option<String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let mut parts = rest.split('/');
    let host = parts.next()?;
    let account = parts.next().filter(|a| crate::arn::is_account_id(a))?;
    let name = parts.next().filter(|n| !n.is_empty())?;
    let labels: Vec<&str> = host.split('.').collect();
    let region = match labels.as_slice() {
        ["sqs", region, ..] => (*region).to_owned(),
        [region, "queue", ..] => (*region).to_owned(),
        ["queue", ..] => "us-east-1".to_owned(),
        _ => place.region.clone()?,
    };
    Some(format!("arn:{}:sqs:{region}:{account}:{name}", place.partition))
}

fn lambda(place: &Place, p: &dyn Fn(&str) -> Option<Field>) -> Found {
    let Some(f) = p("functionName") else { return Found::None };
    let qualifier = p("qualifier").map(|q| format!(":{}", q.value)).unwrap_or_default();
    if f.value.starts_with("arn:") {
        let arn = if f.value.matches(':').count() == 6 { format!("{}{qualifier}", f.value) } else { f.value.clone() };
        return Found::Arn(arn, f, None);
    }
    // `111122223333:function:name` or `name`.
    let name = f.value.rsplit_once(":function:").map_or(f.value.as_str(), |(_, n)| n).to_owned();
    let resource = format!("function:{name}{qualifier}");
    built(place, f, "lambda", &resource, true, "a function name in the caller's account and region")
}

fn dynamodb(rec: &At<'_, '_, '_>, place: &Place, p: &dyn Fn(&str) -> Option<Field>, out: &mut Out<'_>) -> Found {
    if let Some(f) = p("tableArn") {
        return Found::Arn(f.value.clone(), f, None);
    }
    let table = |f: Field| {
        if f.value.starts_with("arn:") {
            Found::Arn(f.value.clone(), f, None)
        } else {
            let resource = format!("table/{}", f.value);
            built(place, f, "dynamodb", &resource, true, "a table name in the caller's account and region")
        }
    };
    if let Some(f) = p("tableName") {
        return table(f);
    }
    // BatchGetItem and BatchWriteItem: one table per key of `requestItems`.
    let Some(items) = rec.at("requestParameters.requestItems") else { return Found::None };
    let mut tables = items.node.as_object().unwrap_or(&[]).iter().map(|m| Field {
        value: m.key.to_string(),
        path: format!("{}.{}", items.path, m.key),
        span: items.doc.outer(m.key_span),
    });
    let first = tables.next().map(table).unwrap_or(Found::None);
    for f in tables {
        if let Found::Arn(arn, ..) = table(f) {
            out.other_resource(arn);
        }
    }
    first
}

fn secret(p: &dyn Fn(&str) -> Option<Field>) -> Found {
    match p("secretId") {
        Some(f) if f.value.starts_with("arn:") => Found::Arn(f.value.clone(), f, None),
        Some(f) => Found::Missing(format!(
            "`{}` is a secret's name: its ARN ends with a random suffix that the record does not show",
            f.value
        )),
        None => Found::None,
    }
}

fn ec2(rec: &At<'_, '_, '_>, a: &Resolved, place: &Place, out: &mut Out<'_>) -> Found {
    if a.operation == "RunInstances" {
        return Found::Missing(
            "RunInstances is authorized against several resources (instance, image, subnet, network interface, ...); give the one to check by hand"
                .into(),
        );
    }
    let mut ids: Vec<Field> = rec
        .at("requestParameters.instancesSet.items")
        .map(|s| s.items().iter().filter_map(|i| i.field("instanceId")).collect())
        .unwrap_or_default();
    if ids.is_empty() {
        if let Some(f) = rec.field("requestParameters.instanceId") {
            ids.push(f);
        }
    }
    let mut arns = ids.into_iter().map(|f| {
        let resource = format!("instance/{}", f.value);
        built(place, f, "ec2", &resource, true, "an instance in the caller's account and region")
    });
    let first = arns.next();
    for f in arns {
        if let Found::Arn(arn, ..) = f {
            out.other_resource(arn);
        }
    }
    if let Some(first) = first {
        if !out.other_resources.is_empty() {
            out.note("the call names several instances: AWS authorizes each one; evaluate the others too");
        }
        return first;
    }
    for (param, kind) in [("volumeId", "volume"), ("snapshotId", "snapshot"), ("groupId", "security-group")] {
        if let Some(f) = rec.field(&format!("requestParameters.{param}")) {
            let resource = format!("{kind}/{}", f.value);
            let region = kind != "snapshot" || place.region.is_some();
            return built(place, f, "ec2", &resource, region, "in the caller's account and region");
        }
    }
    Found::None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_urls_become_arns() {
        let place = Place { partition: "aws".into(), region: Some("eu-west-1".into()), account: None };
        assert_eq!(
            queue_arn("https://sqs.us-east-2.amazonaws.com/111122223333/orders", &place).as_deref(),
            Some("arn:aws:sqs:us-east-2:111122223333:orders")
        );
        assert_eq!(
            queue_arn("https://eu-west-1.queue.amazonaws.com/111122223333/q.fifo", &place).as_deref(),
            Some("arn:aws:sqs:eu-west-1:111122223333:q.fifo")
        );
        assert_eq!(queue_arn("https://sqs.us-east-2.amazonaws.com/notanaccount/q", &place), None);
        assert_eq!(queue_arn("orders", &place), None);
    }
}
