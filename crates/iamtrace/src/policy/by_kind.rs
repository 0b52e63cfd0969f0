//! [`ByKind`]: one value per policy of a scenario, arranged by kind. The one
//! place that knows how the seven kinds are laid out (one of, a list of, or
//! levels of): the parsed policy set, the texts of the JS API and the page,
//! the scenario document and the share-link format are all `ByKind<T>` for
//! some `T`. Adding a policy kind is a change to this file and to
//! [`PolicyKind`].

use serde::{Deserialize, Serialize};

use super::PolicyKind;

/// Where one policy sits in a scenario: its kind, its position within the
/// kind, and for SCPs and RCPs its level (0 = the organization root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Place {
    pub kind: PolicyKind,
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<usize>,
}

impl Place {
    pub fn new(kind: PolicyKind, index: usize, level: Option<usize>) -> Place {
        Place { kind, index, level }
    }
}

/// How a kind holds its policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// At most one (resource-based, boundary, VPC endpoint).
    One,
    /// Any number (identity, session).
    List,
    /// Levels of the organization, root first, each any number (SCP, RCP).
    Levels,
}

impl PolicyKind {
    /// How a scenario holds policies of this kind.
    pub fn shape(self) -> Shape {
        match self {
            PolicyKind::Resource | PolicyKind::Boundary | PolicyKind::Vpce => Shape::One,
            PolicyKind::Identity | PolicyKind::Session => Shape::List,
            PolicyKind::Scp | PolicyKind::Rcp => Shape::Levels,
        }
    }
}

fn is_false<T>(v: &[T]) -> bool {
    v.is_empty()
}

/// One `T` per policy, by kind. Serialises as the scenario format's
/// `policies` object (levels always written as arrays of arrays), leaving
/// out kinds without policies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, bound(serialize = "T: Serialize", deserialize = "T: Deserialize<'de>"))]
pub struct ByKind<T> {
    #[serde(skip_serializing_if = "is_false")]
    pub identity: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boundary: Option<T>,
    #[serde(skip_serializing_if = "is_false")]
    pub session: Vec<T>,
    /// Levels from the organization root down to the principal's account.
    #[serde(skip_serializing_if = "is_false")]
    pub scp: Vec<Vec<T>>,
    /// Levels from the organization root down to the resource's account.
    #[serde(skip_serializing_if = "is_false")]
    pub rcp: Vec<Vec<T>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpce: Option<T>,
}

impl<T> Default for ByKind<T> {
    fn default() -> Self {
        ByKind {
            identity: Vec::new(),
            resource: None,
            boundary: None,
            session: Vec::new(),
            scp: Vec::new(),
            rcp: Vec::new(),
            vpce: None,
        }
    }
}

