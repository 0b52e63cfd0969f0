//! The policy texts of a scenario, laid out by kind with the core's
//! [`ByKind`], each with an editor id that stays the same while the page
//! lives, so that removing one policy never confuses the editor of another.
//! SCP and RCP levels carry ids too, in a side table: a level may have no
//! policies, so its id cannot live in an entry.
//!
//! Nothing here names a policy kind: the layout is `ByKind`'s, the words
//! and templates are `crate::kinds`'s.

use std::ops::Deref;

use iamtrace::api::{self, PolicyText};
use iamtrace::policy::{ByKind, Place, PolicyKind, Shape};

/// Identifies an editor (a policy text) for the life of a state.
pub type EditorId = u32;

/// Identifies an SCP or RCP level for the life of a state.
pub type LevelId = u32;

/// Hands out the ids of editors, levels and context rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ids(u32);

impl Default for Ids {
    fn default() -> Self {
        Ids(1)
    }
}

impl Ids {
    pub fn fresh(&mut self) -> u32 {
        let id = self.0;
        self.0 = self.0.saturating_add(1);
        id
    }
}

/// One policy text and its display name (empty: no name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEntry {
    pub id: EditorId,
    pub name: String,
    pub text: String,
}

impl PolicyEntry {
    fn new(id: EditorId, t: PolicyText) -> PolicyEntry {
        PolicyEntry { id, name: t.name.unwrap_or_default(), text: t.text }
    }

    /// The text as the core takes it.
    pub fn text(&self) -> PolicyText {
        PolicyText { name: (!self.name.is_empty()).then(|| self.name.clone()), text: self.text.clone() }
    }
}

/// One level of SCPs or RCPs (organization root first), as the page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level<'s> {
    pub id: LevelId,
    /// 0 for the organization root.
    pub index: usize,
    pub policies: &'s [PolicyEntry],
}

/// Every policy of the scenario, by kind. Reads as the [`ByKind`] it wraps
/// (`iter`, `get`, `of_kind`, `count`, ...); changes go through the methods
/// below, which keep the level ids in step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyState {
    entries: ByKind<PolicyEntry>,
    /// For each kind shaped in levels, the id of each level: `ids[l]` names
    /// `entries.levels(kind)[l]`.
    level_ids: Vec<(PolicyKind, Vec<LevelId>)>,
}

impl Deref for PolicyState {
    type Target = ByKind<PolicyEntry>;

    fn deref(&self) -> &ByKind<PolicyEntry> {
        &self.entries
    }
}

impl PolicyState {
    /// The texts of a scenario, each given a fresh id.
    pub fn from_texts(texts: api::Policies, ids: &mut Ids) -> PolicyState {
        let entries = texts.map(|_, t| PolicyEntry::new(ids.fresh(), t));
        let level_ids = PolicyKind::ALL
            .into_iter()
            .filter(|k| k.shape() == Shape::Levels)
            .map(|kind| (kind, entries.levels(kind).iter().map(|_| ids.fresh()).collect()))
            .collect();
        PolicyState { entries, level_ids }
    }

    /// The texts as the core takes them.
    pub fn texts(&self) -> api::Policies {
        self.entries.map_ref(|_, e| e.text())
    }

    /// Where the editor `id` is.
    pub fn place_of(&self, id: EditorId) -> Option<Place> {
        self.entries.iter().find(|(_, e)| e.id == id).map(|(place, _)| place)
    }

    pub fn entry_mut(&mut self, id: EditorId) -> Option<&mut PolicyEntry> {
        let place = self.place_of(id)?;
        self.entries.get_mut(place)
    }

    /// The levels of an SCP or RCP kind, with their ids (none for other kinds).
    pub fn levels_of(&self, kind: PolicyKind) -> impl Iterator<Item = Level<'_>> + '_ {
        let ids = self.level_ids.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, ids)| ids.as_slice());
        self.entries.levels(kind).iter().enumerate().map(move |(index, policies)| Level {
            id: ids.get(index).copied().unwrap_or_default(),
            index,
            policies,
        })
    }

    /// The kind and index of the level `id`.
    fn level(&self, id: LevelId) -> Option<(PolicyKind, usize)> {
        self.level_ids.iter().find_map(|(kind, ids)| Some((*kind, ids.iter().position(|l| *l == id)?)))
    }

    /// The kind of the level `id`.
    pub fn level_kind(&self, id: LevelId) -> Option<PolicyKind> {
        self.level(id).map(|(kind, _)| kind)
    }

    /// Adds a policy of `kind`: at the end of a list, as the one policy of
    /// its kind (unless there is one already), or as a new last level.
    /// Returns whether it was added.
    pub fn add(&mut self, kind: PolicyKind, text: PolicyText, ids: &mut Ids) -> bool {
        match kind.shape() {
            Shape::One if self.entries.count(kind) > 0 => return false,
            Shape::One | Shape::List => {
                let entry = PolicyEntry::new(ids.fresh(), text);
                self.entries.put(self.entries.next_place(kind), entry);
            }
            Shape::Levels => {
                let level = self.entries.levels(kind).len();
                let id = ids.fresh();
                match self.level_ids.iter_mut().find(|(k, _)| *k == kind) {
                    Some((_, level_ids)) => level_ids.push(id),
                    None => self.level_ids.push((kind, vec![id])),
                }
                self.entries.put(Place::new(kind, 0, Some(level)), PolicyEntry::new(ids.fresh(), text));
            }
        }
        true
    }

    /// Adds a policy at the end of the level `level`. Returns whether the level exists.
    pub fn add_to_level(&mut self, level: LevelId, text: PolicyText, ids: &mut Ids) -> bool {
        let Some((kind, index)) = self.level(level) else { return false };
        self.entries.put(Place::new(kind, 0, Some(index)), PolicyEntry::new(ids.fresh(), text));
        true
    }

    /// Removes the editor `id`. Returns whether there was one.
    pub fn remove(&mut self, id: EditorId) -> bool {
        if self.place_of(id).is_none() {
            return false;
        }
        self.entries = retained(&self.entries, |e| e.id != id, |_, _| true);
        true
    }

    /// Removes the level `level` with its policies. Returns whether there was one.
    pub fn remove_level(&mut self, level: LevelId) -> bool {
        let Some((kind, index)) = self.level(level) else { return false };
        self.entries = retained(&self.entries, |_| true, |k, l| (k, l) != (kind, index));
        for (_, ids) in &mut self.level_ids {
            ids.retain(|l| *l != level);
        }
        true
    }
}

