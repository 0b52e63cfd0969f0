//! The headers of an S3 object write that need more than `s3:PutObject`:
//! an ACL (`x-amz-acl` or an `x-amz-grant-*` header) needs
//! `s3:PutObjectAcl`, and a tag set (`x-amz-tagging`) `s3:PutObjectTagging`,
//! on the same object ("s3:PutObjectAcl - To successfully change the objects
//! ACL of your PutObject request, you must have the s3:PutObjectAcl.",
//! "s3:PutObjectTagging - To successfully set the tag-set with your
//! PutObject request, you must have the s3:PutObjectTagging.":
//! <https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html>,
//! the same on `CopyObject`). The ACL headers are also the condition keys
//! `s3:x-amz-acl` and `s3:x-amz-grant-*` (the S3 page of the Service
//! Authorization Reference).
//!
//! CloudTrail writes these headers into `requestParameters` under their
//! header names (`x-amz-acl`); the names are matched without case.
//!
//! An AWS service writing with its service principal (CloudTrail, Config
//! and others deliver with `x-amz-acl: bucket-owner-full-control`) is not
//! held to the further actions: the bucket policies AWS documents for these
//! deliveries grant the service `s3:PutObject` alone, conditioned on
//! `s3:x-amz-acl` (for CloudTrail:
//! <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html>).

use super::action::Resolved;
use super::identity::{Kind, Who};
use super::source::{At, Field};
use super::Out;

/// The object writes that take ACL and tagging headers.
const WRITES: [&str; 2] = ["PutObject", "CopyObject"];

/// The ACL headers, each its own condition key (`s3:` + the header name).
const ACL_HEADERS: [&str; 6] = [
    "x-amz-acl",
    "x-amz-grant-full-control",
    "x-amz-grant-read",
    "x-amz-grant-read-acp",
    "x-amz-grant-write",
    "x-amz-grant-write-acp",
];

const TAGGING_HEADER: &str = "x-amz-tagging";

/// The ACL and tagging headers of a `PutObject` or `CopyObject` record: the
/// further actions they need, and the condition keys they set.
pub(super) fn object_write_headers(rec: &At<'_, '_, '_>, action: &Resolved, who: Option<&Who>, out: &mut Out<'_>) {
    if action.service != "s3" || !WRITES.contains(&action.operation.as_str()) {
        return;
    }
    let Some(params) = rec.at("requestParameters").filter(|p| p.node.as_object().is_some()) else { return };
    let headers: Vec<(String, Field)> = params
        .members()
        .into_iter()
        .filter_map(|(name, at)| Some((name.to_ascii_lowercase(), at.as_field()?)))
        .collect();
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, f)| f);
    let mut acl = Vec::new();
    for name in ACL_HEADERS {
        if let Some(f) = header(name) {
            out.key1(&format!("s3:{name}"), f.value.clone(), f, Some(format!("the request's `{name}` header")));
            acl.push(format!("`{name}`"));
        }
    }
    let service = who.is_some_and(|w| w.kind == Kind::AwsService);
    if service && (!acl.is_empty() || header(TAGGING_HEADER).is_some()) {
        out.note(format!(
            "an AWS service principal made this call: AWS documents bucket policies granting such deliveries `{}` alone, so its ACL and tagging headers need nothing more",
            action.action
        ));
        return;
    }
    if !acl.is_empty() {
        out.also(
            "s3:PutObjectAcl",
            format!(
                "the call sets the object's ACL ({}), which needs `s3:PutObjectAcl` besides `{}`",
                acl.join(", "),
                action.action
            ),
            true,
        );
    }
    if let Some(f) = header(TAGGING_HEADER) {
        out.also(
            "s3:PutObjectTagging",
            format!(
                "the call sets the object's tags (`{TAGGING_HEADER}`), which needs `s3:PutObjectTagging` besides `{}`",
                action.action
            ),
            true,
        );
        let why =
            format!("the record's `{}` shows the tags the call set, which iamtrace does not read into keys", f.path);
        out.unknown("s3:RequestObjectTagKeys", why.clone());
        out.unknown("s3:RequestObjectTag/*", why);
    }
}