/// The three shapes a kind's field can have, borrowed.
enum Slot<'s, T> {
    One(&'s Option<T>),
    List(&'s Vec<T>),
    Levels(&'s Vec<Vec<T>>),
}

impl<T> ByKind<T> {
    fn slot(&self, kind: PolicyKind) -> Slot<'_, T> {
        match kind {
            PolicyKind::Identity => Slot::List(&self.identity),
            PolicyKind::Resource => Slot::One(&self.resource),
            PolicyKind::Boundary => Slot::One(&self.boundary),
            PolicyKind::Session => Slot::List(&self.session),
            PolicyKind::Scp => Slot::Levels(&self.scp),
            PolicyKind::Rcp => Slot::Levels(&self.rcp),
            PolicyKind::Vpce => Slot::One(&self.vpce),
        }
    }

    /// The policies of one kind with their places, in order.
    pub fn of_kind(&self, kind: PolicyKind) -> Box<dyn Iterator<Item = (Place, &T)> + '_> {
        match self.slot(kind) {
            Slot::One(v) => Box::new(v.iter().map(move |t| (Place::new(kind, 0, None), t))),
            Slot::List(v) => Box::new(v.iter().enumerate().map(move |(i, t)| (Place::new(kind, i, None), t))),
            Slot::Levels(v) => Box::new(v.iter().enumerate().flat_map(move |(l, level)| {
                level.iter().enumerate().map(move |(i, t)| (Place::new(kind, i, Some(l)), t))
            })),
        }
    }

    /// Every policy with its place, kind by kind in [`PolicyKind::ALL`]
    /// order (the order of the scenario format and of the page's editors).
    pub fn iter(&self) -> impl Iterator<Item = (Place, &T)> + '_ {
        PolicyKind::ALL.into_iter().flat_map(move |k| self.of_kind(k))
    }

    /// Every policy of the given kinds, kind by kind in the order given.
    pub fn of_kinds<'s>(&'s self, kinds: &'s [PolicyKind]) -> impl Iterator<Item = (Place, &'s T)> + 's {
        kinds.iter().flat_map(move |k| self.of_kind(*k))
    }

    /// The levels of an SCP or RCP kind (empty for other kinds).
    pub fn levels(&self, kind: PolicyKind) -> &[Vec<T>] {
        match self.slot(kind) {
            Slot::Levels(v) => v,
            _ => &[],
        }
    }

    /// How many policies of `kind` there are (across levels).
    pub fn count(&self, kind: PolicyKind) -> usize {
        match self.slot(kind) {
            Slot::One(v) => usize::from(v.is_some()),
            Slot::List(v) => v.len(),
            Slot::Levels(v) => v.iter().map(Vec::len).sum(),
        }
    }

    /// Whether there are no policies at all (empty levels count as none).
    pub fn is_empty(&self) -> bool {
        PolicyKind::ALL.into_iter().all(|k| self.count(k) == 0)
    }

    /// The policy at `place`, if there is one.
    pub fn get(&self, place: Place) -> Option<&T> {
        match self.slot(place.kind) {
            Slot::One(v) => v.as_ref().filter(|_| place.index == 0),
            Slot::List(v) => v.get(place.index),
            Slot::Levels(v) => v.get(place.level.unwrap_or(0))?.get(place.index),
        }
    }

    /// The policy at `place`, mutably.
    pub fn get_mut(&mut self, place: Place) -> Option<&mut T> {
        match place.kind {
            PolicyKind::Identity => self.identity.get_mut(place.index),
            PolicyKind::Session => self.session.get_mut(place.index),
            PolicyKind::Resource => self.resource.as_mut().filter(|_| place.index == 0),
            PolicyKind::Boundary => self.boundary.as_mut().filter(|_| place.index == 0),
            PolicyKind::Vpce => self.vpce.as_mut().filter(|_| place.index == 0),
            PolicyKind::Scp => self.scp.get_mut(place.level.unwrap_or(0))?.get_mut(place.index),
            PolicyKind::Rcp => self.rcp.get_mut(place.level.unwrap_or(0))?.get_mut(place.index),
        }
    }

    /// Puts `value` at the end of its kind's list (SCPs and RCPs: at the end
    /// of `place.level`, adding empty levels up to it), or as the kind's one
    /// policy. `place.index` is not consulted: positions follow insertion.
    pub fn put(&mut self, place: Place, value: T) {
        match place.kind {
            PolicyKind::Identity => self.identity.push(value),
            PolicyKind::Session => self.session.push(value),
            PolicyKind::Resource => self.resource = Some(value),
            PolicyKind::Boundary => self.boundary = Some(value),
            PolicyKind::Vpce => self.vpce = Some(value),
            PolicyKind::Scp | PolicyKind::Rcp => {
                let levels = if place.kind == PolicyKind::Scp { &mut self.scp } else { &mut self.rcp };
                let level = place.level.unwrap_or(0);
                if levels.len() <= level {
                    levels.resize_with(level + 1, Vec::new);
                }
                if let Some(v) = levels.get_mut(level) {
                    v.push(value);
                }
            }
        }
    }

    /// Where the next policy of `kind` would go: after the last one (SCPs
    /// and RCPs: in the last level, creating the first).
    pub fn next_place(&self, kind: PolicyKind) -> Place {
        match self.slot(kind) {
            Slot::One(_) => Place::new(kind, 0, None),
            Slot::List(v) => Place::new(kind, v.len(), None),
            Slot::Levels(v) => Place::new(kind, v.last().map_or(0, Vec::len), Some(v.len().saturating_sub(1))),
        }
    }

    /// Makes sure the SCP and RCP kinds have at least as many levels as
    /// `other` (a level with no policies allows nothing, so it must not
    /// disappear when its policies fail to read).
    pub fn keep_levels_of<U>(&mut self, other: &ByKind<U>) {
        for (mine, theirs) in [(&mut self.scp, &other.scp), (&mut self.rcp, &other.rcp)] {
            if mine.len() < theirs.len() {
                mine.resize_with(theirs.len(), Vec::new);
            }
        }
    }

    /// The same layout with every value mapped, each with its place.
    pub fn map<U>(self, mut f: impl FnMut(Place, T) -> U) -> ByKind<U> {
        let list = |kind: PolicyKind, v: Vec<T>, f: &mut dyn FnMut(Place, T) -> U| -> Vec<U> {
            v.into_iter().enumerate().map(|(i, t)| f(Place::new(kind, i, None), t)).collect()
        };
        let levels = |kind: PolicyKind, v: Vec<Vec<T>>, f: &mut dyn FnMut(Place, T) -> U| -> Vec<Vec<U>> {
            v.into_iter()
                .enumerate()
                .map(|(l, level)| {
                    level.into_iter().enumerate().map(|(i, t)| f(Place::new(kind, i, Some(l)), t)).collect()
                })
                .collect()
        };
        let one = |kind: PolicyKind, v: Option<T>, f: &mut dyn FnMut(Place, T) -> U| -> Option<U> {
            v.map(|t| f(Place::new(kind, 0, None), t))
        };
        ByKind {
            identity: list(PolicyKind::Identity, self.identity, &mut f),
            resource: one(PolicyKind::Resource, self.resource, &mut f),
            boundary: one(PolicyKind::Boundary, self.boundary, &mut f),
            session: list(PolicyKind::Session, self.session, &mut f),
            scp: levels(PolicyKind::Scp, self.scp, &mut f),
            rcp: levels(PolicyKind::Rcp, self.rcp, &mut f),
            vpce: one(PolicyKind::Vpce, self.vpce, &mut f),
        }
    }

    /// [`ByKind::map`] over references.
    pub fn map_ref<'s, U>(&'s self, f: impl FnMut(Place, &'s T) -> U) -> ByKind<U> {
        ByKind {
            identity: self.identity.iter().collect(),
            resource: self.resource.as_ref(),
            boundary: self.boundary.as_ref(),
            session: self.session.iter().collect(),
            scp: self.scp.iter().map(|l| l.iter().collect()).collect(),
            rcp: self.rcp.iter().map(|l| l.iter().collect()).collect(),
            vpce: self.vpce.as_ref(),
        }
        .map(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> ByKind<&'static str> {
        let mut b = ByKind::default();
        b.put(Place::new(PolicyKind::Identity, 0, None), "i0");
        b.put(Place::new(PolicyKind::Identity, 1, None), "i1");
        b.put(Place::new(PolicyKind::Scp, 0, Some(1)), "s1.0");
        b.put(Place::new(PolicyKind::Vpce, 0, None), "v");
        b
    }

    #[test]
    fn places_follow_the_layout() {
        let b = sample();
        let places: Vec<(Place, &&str)> = b.iter().collect();
        assert_eq!(places.len(), 4);
        assert_eq!(b.scp.len(), 2, "levels up to the one named are created");
        assert_eq!(b.get(Place::new(PolicyKind::Scp, 0, Some(1))), Some(&"s1.0"));
        assert_eq!(b.get(Place::new(PolicyKind::Identity, 1, None)), Some(&"i1"));
        assert_eq!(b.get(Place::new(PolicyKind::Resource, 0, None)), None);
        assert_eq!(b.count(PolicyKind::Scp), 1);
        assert_eq!(b.next_place(PolicyKind::Scp), Place::new(PolicyKind::Scp, 1, Some(1)));
        assert_eq!(b.next_place(PolicyKind::Identity), Place::new(PolicyKind::Identity, 2, None));
        for (place, value) in b.iter() {
            assert_eq!(b.get(place), Some(value));
        }
    }

    #[test]
    fn map_keeps_places_and_serde_leaves_out_empty_kinds() {
        let b = sample().map(|p, t| format!("{}:{t}", p.kind.key()));
        assert_eq!(b.scp, vec![vec![], vec!["scp:s1.0".to_owned()]]);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#"{"identity":["identity:i0","identity:i1"],"scp":[[],["scp:s1.0"]],"vpce":"vpce:v"}"#);
        let back: ByKind<String> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
        assert!(ByKind::<u8>::default().is_empty());
    }
}
