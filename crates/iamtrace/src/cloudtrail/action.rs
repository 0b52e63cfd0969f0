//! The IAM action of an event: the service prefix from `eventSource`, the
//! action from `eventName`.
//!
//! Most event names are the API operation's name, and most operations are
//! authorized by the action of the same name. The exceptions are in
//! [`action_table`], each with the AWS page it comes from:
//! - S3: "Required permissions for Amazon S3 API operations"
//!   (<https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html>)
//!   and the S3 page of the Service Authorization Reference;
//! - Lambda: the API reference names versioned operations
//!   (`CreateFunction20150331`), and `Invoke` needs `lambda:InvokeFunction`
//!   (<https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html>);
//! - SQS and SNS batch calls need the single call's action
//!   (<https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html>,
//!   <https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html>);
//! - console sign-in: `ConsoleLogin` is evaluated as `signin:Authenticate`
//!   (<https://docs.aws.amazon.com/signin/latest/userguide/console-access-control.html>).

use serde::Serialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::lint::Knowledge;

use super::source::{At, Field};
use super::Out;

/// An event whose IAM action is not `service:EventName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// The service prefix (after mapping the event source).
    pub service: &'static str,
    /// The `eventName` (after removing a version suffix).
    pub event: &'static str,
    /// The IAM action that authorizes it.
    pub action: &'static str,
    /// Further actions the call also needs (on the same or another resource).
    pub also: &'static [&'static str],
    pub note: Option<&'static str>,
}

const fn r(service: &'static str, event: &'static str, action: &'static str) -> Renamed {
    Renamed { service, event, action, also: &[], note: None }
}

const fn also(
    service: &'static str,
    event: &'static str,
    action: &'static str,
    also: &'static [&'static str],
    note: &'static str,
) -> Renamed {
    Renamed { service, event, action, also, note: Some(note) }
}

/// Every event name whose IAM action differs from it.
pub fn action_table() -> &'static [Renamed] {
    TABLE
}