/// `entries` with only the entries and levels that `keep_entry` and
/// `keep_level` accept; the levels kept stay in order, empty ones too.
fn retained(
    entries: &ByKind<PolicyEntry>,
    keep_entry: impl Fn(&PolicyEntry) -> bool,
    keep_level: impl Fn(PolicyKind, usize) -> bool,
) -> ByKind<PolicyEntry> {
    let mut out = ByKind::default();
    // One mark per level kept, so that empty levels survive (`put` only
    // creates the levels up to the one it fills).
    let mut levels = ByKind::<()>::default();
    for kind in PolicyKind::ALL {
        if kind.shape() != Shape::Levels {
            for (place, e) in entries.of_kind(kind).filter(|(_, e)| keep_entry(e)) {
                out.put(place, e.clone());
            }
            continue;
        }
        let kept = entries.levels(kind).iter().enumerate().filter(|(l, _)| keep_level(kind, *l));
        for (l, (_, level)) in kept.enumerate() {
            let place = Place::new(kind, 0, Some(l));
            levels.put(place, ());
            for e in level.iter().filter(|e| keep_entry(e)) {
                out.put(place, e.clone());
            }
        }
    }
    out.keep_levels_of(&levels);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> PolicyText {
        PolicyText { name: None, text: t.to_owned() }
    }

    #[test]
    fn levels_keep_their_ids_and_empty_levels_survive_removals() {
        let mut ids = Ids::default();
        let mut texts = api::Policies::default();
        texts.put(Place::new(PolicyKind::Scp, 0, Some(0)), text("root"));
        texts.put(Place::new(PolicyKind::Scp, 0, Some(2)), text("account"));
        texts.put(Place::new(PolicyKind::Identity, 0, None), text("i0"));
        let mut p = PolicyState::from_texts(texts, &mut ids);
        let levels: Vec<Level<'_>> = p.levels_of(PolicyKind::Scp).collect();
        assert_eq!(levels.len(), 3);
        assert!(levels[1].policies.is_empty(), "the empty middle level is kept");
        let (root, middle, account) = (levels[0].id, levels[1].id, levels[2].id);
        assert_eq!(p.level_kind(middle), Some(PolicyKind::Scp));

        // Removing the root level keeps the empty level and the account's ids.
        assert!(p.remove_level(root));
        let levels: Vec<(LevelId, usize)> = p.levels_of(PolicyKind::Scp).map(|l| (l.id, l.policies.len())).collect();
        assert_eq!(levels, [(middle, 0), (account, 1)]);
        // A trailing empty level survives the removal of another policy.
        let only = p.levels_of(PolicyKind::Scp).nth(1).unwrap().policies[0].id;
        assert!(p.remove(only));
        assert_eq!(p.levels_of(PolicyKind::Scp).map(|l| l.policies.len()).collect::<Vec<_>>(), [0, 0]);
        assert!(p.add_to_level(account, text("new"), &mut ids));
        assert_eq!(p.levels(PolicyKind::Scp)[1][0].text, "new");
        assert!(!p.remove_level(root), "already gone");
        assert_eq!(p.count(PolicyKind::Identity), 1);
    }

    #[test]
    fn one_of_a_kind_is_not_replaced() {
        let mut ids = Ids::default();
        let mut p = PolicyState::default();
        assert!(p.add(PolicyKind::Resource, text("a"), &mut ids));
        assert!(!p.add(PolicyKind::Resource, text("b"), &mut ids));
        assert_eq!(p.resource.as_ref().map(|e| e.text.as_str()), Some("a"));
        assert!(p.add(PolicyKind::Rcp, text("r"), &mut ids));
        assert_eq!(p.levels_of(PolicyKind::Rcp).count(), 1);
        assert_eq!(p.texts().rcp, vec![vec![text("r")]]);
    }
}
