//! Sentences of the trace built from their pieces with one allocation of
//! the exact size. `format!` guesses a capacity and grows the string as it
//! writes, which made the trace's sentences a sixth of a full evaluation;
//! `cat!["statement ", n, " of ", label]` measures the pieces first.

use std::borrow::Cow;
use std::sync::Arc;

/// A piece of a sentence: text, or a number written in decimal.
pub(crate) trait Piece {
    /// Its length in bytes.
    fn size(&self) -> usize;
    /// Appends it.
    fn push_to(&self, out: &mut String);
}

/// Text of every kind the trace holds is a piece as it is.
macro_rules! text_pieces {
    ($($text:ty),+) => {$(
        impl Piece for $text {
            fn size(&self) -> usize {
                self.len()
            }
            fn push_to(&self, out: &mut String) {
                out.push_str(self);
            }
        }
    )+};
}

text_pieces!(str, String, Cow<'_, str>, Arc<str>);

impl Piece for usize {
    fn size(&self) -> usize {
        let (mut n, mut digits) = (*self, 1);
        while n >= 10 {
            n /= 10;
            digits += 1;
        }
        digits
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(itoa::Buffer::new().format(*self));
    }
}

/// Its pieces in order.
impl<T: Piece, const N: usize> Piece for [T; N] {
    fn size(&self) -> usize {
        self.iter().map(Piece::size).sum()
    }
    fn push_to(&self, out: &mut String) {
        for p in self {
            p.push_to(out);
        }
    }
}

/// Nothing when `None`.
impl<T: Piece> Piece for Option<T> {
    fn size(&self) -> usize {
        self.as_ref().map_or(0, Piece::size)
    }
    fn push_to(&self, out: &mut String) {
        if let Some(p) = self {
            p.push_to(out);
        }
    }
}

/// `1 statement`, `3 statements`: a count and the word that goes with it.
pub(crate) struct Plural<'w>(pub usize, pub &'w str, pub &'w str);

impl Plural<'_> {
    fn word(&self) -> &str {
        if self.0 == 1 {
            self.1
        } else {
            self.2
        }
    }
}

impl Piece for Plural<'_> {
    fn size(&self) -> usize {
        self.0.size() + 1 + self.word().len()
    }
    fn push_to(&self, out: &mut String) {
        self.0.push_to(out);
        out.push(' ');
        out.push_str(self.word());
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

/// The pieces joined, in one allocation.
pub(crate) fn join(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.size()).sum());
    for p in pieces {
        p.push_to(&mut out);
    }
    out
}

/// `cat![a, b, ...]`: the pieces (text of any kind, or `usize`) joined.
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        $crate::text::join(&[$(&$piece as &dyn $crate::text::Piece),+])
    };
}
pub(crate) use cat;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pieces_of_every_kind() {
        let sid: Arc<str> = "Stmt1".into();
        let label = String::from("identity policy 2");
        let s = cat!["statement ", 12usize, " `", sid, "` of ", label, Cow::Borrowed("."), 0usize];
        assert_eq!(s, "statement 12 `Stmt1` of identity policy 2.0");
        assert_eq!(s.capacity(), s.len(), "measured, not grown");
        let none: Option<&str> = None;
        let s = cat![Plural(1, "Deny statement", "Deny statements"), none, " / ", Plural(2, "key", "keys"), Some("!")];
        assert_eq!(s, "1 Deny statement / 2 keys!");
        assert_eq!(s.capacity(), s.len());
        for n in [0, 9, 10, 99, 100, 999_999, 1_000_000, usize::MAX] {
            assert_eq!(cat![n], n.to_string(), "{n}");
            assert_eq!(n.size(), n.to_string().len(), "{n}");
        }
        assert_eq!(cat![Plural(0, "key", "keys")], "0 keys");
    }

    proptest! {
        #[test]
        fn numbers_read_as_format_writes_them(n in any::<usize>(), text in ".{0,12}") {
            let s = cat![text, n, "/", n / 7];
            prop_assert_eq!(&s, &format!("{text}{n}/{}", n / 7));
            prop_assert_eq!(s.capacity(), s.len());
        }
    }
}