const TABLE: &[Renamed] = &[
    // S3: list and head operations.
    r("s3", "ListBuckets", "s3:ListAllMyBuckets"),
    r("s3", "ListObjects", "s3:ListBucket"),
    r("s3", "ListObjectsV2", "s3:ListBucket"),
    r("s3", "ListObjectVersions", "s3:ListBucketVersions"),
    r("s3", "HeadBucket", "s3:ListBucket"),
    r("s3", "HeadObject", "s3:GetObject"),
    r("s3", "SelectObjectContent", "s3:GetObject"),
    r("s3", "ListMultipartUploads", "s3:ListBucketMultipartUploads"),
    r("s3", "ListParts", "s3:ListMultipartUploadParts"),
    // S3: writes.
    also("s3", "CopyObject", "s3:PutObject", &["s3:GetObject"], "CopyObject also needs s3:GetObject on the source object"),
    r("s3", "CreateMultipartUpload", "s3:PutObject"),
    r("s3", "UploadPart", "s3:PutObject"),
    also("s3", "UploadPartCopy", "s3:PutObject", &["s3:GetObject"], "UploadPartCopy also needs s3:GetObject on the source object"),
    r("s3", "CompleteMultipartUpload", "s3:PutObject"),
    r("s3", "DeleteObjects", "s3:DeleteObject"),
    // S3: bucket configuration.
    r("s3", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
    r("s3", "PutBucketEncryption", "s3:PutEncryptionConfiguration"),
    r("s3", "DeleteBucketEncryption", "s3:PutEncryptionConfiguration"),
    r("s3", "GetBucketLifecycle", "s3:GetLifecycleConfiguration"),
    r("s3", "GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration"),
    r("s3", "PutBucketLifecycle", "s3:PutLifecycleConfiguration"),
    r("s3", "PutBucketLifecycleConfiguration", "s3:PutLifecycleConfiguration"),
    r("s3", "DeleteBucketLifecycle", "s3:PutLifecycleConfiguration"),
    r("s3", "GetBucketCors", "s3:GetBucketCORS"),
    r("s3", "PutBucketCors", "s3:PutBucketCORS"),
    r("s3", "DeleteBucketCors", "s3:PutBucketCORS"),
    r("s3", "GetBucketReplication", "s3:GetReplicationConfiguration"),
    r("s3", "PutBucketReplication", "s3:PutReplicationConfiguration"),
    r("s3", "DeleteBucketReplication", "s3:PutReplicationConfiguration"),
    r("s3", "DeleteBucketTagging", "s3:PutBucketTagging"),
    r("s3", "GetBucketNotificationConfiguration", "s3:GetBucketNotification"),
    r("s3", "PutBucketNotificationConfiguration", "s3:PutBucketNotification"),
    r("s3", "GetBucketAccelerateConfiguration", "s3:GetAccelerateConfiguration"),
    r("s3", "PutBucketAccelerateConfiguration", "s3:PutAccelerateConfiguration"),
    r("s3", "GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration"),
    r("s3", "PutObjectLockConfiguration", "s3:PutBucketObjectLockConfiguration"),
    r("s3", "GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"),
    r("s3", "PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    r("s3", "DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    r("s3", "DeleteBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock"),
    r("s3", "DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"),
    r("s3", "GetBucketAnalyticsConfiguration", "s3:GetAnalyticsConfiguration"),
    r("s3", "ListBucketAnalyticsConfigurations", "s3:GetAnalyticsConfiguration"),
    r("s3", "PutBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"),
    r("s3", "DeleteBucketAnalyticsConfiguration", "s3:PutAnalyticsConfiguration"),
    r("s3", "GetBucketInventoryConfiguration", "s3:GetInventoryConfiguration"),
    r("s3", "ListBucketInventoryConfigurations", "s3:GetInventoryConfiguration"),
    r("s3", "PutBucketInventoryConfiguration", "s3:PutInventoryConfiguration"),
    r("s3", "DeleteBucketInventoryConfiguration", "s3:PutInventoryConfiguration"),
    r("s3", "GetBucketMetricsConfiguration", "s3:GetMetricsConfiguration"),
    r("s3", "ListBucketMetricsConfigurations", "s3:GetMetricsConfiguration"),
    r("s3", "PutBucketMetricsConfiguration", "s3:PutMetricsConfiguration"),
    r("s3", "DeleteBucketMetricsConfiguration", "s3:PutMetricsConfiguration"),
    r("s3", "GetBucketIntelligentTieringConfiguration", "s3:GetIntelligentTieringConfiguration"),
    r("s3", "ListBucketIntelligentTieringConfigurations", "s3:GetIntelligentTieringConfiguration"),
    r("s3", "PutBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"),
    r("s3", "DeleteBucketIntelligentTieringConfiguration", "s3:PutIntelligentTieringConfiguration"),
    // Lambda.
    r("lambda", "Invoke", "lambda:InvokeFunction"),
    r("lambda", "InvokeWithResponseStream", "lambda:InvokeFunction"),
    // Batch calls authorized by the single call's action.
    r("sqs", "SendMessageBatch", "sqs:SendMessage"),
    r("sqs", "DeleteMessageBatch", "sqs:DeleteMessage"),
    r("sqs", "ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility"),
    r("sns", "PublishBatch", "sns:Publish"),
    // KMS.
    also("kms", "ReEncrypt", "kms:ReEncryptFrom", &["kms:ReEncryptTo"], "ReEncrypt also needs kms:ReEncryptTo on the destination key"),
    // Console sign-in.
    also(
        "signin",
        "ConsoleLogin",
        "signin:Authenticate",
        &[],
        "signin:Authenticate is evaluated, not called: console sign-in is allowed by default, so no policy needs to allow it; a Deny (in an identity-based policy, an SCP, or AWS Sign-In's resource-based policy and RCPs once console authorization is turned on) blocks it",
    ),
];

/// S3 object operations that a `versionId` turns into their `...Version` action.
const S3_VERSIONED: [(&str, &str); 9] = [
    ("s3:GetObject", "s3:GetObjectVersion"),
    ("s3:GetObjectAcl", "s3:GetObjectVersionAcl"),
    ("s3:GetObjectTagging", "s3:GetObjectVersionTagging"),
    ("s3:GetObjectAttributes", "s3:GetObjectVersionAttributes"),
    ("s3:PutObjectAcl", "s3:PutObjectVersionAcl"),
    ("s3:PutObjectTagging", "s3:PutObjectVersionTagging"),
    ("s3:DeleteObject", "s3:DeleteObjectVersion"),
    ("s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"),
    ("s3:GetObjectTorrent", "s3:GetObjectVersionTorrent"),
];

/// Event sources whose host name is not the service prefix.
const SOURCES: [(&str, &str); 4] =
    [("monitoring", "cloudwatch"), ("email", "ses"), ("tagging", "tag"), ("metering-marketplace", "aws-marketplace")];

/// Services whose events name no single IAM action.
const NO_ACTION: [(&str, &str); 2] = [
    ("apigateway", "API Gateway management calls are authorized as HTTP methods on a resource path (`apigateway:GET`, `apigateway:POST`, ...), which the event name does not give"),
    ("signin", "this console sign-in step is not an API call that IAM authorizes"),
];

/// The action an event asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Resolved {
    pub service: String,
    /// The event name without a version suffix.
    pub operation: String,
    pub action: String,
}

/// Works out the action and sets it; `None` when the event names none.
pub(super) fn resolve(rec: &At<'_, '_, '_>, source: &Field, name: &Field, out: &mut Out<'_>) -> Option<Resolved> {
    let Some(host) = source.value.strip_suffix(".amazonaws.com") else {
        out.error(
            Diagnostic::error(
                Code::CloudtrailUnknownSource,
                source.span,
                format!("`{}` is not an AWS service endpoint", source.value),
            )
            .with_help("`eventSource` is a host name such as `s3.amazonaws.com`"),
        );
        out.missing("action", "the event source is not an AWS service");
        return None;
    };
    let service = SOURCES.iter().find(|(h, _)| *h == host).map_or(host, |(_, p)| *p).to_owned();
    let operation = strip_version(&service, &name.value).to_owned();
    let entry = TABLE.iter().find(|e| e.service == service && e.event == operation);
    if entry.is_none() {
        if let Some((_, why)) = NO_ACTION.iter().find(|(s, _)| *s == service) {
            out.error(
                Diagnostic::error(
                    Code::CloudtrailNoAction,
                    name.span,
                    format!("`{}` of `{}` names no IAM action", name.value, source.value),
                )
                .with_help(*why),
            );
            out.missing("action", *why);
            return None;
        }
    }
    let mut action = entry.map_or_else(|| format!("{service}:{operation}"), |e| e.action.to_owned());
    let mut how = Vec::new();
    if operation != name.value {
        how.push(format!("`{}` without its version suffix", name.value));
    }
    if let Some(e) = entry {
        how.push(format!("`{}` is authorized by `{}`", e.event, e.action));
        // On another resource: said, not evaluated.
        for a in e.also {
            out.also(a, e.note.unwrap_or("the call needs it on another resource"), false);
        }
        if let Some(n) = e.note.filter(|_| e.also.is_empty()) {
            out.note(n);
        }
    }
    if service == "s3" {
        if let Some(v) = rec.field("requestParameters.versionId") {
            if let Some((_, versioned)) = S3_VERSIONED.iter().find(|(a, _)| *a == action) {
                how.push(format!("a request for version `{}` needs `{versioned}`", v.value));
                action = (*versioned).to_owned();
            }
        }
    }
    let note = (!how.is_empty()).then(|| how.join("; "));
    out.set("action", action.clone(), name, note);
    Some(Resolved { service, operation, action })
}

/// `CreateFunction20150331v2` → `CreateFunction` (Lambda),
/// `CreateDistribution2020_05_31` → `CreateDistribution` (CloudFront).
fn strip_version<'n>(service: &str, name: &'n str) -> &'n str {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match service {
        "lambda" => {
            let base = match name.rfind('v') {
                Some(i) if digits(name.get(i + 1..).unwrap_or("")) && i >= 8 => name.get(..i).unwrap_or(name),
                _ => name,
            };
            match base.len().checked_sub(8).and_then(|i| base.get(i..).map(|d| (i, d))) {
                Some((i, d)) if digits(d) && i > 0 => base.get(..i).unwrap_or(name),
                _ => name,
            }
        }
        "cloudfront" => match name.len().checked_sub(10).and_then(|i| name.get(i..).map(|d| (i, d))) {
            Some((i, d))
                if i > 0 && d.len() == 10 && d.split('_').map(str::len).eq([4, 2, 2]) && d.split('_').all(digits) =>
            {
                name.get(..i).unwrap_or(name)
            }
            _ => name,
        },
        _ => name,
    }
}

