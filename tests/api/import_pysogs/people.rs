//! The fixture's people and what they may do: users, permission overrides, scheduled
//! changes, activity, needs_blinding, direct messages and nonces.

use super::fixture::{Fixture, P, dm_body, insert};
use super::rows::{ADMIN, ALICE, BANNED, BOB, CAROL, DAVE, GBANNED, HIDDEN, MODERATOR, MUTED};
use P::{B, Bool, F, I, NullI, T};

impl Fixture {
    pub(crate) fn users(&self) -> Vec<(String, Vec<P>)> {
        let p = &self.people;
        let t = self.now - 7.0 * 86400.0;
        // (id, session id, banned, moderator, admin, visible_mod)
        let users = [
            (0, format!("ff{}", self.pubkey), false, true, true, false),
            (ALICE, self.id15(&p.alice), false, false, false, false),
            (BOB, self.id15(&p.bob), false, false, false, false),
            (
                MODERATOR,
                self.id15(&p.moderator),
                false,
                false,
                false,
                false,
            ),
            (HIDDEN, self.id15(&p.hidden), false, false, false, false),
            // a global admin whose row lacks the moderator flag: admin implies moderator
            (ADMIN, self.id15(&p.admin), false, false, true, true),
            (BANNED, self.id15(&p.banned), false, false, false, false),
            (GBANNED, self.id15(&p.gbanned), true, false, false, false),
            (
                DAVE,
                p.dave.session_id().to_string(),
                false,
                true,
                false,
                false,
            ),
            (MUTED, self.id15(&p.muted), false, false, false, false),
            (
                CAROL,
                p.carol.session_id().to_string(),
                false,
                false,
                false,
                false,
            ),
        ];
        users
            .into_iter()
            .map(|(id, sid, banned, moderator, admin, visible)| {
                insert(
                    "users",
                    &[
                        ("id", I(id)),
                        ("session_id", T(sid)),
                        ("created", F(t)),
                        ("last_active", F(t + id as f64)),
                        ("banned", Bool(banned)),
                        ("moderator", Bool(moderator)),
                        ("admin", Bool(admin)),
                        ("visible_mod", Bool(visible)),
                    ],
                )
            })
            .collect()
    }

    pub(crate) fn permissions(&self) -> Vec<(String, Vec<P>)> {
        let later = self.now + 3600.0;
        let o = |room: i64, user: i64, extra: &[(&str, P)]| {
            let mut cells = vec![("room", I(room)), ("user", I(user))];
            cells.extend(extra.iter().cloned());
            insert("user_permission_overrides", &cells)
        };
        vec![
            o(
                1,
                MODERATOR,
                &[("moderator", Bool(true)), ("visible_mod", Bool(true))],
            ),
            o(
                1,
                HIDDEN,
                &[("moderator", Bool(true)), ("visible_mod", Bool(false))],
            ),
            o(1, BANNED, &[("banned", Bool(true))]),
            o(1, MUTED, &[("write", Bool(false))]),
            o(2, ALICE, &[("write", Bool(true))]),
            insert(
                "user_permission_futures",
                &[
                    ("room", I(1)),
                    ("user", I(MUTED)),
                    ("at", F(later)),
                    ("read", P::NullBool),
                    ("write", Bool(true)),
                    ("upload", P::NullBool),
                ],
            ),
            insert(
                "user_ban_futures",
                &[
                    ("room", I(1)),
                    ("user", I(BANNED)),
                    ("at", F(later)),
                    ("banned", Bool(false)),
                ],
            ),
            insert(
                "user_ban_futures",
                &[
                    ("room", NullI),
                    ("user", I(GBANNED)),
                    ("at", F(later)),
                    ("banned", Bool(false)),
                ],
            ),
            insert(
                "room_users",
                &[
                    ("room", I(1)),
                    ("user", I(ALICE)),
                    ("last_active", F(self.now)),
                ],
            ),
            insert(
                "room_users",
                &[
                    ("room", I(1)),
                    ("user", I(BOB)),
                    ("last_active", F(self.now)),
                ],
            ),
            insert(
                "needs_blinding",
                &[("blinded_abs", T(self.dave_abs())), ("user", I(DAVE))],
            ),
        ]
    }

    pub(crate) fn inbox_and_nonces(&self) -> Vec<(String, Vec<P>)> {
        let dm = |id: i64, recipient: i64, sender: i64| {
            insert(
                "inbox",
                &[
                    ("id", I(id)),
                    ("recipient", I(recipient)),
                    ("sender", I(sender)),
                    ("body", B(dm_body(id))),
                    ("posted_at", F(self.now - 100.0 + id as f64)),
                    ("expiry", F(self.now + 86400.0)),
                ],
            )
        };
        vec![
            dm(3, BOB, ALICE),
            dm(4, ALICE, BOB),
            insert(
                "user_request_nonces",
                &[
                    ("user", I(ALICE)),
                    ("nonce", B(vec![7; 16])),
                    ("expiry", F(self.now + 3600.0)),
                ],
            ),
            insert(
                "user_request_nonces",
                &[
                    ("user", I(BOB)),
                    ("nonce", B(vec![8; 16])),
                    ("expiry", F(self.now - 10.0)),
                ],
            ),
        ]
    }

    /// dave's (05) blinded_abs id, as pysogs records it in needs_blinding.
    pub(crate) fn dave_abs(&self) -> String {
        let [abs, _] = sogs_protocol::blinding::blind15_candidates(
            &self.people.dave.session_id(),
            &self.pubkey,
        )
        .unwrap();
        abs.as_str().to_owned()
    }
}
