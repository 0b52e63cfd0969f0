//! Context keys that the record's own fields show: network, time, region,
//! user agent, TLS, and the service that made the call.
//!
//! When each key is present: the IAM global condition keys page
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html>);
//! what each record field holds: "CloudTrail record contents"
//! (<https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html>).

use std::net::IpAddr;

use super::identity::{extended_date, Kind, Who};
use super::source::{At, Field};
use super::Out;

/// Services that report themselves in `aws:CalledVia` when they use the
/// caller's credentials (forward access sessions).
const CALLED_VIA: [&str; 4] =
    ["athena.amazonaws.com", "cloudformation.amazonaws.com", "dynamodb.amazonaws.com", "kms.amazonaws.com"];

pub(super) fn record_keys(rec: &At<'_, '_, '_>, who: Option<&Who>, out: &mut Out<'_>) {
    network(rec, out);
    if let Some(ua) = rec.field("userAgent") {
        out.key1("aws:UserAgent", ua.value.clone(), &ua, None);
    }
    match rec.at("tlsDetails").filter(|t| t.node.as_object().is_some()) {
        Some(t) => {
            let f = Field { value: String::new(), path: t.path.clone(), span: t.span() };
            let version = t.field("tlsVersion").map(|v| format!(" ({})", v.value)).unwrap_or_default();
            out.key1(
                "aws:SecureTransport",
                "true",
                &f,
                Some(format!("`tlsDetails` is present: the request used TLS{version}")),
            );
        }
        None => out.unknown(
            "aws:SecureTransport",
            "the record has no `tlsDetails`, which proves nothing: CloudTrail omits it for many events and services",
        ),
    }
    if let Some(r) = rec.field("awsRegion") {
        out.key1("aws:RequestedRegion", r.value.clone(), &r, None);
    }
    match rec.field("eventTime") {
        Some(t) => match extended_date(&t.value) {
            Some((date, _)) => {
                out.key1(
                    "aws:CurrentTime",
                    date.clone(),
                    &t,
                    Some("the time the request was evaluated, to the second".into()),
                );
                if let Some(nanos) = crate::operator::date::parse(&date) {
                    let secs = nanos.div_euclid(1_000_000_000);
                    out.key1("aws:EpochTime", secs.to_string(), &t, Some("`eventTime` in seconds since 1970".into()));
                }
            }
            None => {
                out.unknown("aws:CurrentTime", format!("`eventTime` `{}` is not a date", t.value));
                out.unknown("aws:EpochTime", format!("`eventTime` `{}` is not a date", t.value));
            }
        },
        None => {
            out.unknown("aws:CurrentTime", "the record has no `eventTime`");
            out.unknown("aws:EpochTime", "the record has no `eventTime`");
        }
    }
    if let Some(w) = who {
        service_call(w, out);
    }
    out.unknown("aws:ResourceTag/*", "the resource's tags are not in CloudTrail records");
    out.unknown("aws:ResourceOrgID", "the resource owner's organization is not in CloudTrail records");
}

/// `aws:SourceIp`, or the VPC endpoint keys for calls through one.
fn network(rec: &At<'_, '_, '_>, out: &mut Out<'_>) {
    let ip = rec.field("sourceIPAddress");
    match rec.field("vpcEndpointId") {
        Some(vpce) => {
            out.key1("aws:SourceVpce", vpce.value.clone(), &vpce, None);
            if let Some(acct) = rec.field("vpcEndpointAccountId") {
                out.key1("aws:VpceAccount", acct.value.clone(), &acct, None);
            }
            out.absent("aws:SourceIp", "the request came through a VPC endpoint, and AWS leaves aws:SourceIp out then");
            out.unknown("aws:SourceVpc", "the VPC of the endpoint is not in the record");
            let why = match &ip {
                Some(f) => format!(
                    "`sourceIPAddress` is `{}`, but CloudTrail does not document it as the VPC source address",
                    f.value
                ),
                None => "the record has no `sourceIPAddress`".to_owned(),
            };
            out.unknown("aws:VpcSourceIp", why);
        }
        None => {
            match &ip {
                Some(f) if f.value.parse::<IpAddr>().is_ok() => out.key1("aws:SourceIp", f.value.clone(), f, None),
                Some(f) => out.unknown(
                    "aws:SourceIp",
                    format!("`sourceIPAddress` is `{}`, not an IP address: an AWS service made the call", f.value),
                ),
                None => out.unknown("aws:SourceIp", "the record has no `sourceIPAddress`"),
            }
            for key in ["aws:SourceVpce", "aws:SourceVpc", "aws:VpcSourceIp"] {
                out.absent(key, "the record has no `vpcEndpointId`: the request did not come through a VPC endpoint");
            }
        }
    }
}

/// `aws:ViaAWSService` and `aws:CalledVia*`, from `userIdentity.invokedBy`.
fn service_call(who: &Who, out: &mut Out<'_>) {
    if !who.is_iam_principal() {
        return;
    }
    match &who.invoked_by {
        None => {
            out.key1(
                "aws:ViaAWSService",
                "false",
                &who.element,
                Some("`userIdentity` has no `invokedBy`, which CloudTrail writes whenever an AWS service makes the request".into()),
            );
            for key in ["aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"] {
                out.absent(key, "no AWS service made this request for the principal (no `userIdentity.invokedBy`)");
            }
        }
        // A role session may be the service's own service role (or
        // service-linked role), which CloudTrail also marks with
        // `invokedBy`; then `aws:ViaAWSService` is false and `aws:CalledVia`
        // absent, and the record does not tell the two apart.
        Some(svc) if matches!(who.kind, Kind::AssumedRole | Kind::Role) => {
            let why = format!(
                "`{}` made the request for a role session: with the caller's credentials (then true) or with a service role or service-linked role (then false); the record does not say which",
                svc.value
            );
            out.unknown("aws:ViaAWSService", why);
            for key in ["aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"] {
                out.unknown(
                    key,
                    format!(
                        "present only if `{}` used the caller's credentials, not a service role of its own",
                        svc.value
                    ),
                );
            }
        }
        Some(svc) if CALLED_VIA.contains(&svc.value.as_str()) => {
            out.key1(
                "aws:ViaAWSService",
                "true",
                svc,
                Some(format!("`{}` made the call with the principal's credentials", svc.value)),
            );
            out.key1("aws:CalledViaLast", svc.value.clone(), svc, Some("the service that made this call".into()));
            let why = format!(
                "the list includes `{}`; if that service was itself called through another, the record does not show it",
                svc.value
            );
            out.unknown("aws:CalledVia", why.clone());
            out.unknown("aws:CalledViaFirst", why);
        }
        Some(svc) => {
            let why = format!(
                "`{}` made the request, either with the principal's credentials (then true) or with its own role (then false); the record does not say which",
                svc.value
            );
            out.unknown("aws:ViaAWSService", why);
            for key in ["aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast"] {
                out.unknown(key, format!("`{}` is not a service that AWS reports in aws:CalledVia", svc.value));
            }
        }
    }
    if who.kind == Kind::Root && who.invoked_by.is_some() {
        out.note("a service made this request with the root user's credentials");
    }
}
