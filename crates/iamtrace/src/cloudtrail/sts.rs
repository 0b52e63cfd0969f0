//! The keys an STS call's own parameters set: the external ID, the session
//! name, the source identity and the session tags of `AssumeRole*`, and the
//! session tags of `GetFederationToken` (which keys each call carries: "IAM
//! and AWS STS condition keys",
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html>;
//! tags in requests: <https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html>),
//! and the permissions-only actions these parameters need besides the
//! call's own: `sts:TagSession` for session tags ("In addition to the action
//! that matches the API operation, you must have the following
//! permissions-only action in your policy: sts:TagSession", id_session-tags.html)
//! and `sts:SetSourceIdentity` for a source identity
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html>).

use crate::api::ContextInput;

use super::action::Resolved;
use super::source::{At, Field};
use super::Out;

/// `sts:ExternalId`, `sts:RoleSessionName`, `sts:SourceIdentity`,
/// `aws:RequestTag/*`, `aws:TagKeys` and `sts:TransitiveTagKeys` from an
/// `AssumeRole*` record's `requestParameters`, the session tags of a
/// `GetFederationToken` record, and the further actions they need.
pub(super) fn request_keys(rec: &At<'_, '_, '_>, action: &Resolved, out: &mut Out<'_>) {
    if action.service != "sts" {
        return;
    }
    let federation = action.operation == "GetFederationToken";
    if !federation && !action.operation.starts_with("AssumeRole") {
        return;
    }
    let Some(params) = rec.at("requestParameters").filter(|p| p.node.as_object().is_some()) else { return };
    let tagged = if federation {
        let tagged = tags(&params, out);
        out.absent("sts:TransitiveTagKeys", "`GetFederationToken` takes no transitive tag keys");
        tagged
    } else {
        assume_role(rec, &params, action.operation == "AssumeRole", out)
    };
    match tagged {
        // The service reference gives `sts:TagSession` the role resource
        // only, and no page says what GetFederationToken's check is made on.
        Some(what) if federation => out.also_on(
            "sts:TagSession",
            format!(
                "the call passes {what}, which needs `sts:TagSession` besides `{}`; evaluated on `*`, as AWS does not document the resource of this check",
                action.action
            ),
            "*",
        ),
        Some(what) => out.also(
            "sts:TagSession",
            format!("the call passes {what}, which needs `sts:TagSession` besides `{}`", action.action),
            true,
        ),
        None => {}
    }
    if federation {
        return;
    }
    // A source identity the calling session carries persists into the new
    // session, which needs the permission as setting one does (as the
    // credential walkthrough checks).
    let needs = format!("needs `sts:SetSourceIdentity` besides `{}`", action.action);
    let why = match params.field("sourceIdentity") {
        Some(f) => Some(format!("the call sets the source identity `{}`, which {needs}", f.value)),
        None => rec.field("userIdentity.sessionContext.sourceIdentity").map(|f| {
            format!(
                "the calling session carries the source identity `{}`, which passes on to the new session and {needs}",
                f.value
            )
        }),
    };
    if let Some(why) = why {
        out.also("sts:SetSourceIdentity", why, true);
    }
}

