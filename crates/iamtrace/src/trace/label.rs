//! How the trace names policies and statements (``statement 2 `Sid` of
//! identity policy 1``), as strings and as pieces of the trace's sentences.

use super::{PolicyRef, StatementRef};
use crate::policy::PolicyKind;
use crate::text::{cat, Piece};

impl PolicyRef {
    /// ``identity policy 2 `ReadOnly` ``, `SCP level 1 policy 1`, ...
    pub fn label(&self) -> String {
        cat![self]
    }

    /// The label's pieces, in order.
    fn label_pieces(&self, piece: &mut dyn FnMut(&dyn Piece)) {
        let number = self.index + 1;
        match (self.kind, self.level) {
            (PolicyKind::Scp | PolicyKind::Rcp, Some(l)) => {
                piece(&if self.kind == PolicyKind::Scp { "SCP level " } else { "RCP level " });
                piece(&(l + 1));
                piece(&" policy ");
                piece(&number);
            }
            (PolicyKind::Resource, _) => piece(&"resource-based policy"),
            (PolicyKind::Boundary, _) => piece(&"permissions boundary"),
            (PolicyKind::Vpce, _) => piece(&"VPC endpoint policy"),
            (kind, _) => {
                piece(&kind.key());
                piece(&" policy ");
                piece(&number);
            }
        }
        if let Some(n) = &self.name {
            piece(&" `");
            piece(n);
            piece(&"`");
        }
    }
}

/// A policy's label as a piece of a sentence (no copy of its own).
impl Piece for PolicyRef {
    fn size(&self) -> usize {
        let mut size = 0;
        self.label_pieces(&mut |p| size += p.size());
        size
    }

    fn push_to(&self, out: &mut String) {
        self.label_pieces(&mut |p| p.push_to(out));
    }
}

impl StatementRef {
    /// ``statement 2 `AllowS3` of identity policy 1``.
    pub fn label(&self) -> String {
        cat![self]
    }
}

/// A statement's label as a piece of a sentence.
impl Piece for StatementRef {
    fn size(&self) -> usize {
        let sid = self.sid.as_ref().map_or(0, |s| s.len() + 3);
        "statement ".len() + (self.statement + 1).size() + sid + " of ".len() + self.policy.size()
    }

    fn push_to(&self, out: &mut String) {
        out.push_str("statement ");
        (self.statement + 1).push_to(out);
        if let Some(sid) = &self.sid {
            out.push_str(" `");
            out.push_str(sid);
            out.push('`');
        }
        out.push_str(" of ");
        self.policy.push_to(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::DocId;
    use crate::policy::Effect;

    fn policy(kind: PolicyKind, index: usize, level: Option<usize>, name: Option<&str>) -> PolicyRef {
        PolicyRef { kind, index, level, name: name.map(Into::into), doc: DocId::default() }
    }

    #[test]
    fn labels_name_the_policy_and_statement() {
        let cases = [
            (policy(PolicyKind::Identity, 1, None, Some("ReadOnly")), "identity policy 2 `ReadOnly`"),
            (policy(PolicyKind::Scp, 0, Some(2), None), "SCP level 3 policy 1"),
            (policy(PolicyKind::Rcp, 9, Some(0), Some("r")), "RCP level 1 policy 10 `r`"),
            (policy(PolicyKind::Resource, 0, None, None), "resource-based policy"),
            (policy(PolicyKind::Boundary, 0, None, Some("b")), "permissions boundary `b`"),
            (policy(PolicyKind::Vpce, 0, None, None), "VPC endpoint policy"),
            (policy(PolicyKind::Session, 3, None, None), "session policy 4"),
        ];
        for (p, expected) in cases {
            assert_eq!(p.label(), expected);
            assert_eq!(p.size(), expected.len());
            let with_sid = StatementRef {
                policy: p.clone(),
                statement: 11,
                sid: Some("AllowS3".into()),
                span: crate::Span::default(),
                effect: Effect::Allow,
            };
            let label = with_sid.label();
            assert_eq!(label, format!("statement 12 `AllowS3` of {expected}"));
            assert_eq!(label.capacity(), label.len(), "measured before writing");
            let without = StatementRef { sid: None, statement: 0, ..with_sid };
            assert_eq!(without.label(), format!("statement 1 of {expected}"));
        }
    }
}
