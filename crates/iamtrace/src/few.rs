//! A list kept without an allocation while it holds at most one item: most
//! steps of a trace look at one policy, and most groups of statements have
//! at most one that applies.

/// Items in order; a list is made only for the second.
#[derive(Debug, Clone, Default)]
pub(crate) enum Few<T> {
    #[default]
    None,
    One(T),
    Many(Vec<T>),
}

impl<T: Copy> Few<T> {
    /// Adds `item` at the end; a list made for it has room for `room` items
    /// (at least two).
    pub(crate) fn push(&mut self, item: T, room: usize) {
        match self {
            Few::None => *self = Few::One(item),
            Few::One(first) => {
                let mut all = Vec::with_capacity(room.max(2));
                all.extend([*first, item]);
                *self = Few::Many(all);
            }
            Few::Many(all) => all.push(item),
        }
    }
}

impl<T> Few<T> {
    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            Few::None => &[],
            Few::One(item) => std::slice::from_ref(item),
            Few::Many(all) => all,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Few;

    #[test]
    fn items_read_in_order_however_many() {
        let mut few = Few::default();
        assert!(few.as_slice().is_empty());
        for n in 1..=5 {
            few.push(n, 4);
            assert_eq!(few.as_slice(), (1..=n).collect::<Vec<_>>());
        }
        assert!(matches!(&few, Few::Many(all) if all.capacity() >= 4));
    }
}
