//! The fixture's rows: every kind the importer copies (see the module docs of `fixture`).

use super::fixture::{Fixture, P, content, insert, sig};
use P::{B, Bool, F, I, NullB, NullF, NullI, NullT, T};

pub(crate) const ALICE: i64 = 1;
pub(crate) const BOB: i64 = 2;
pub(crate) const MODERATOR: i64 = 3;
pub(crate) const HIDDEN: i64 = 4;
pub(crate) const ADMIN: i64 = 5;
pub(crate) const BANNED: i64 = 6;
pub(crate) const GBANNED: i64 = 7;
pub(crate) const DAVE: i64 = 8;
pub(crate) const MUTED: i64 = 9;
pub(crate) const CAROL: i64 = 10;

/// One message of the fixture.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Msg {
    pub(crate) id: i64,
    pub(crate) room: i64,
    pub(crate) user: i64,
    /// `(seqno, seqno_data, seqno_reactions, seqno_creation)`
    pub(crate) seqnos: (i64, i64, i64, i64),
    /// `None`: deleted (a tombstone).
    pub(crate) text: Option<&'static str>,
    pub(crate) whisper: Option<i64>,
    pub(crate) whisper_mods: bool,
    pub(crate) edited: bool,
}

const fn msg(
    id: i64,
    room: i64,
    user: i64,
    seqnos: (i64, i64, i64, i64),
    text: Option<&'static str>,
) -> Msg {
    Msg {
        id,
        room,
        user,
        seqnos,
        text,
        whisper: None,
        whisper_mods: false,
        edited: false,
    }
}

/// Every message: posts, an edited one, a deleted one, whispers, one in another room.
pub(crate) const MESSAGES: &[Msg] = &[
    Msg {
        edited: true,
        ..msg(10, 1, ALICE, (7, 5, 7, 1), Some("hello, world"))
    },
    msg(11, 1, BOB, (2, 2, 0, 2), Some("second")),
    Msg {
        edited: true,
        ..msg(12, 1, ALICE, (6, 6, 0, 3), None)
    },
    Msg {
        whisper: Some(BOB),
        ..msg(13, 1, MODERATOR, (4, 4, 0, 4), Some("psst, bob"))
    },
    Msg {
        whisper_mods: true,
        ..msg(14, 1, ALICE, (8, 8, 0, 8), Some("mods only"))
    },
    msg(15, 1, CAROL, (9, 9, 0, 9), Some("a cat")),
    msg(20, 2, ADMIN, (1, 1, 0, 1), Some("news!")),
];

/// When message `id` was posted (and edited, 40 s later).
pub(crate) fn posted(fx: &Fixture, id: i64) -> f64 {
    fx.now - 86400.0 + id as f64
}

impl Fixture {
    /// Every row, parents first.
    pub(crate) fn rows(&self) -> Vec<(String, Vec<P>)> {
        let mut rows = self.users();
        rows.extend(self.rooms());
        rows.extend(self.messages());
        rows.extend(self.reactions_and_pins());
        rows.extend(self.files());
        rows.extend(self.permissions());
        rows.extend(self.inbox_and_nonces());
        rows
    }

    fn rooms(&self) -> Vec<(String, Vec<P>)> {
        let t = self.now - 30.0 * 86400.0;
        // (id, token, name, description, image, sequence, info_updates, read, write)
        let rooms = [
            (
                1,
                "lobby",
                "The Lobby",
                Some("Welcome!"),
                Some(1),
                12,
                9,
                true,
                true,
            ),
            (2, "news", "News", None, None, 1, 2, true, false),
            (5, "Secret", "Secret", Some("mods"), None, 0, 1, false, true),
        ];
        rooms
            .into_iter()
            .map(|(id, token, name, desc, image, seq, info, read, write)| {
                insert(
                    "rooms",
                    &[
                        ("id", I(id)),
                        ("token", T(token.into())),
                        ("name", T(name.into())),
                        ("description", desc.map_or(NullT, |d| T(d.into()))),
                        ("image", image.map_or(NullI, I)),
                        ("created", F(t)),
                        ("message_sequence", I(seq)),
                        ("info_updates", I(info)),
                        ("active_users", I(2)),
                        ("read", Bool(read)),
                        ("accessible", Bool(true)),
                        ("write", Bool(write)),
                        ("upload", Bool(true)),
                    ],
                )
            })
            .collect()
    }