/// The keys of an `AssumeRole*` call; what it passes as session tags, if any.
fn assume_role(rec: &At<'_, '_, '_>, params: &At<'_, '_, '_>, plain: bool, out: &mut Out<'_>) -> Option<String> {
    // AssumeRoleWithSAML and AssumeRoleWithWebIdentity take their session
    // tags and source identity from the assertion or the token: only what
    // the record's parameters show (`principalTags`, `transitiveTagKeys`,
    // `sourceIdentity`) is known.
    // A session that has a source identity keeps it when it assumes
    // another role, parameter or not.
    let inherited = rec.has("userIdentity.sessionContext.sourceIdentity");
    let one = [
        ("externalId", "sts:ExternalId", plain),
        ("roleSessionName", "sts:RoleSessionName", plain),
        ("sourceIdentity", "sts:SourceIdentity", plain && !inherited),
    ];
    for (param, key, provable) in one {
        match params.field(param) {
            Some(f) => out.key1(key, f.value.clone(), &f, Some(format!("the call's `{param}`"))),
            None if provable => out.absent(key, format!("the call passed no `{param}`")),
            None => out.unknown(
                key,
                format!(
                    "the record's `requestParameters` do not show a `{param}`, which this call may carry otherwise"
                ),
            ),
        }
    }
    let tagged = if plain { tags(params, out) } else { principal_tags(params, out) };
    let transitive: Vec<Field> = params
        .get("transitiveTagKeys")
        .map(|t| t.items())
        .unwrap_or_default()
        .iter()
        .filter_map(At::as_field)
        .collect();
    match (transitive.first(), params.get("transitiveTagKeys")) {
        (Some(first), Some(list)) => {
            let keys = transitive.iter().map(|k| k.value.clone()).collect();
            let from = Field { value: first.value.clone(), path: list.path.clone(), span: list.span() };
            out.key("sts:TransitiveTagKeys", ContextInput::Many(keys), &from, None);
        }
        (None, None) if !plain => out.unknown("sts:TransitiveTagKeys", FROM_TOKEN),
        _ => out.absent("sts:TransitiveTagKeys", "the call passed no transitive tag keys"),
    }
    tagged.or_else(|| (!transitive.is_empty()).then(|| "transitive tag keys (`transitiveTagKeys`)".to_owned()))
}

const FROM_TOKEN: &str = "the session tags of this call come from the SAML assertion or the web identity token, and the record's `requestParameters` do not show them";

/// `aws:RequestTag/*` and `aws:TagKeys` from the `principalTags` of an
/// `AssumeRoleWithSAML` or `AssumeRoleWithWebIdentity` record (an object,
/// tag key to value), unknown when the record does not show them; what the
/// call passes, if anything.
fn principal_tags(params: &At<'_, '_, '_>, out: &mut Out<'_>) -> Option<String> {
    let Some(object) = params.get("principalTags").filter(|t| t.node.as_object().is_some()) else {
        for key in ["aws:RequestTag/*", "aws:TagKeys"] {
            out.unknown(key, FROM_TOKEN);
        }
        return None;
    };
    let tags: Vec<(String, Field)> =
        object.members().into_iter().filter_map(|(k, v)| Some((k, v.as_field()?))).collect();
    request_tags(
        out,
        &tags,
        Some(&object),
        ["a session tag of the assertion or token, as the record shows it", "the keys of the call's `principalTags`"],
        "the record's `principalTags` are empty: the call passed no session tags",
    )
    .then(|| "session tags (`principalTags`)".to_owned())
}

/// `aws:RequestTag/*` and `aws:TagKeys` from the call's `tags`
/// (`[{"key": ..., "value": ...}]`, as `AssumeRole` and
/// `GetFederationToken` records write them), absent when it passed none;
/// what it passed, if anything.
fn tags(params: &At<'_, '_, '_>, out: &mut Out<'_>) -> Option<String> {
    let list = params.get("tags");
    let tags: Vec<(String, Field)> = list
        .as_ref()
        .map(|t| t.items())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| Some((t.field("key")?.value, t.field("value")?)))
        .collect();
    request_tags(
        out,
        &tags,
        list.as_ref(),
        ["a session tag the call passed", "the keys of the session tags the call passed"],
        "the call passed no session tags",
    )
    .then(|| "session tags (`tags`)".to_owned())
}

/// `aws:RequestTag/<key>` for each of `tags` (a key and the field of its
/// value) and `aws:TagKeys` from `list`, the record's node that holds them,
/// with `notes` for each; both absent, for `none`, when there are none.
/// Whether there were any.
fn request_tags(
    out: &mut Out<'_>,
    tags: &[(String, Field)],
    list: Option<&At<'_, '_, '_>>,
    [each, keys]: [&str; 2],
    none: &str,
) -> bool {
    for (k, v) in tags {
        out.key1(&format!("aws:RequestTag/{k}"), v.value.clone(), v, Some(each.into()));
    }
    match (tags.first(), list) {
        (Some((first, _)), Some(list)) => {
            let names = tags.iter().map(|(k, _)| k.clone()).collect();
            let from = Field { value: first.clone(), path: list.path.clone(), span: list.span() };
            out.key("aws:TagKeys", ContextInput::Many(names), &from, Some(keys.into()));
            true
        }
        _ => {
            out.absent("aws:TagKeys", none);
            out.absent("aws:RequestTag/*", none);
            false
        }
    }
}