/// Checks the action against the AWS service reference.
pub(super) fn check(k: &dyn Knowledge, a: &Resolved, out: &mut Out<'_>) {
    if k.service(&a.service).is_none() {
        out.note(format!(
            "the service prefix `{}` is not in the AWS service reference: the event source may not be the IAM prefix",
            a.service
        ));
        return;
    }
    let name = a.action.split_once(':').map_or("", |(_, n)| n);
    if k.actions(&a.service, name).is_empty() && !k.is_undocumented(&a.service, name) {
        out.note(format!(
            "`{}` is not in the AWS service reference: the event name may not be the IAM action (check the service's API-to-action table)",
            a.action
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_suffixes_are_removed() {
        assert_eq!(strip_version("lambda", "CreateFunction20150331"), "CreateFunction");
        assert_eq!(strip_version("lambda", "UpdateFunctionCode20150331v2"), "UpdateFunctionCode");
        assert_eq!(strip_version("lambda", "ListTags20170331"), "ListTags");
        assert_eq!(strip_version("lambda", "Invoke"), "Invoke");
        assert_eq!(strip_version("lambda", "20150331"), "20150331");
        assert_eq!(strip_version("cloudfront", "CreateDistribution2020_05_31"), "CreateDistribution");
        assert_eq!(strip_version("s3", "GetObject20150331"), "GetObject20150331");
    }

    #[test]
    fn the_table_has_one_entry_per_event() {
        for (i, a) in TABLE.iter().enumerate() {
            assert!(a.action.starts_with(&format!("{}:", a.service)), "{a:?}");
            assert!(TABLE[..i].iter().all(|b| (b.service, b.event) != (a.service, a.event)), "{a:?}");
            assert_ne!(a.action.split_once(':').unwrap().1, a.event, "{a:?} maps to itself");
        }
    }
}