    fn messages(&self) -> Vec<(String, Vec<P>)> {
        let mut rows: Vec<_> = MESSAGES
            .iter()
            .map(|m| {
                let &Msg {
                    id,
                    room,
                    user,
                    seqnos: (seqno, sd, sr, sc),
                    text,
                    whisper,
                    whisper_mods: mods,
                    edited,
                } = m;
                let (data, size, signature) = match text.map(content) {
                    Some((data, size)) => (B(data), I(size), B(sig(id))),
                    None => (NullB, NullI, NullB),
                };
                insert(
                    "messages",
                    &[
                        ("id", I(id)),
                        ("room", I(room)),
                        ("user", I(user)),
                        ("posted", F(posted(self, id))),
                        (
                            "edited",
                            if edited {
                                F(posted(self, id) + 40.0)
                            } else {
                                NullF
                            },
                        ),
                        ("seqno", I(seqno)),
                        ("seqno_data", I(sd)),
                        ("seqno_reactions", I(sr)),
                        ("seqno_creation", I(sc)),
                        ("data", data),
                        ("data_size", size),
                        ("signature", signature),
                        ("whisper", whisper.map_or(NullI, I)),
                        ("whisper_mods", Bool(mods)),
                    ],
                )
            })
            .collect();
        for (message, old) in [(10, "hello, wrold"), (12, "oops")] {
            rows.push(insert(
                "message_history",
                &[
                    ("message", I(message)),
                    ("replaced", F(posted(self, message) + 40.0)),
                    ("data", P::History(old.as_bytes().to_vec())),
                    ("signature", B(vec![0xee; 64])),
                ],
            ));
        }
        rows
    }

    fn reactions_and_pins(&self) -> Vec<(String, Vec<P>)> {
        let t = posted(self, 10) + 5.0;
        let mut rows = vec![
            insert(
                "reactions",
                &[
                    ("id", I(1)),
                    ("message", I(10)),
                    ("reaction", T("👍".into())),
                ],
            ),
            insert(
                "reactions",
                &[
                    ("id", I(2)),
                    ("message", I(10)),
                    ("reaction", T("❤️".into())),
                ],
            ),
        ];
        for (reaction, user, dt) in [(1, BOB, 1.0), (1, MODERATOR, 2.0), (2, ALICE, 3.0)] {
            rows.push(insert(
                "user_reactions",
                &[
                    ("reaction", I(reaction)),
                    ("user", I(user)),
                    ("at", F(t + dt)),
                ],
            ));
        }
        rows.push(insert(
            "pinned_messages",
            &[
                ("room", I(1)),
                ("message", I(11)),
                ("pinned_by", I(MODERATOR)),
                ("pinned_at", F(t + 100.0)),
            ],
        ));
        rows
    }

    fn files(&self) -> Vec<(String, Vec<P>)> {
        let day = 86400.0;
        let doc = self.old_document_path().display().to_string();
        // (id, room, uploader, message, size, expiry, filename, path)
        let files = [
            (
                1,
                1,
                0,
                None,
                self.image.len(),
                None,
                "lobby.png",
                "uploads/lobby/1_lobby.png".into(),
            ),
            (
                2,
                1,
                CAROL,
                Some(15),
                self.attachment.len(),
                Some(self.now + 10.0 * day),
                "cat.jpg",
                "uploads/lobby/2_cat.jpg".to_owned(),
            ),
            // expired and already pruned from disk: skipped
            (
                3,
                1,
                ALICE,
                None,
                10,
                Some(self.now - 100.0),
                "gone.bin",
                "uploads/lobby/3_gone.bin".to_owned(),
            ),
            // an absolute path outside the uploads directory: read from its copy under it
            (
                4,
                2,
                ADMIN,
                None,
                self.document.len(),
                Some(self.now + 5.0 * day),
                "doc.txt",
                doc,
            ),
        ];
        files
            .into_iter()
            .map(|(id, room, uploader, message, size, expiry, name, path)| {
                insert(
                    "files",
                    &[
                        ("id", I(id)),
                        ("room", I(room)),
                        ("uploader", I(uploader)),
                        ("message", message.map_or(NullI, I)),
                        ("size", I(size as i64)),
                        ("uploaded", F(self.now - day)),
                        ("expiry", expiry.map_or(NullF, F)),
                        ("filename", T(name.into())),
                        ("path", T(path)),
                    ],
                )
            })
            .collect()
    }
}
