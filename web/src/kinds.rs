//! What the page says and writes for each policy kind: titles, hints, the
//! "Add policy" menu, the template a new policy starts from. The layout of
//! the kinds (one of, a list of, levels of) is the core's
//! [`iamtrace::policy::ByKind`]; a new kind needs a line here and nothing
//! else in `web/`.

use iamtrace::policy::{Place, PolicyKind, Shape};

/// The words for one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// The heading of the kind's group of cards.
    pub group: &'static str,
    /// One sentence under the heading: where such policies are attached.
    pub hint: &'static str,
    /// The entry in the "Add policy" menu.
    pub add: &'static str,
    /// A card's title: as it is for a kind of one, numbered for a list
    /// (`Identity policy 2`), the abbreviation for levels (`SCP level 1 policy 2`).
    pub card: &'static str,
    /// Whether the cards have a name field.
    pub named: bool,
}

pub fn words(kind: PolicyKind) -> Words {
    match kind {
        PolicyKind::Identity => Words {
            group: "Identity-based policies",
            hint: "Attached to the user or role that makes the request (for a role session: the role's).",
            add: "Identity-based policy",
            card: "Identity policy",
            named: true,
        },
        PolicyKind::Resource => Words {
            group: "Resource-based policy",
            hint: "Attached to the resource: a bucket policy, a key policy, a role's trust policy.",
            add: "Resource-based policy",
            card: "Resource-based policy",
            named: false,
        },
        PolicyKind::Boundary => Words {
            group: "Permissions boundary",
            hint: "The most the identity policies may grant to this user or role.",
            add: "Permissions boundary",
            card: "Permissions boundary",
            named: true,
        },
        PolicyKind::Session => Words {
            group: "Session policies",
            hint: "Passed when the session was created (AssumeRole, GetFederationToken); they narrow it.",
            add: "Session policy",
            card: "Session policy",
            named: true,
        },
        PolicyKind::Scp => Words {
            group: "Service control policies",
            hint: "Service control policies of the principal's account, from the organization root down. Every level must allow.",
            add: "SCP level",
            card: "SCP",
            named: true,
        },
        PolicyKind::Rcp => Words {
            group: "Resource control policies",
            hint: "Resource control policies of the resource's account, from the root down. Every level must allow.",
            add: "RCP level",
            card: "RCP",
            named: true,
        },
        PolicyKind::Vpce => Words {
            group: "VPC endpoint policy",
            hint: "The policy of the VPC endpoint the request goes through.",
            add: "VPC endpoint policy",
            card: "VPC endpoint policy",
            named: false,
        },
    }
}

/// The text a new policy of `kind` starts with; `account` is the principal's
/// account, which a resource-based policy trusts.
pub fn template(kind: PolicyKind, account: &str) -> String {
    let statement = |body: &str| {
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n{body}\n    }}\n  ]\n}}\n")
    };
    match kind {
        PolicyKind::Identity => statement(
            "      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"",
        ),
        PolicyKind::Resource => statement(&format!(
            "      \"Effect\": \"Allow\",\n      \"Principal\": {{ \"AWS\": \"arn:aws:iam::{account}:root\" }},\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\""
        )),
        PolicyKind::Rcp => statement(
            "      \"Sid\": \"RCPFullAWSAccess\",\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"",
        ),
        PolicyKind::Vpce => statement(
            "      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"",
        ),
        PolicyKind::Scp => statement(
            "      \"Sid\": \"FullAWSAccess\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"",
        ),
        PolicyKind::Boundary | PolicyKind::Session => {
            statement("      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"")
        }
    }
}

/// A policy's title: `Identity policy 1`, `SCP level 2 policy 1`, `Permissions boundary`.
pub fn title(place: Place) -> String {
    let card = words(place.kind).card;
    match place.kind.shape() {
        Shape::One => card.to_owned(),
        Shape::List => format!("{card} {}", place.index + 1),
        Shape::Levels => format!("{card} level {} policy {}", place.level.unwrap_or(0) + 1, place.index + 1),
    }
}

/// A title with the policy's name: `Identity policy 1 “ReadS3”`.
pub fn label(place: Place, name: &str) -> String {
    if name.is_empty() {
        title(place)
    } else {
        format!("{} “{name}”", title(place))
    }
}

/// The `data-testid` suffix of a policy's card and editor: `identity-0`,
/// `scp-1-0`, `resource`.
pub fn slug(place: Place) -> String {
    let key = place.kind.key();
    match place.kind.shape() {
        Shape::One => key.to_owned(),
        Shape::List => format!("{key}-{}", place.index),
        Shape::Levels => format!("{key}-{}-{}", place.level.unwrap_or(0), place.index),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_slugs_follow_the_shape() {
        let scp = Place::new(PolicyKind::Scp, 1, Some(0));
        assert_eq!(title(scp), "SCP level 1 policy 2");
        assert_eq!(slug(scp), "scp-0-1");
        let identity = Place::new(PolicyKind::Identity, 0, None);
        assert_eq!(label(identity, "ReadS3"), "Identity policy 1 “ReadS3”");
        assert_eq!(slug(identity), "identity-0");
        assert_eq!(title(Place::new(PolicyKind::Vpce, 0, None)), "VPC endpoint policy");
        assert_eq!(slug(Place::new(PolicyKind::Boundary, 0, None)), "boundary");
    }

    #[test]
    fn every_template_reads_as_a_policy_of_its_kind() {
        for kind in PolicyKind::ALL {
            let text = template(kind, "111122223333");
            let parsed = iamtrace::policy::parse_policy(&text, kind, iamtrace::DocId(0));
            assert!(parsed.diagnostics.iter().all(|d| !d.is_error()), "{kind:?}: {:?}", parsed.diagnostics);
        }
    }
}
