//! Chain tests live in `tests/` as scenario corpora; these cover helpers.
