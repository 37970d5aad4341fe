//! Our side of the import: the emptiness check (and the record that refuses a second run),
//! switching triggers off and on, the counters triggers would have kept, the re-count, and
//! the cache flush for any server process that is (wrongly) running.

use sqlx::PgConnection;

use super::check::Known;
use super::summary::{Kind, Summary};
use super::{Env, ImportError};
use sogs_server::domain::moderation::ModAction;

/// The moderation log action that records an import.
const ACTION: ModAction = ModAction::ImportPysogs;

/// Tables with user triggers. They renumber seqnos, log history, bump `info_updates`,
/// expire files and announce cache changes: all wrong for rows copied as they are. Disabled
/// inside the transaction (so a failure rolls this back too); the server's role owns the
/// tables, which is all `ALTER TABLE … DISABLE TRIGGER USER` needs (foreign keys, which are
/// system triggers, stay enforced).
const DISABLE: &str = "alter table users disable trigger user;
    alter table rooms disable trigger user;
    alter table messages disable trigger user;
    alter table files disable trigger user;
    alter table pinned_messages disable trigger user;
    alter table reactions disable trigger user;
    alter table user_reactions disable trigger user;
    alter table user_permission_overrides disable trigger user;
    alter table inbox disable trigger user;";

const ENABLE: &str = "alter table users enable trigger user;
    alter table rooms enable trigger user;
    alter table messages enable trigger user;
    alter table files enable trigger user;
    alter table pinned_messages enable trigger user;
    alter table reactions enable trigger user;
    alter table user_reactions enable trigger user;
    alter table user_permission_overrides enable trigger user;
    alter table inbox enable trigger user;";

/// Moves every identity sequence past the imported ids (an empty table starts at 1).
const SEQUENCES: &str = "
    select setval(pg_get_serial_sequence('users', 'id'), greatest(max(id), 1), max(id) >= 1) from users;
    select setval(pg_get_serial_sequence('rooms', 'id'), coalesce(max(id), 1), max(id) is not null) from rooms;
    select setval(pg_get_serial_sequence('messages', 'id'), coalesce(max(id), 1), max(id) is not null) from messages;
    select setval(pg_get_serial_sequence('files', 'id'), coalesce(max(id), 1), max(id) is not null) from files;
    select setval(pg_get_serial_sequence('reactions', 'id'), coalesce(max(id), 1), max(id) is not null) from reactions;
    select setval(pg_get_serial_sequence('inbox', 'id'), coalesce(max(id), 1), max(id) is not null) from inbox;";

/// Serialises imports and refuses a target that already holds data or an import.
pub(crate) async fn lock_and_check_empty(tx: &mut PgConnection) -> Result<(), ImportError> {
    sqlx::query!("select pg_advisory_xact_lock(hashtext('sogs-admin import-pysogs'))")
        .execute(&mut *tx)
        .await?;
    let before = sqlx::query!(
        r#"select to_char(to_timestamp(at) at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')
                  as "at!", details->>'source' as source
           from moderation_log
           where action = $1 order by id desc limit 1"#,
        ACTION.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let Some(before) = before {
        let from = before.source.unwrap_or_default();
        return Err(ImportError::AlreadyImported(format!(
            "from {from} at {}",
            before.at
        )));
    }
    let c = sqlx::query!(
        r#"select (select count(*) from rooms) as "rooms!",
                  (select count(*) from users where id <> 0) as "users!",
                  (select count(*) from messages) as "messages!",
                  (select count(*) from files) as "files!",
                  (select count(*) from inbox) as "inbox!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    let found: Vec<String> = [
        (c.rooms, "rooms"),
        (c.users, "users"),
        (c.messages, "messages"),
        (c.files, "files"),
        (c.inbox, "direct messages"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if found.is_empty() {
        return Ok(());
    }
    Err(ImportError::NotEmpty(found.join(", ")))
}

/// Turns the user triggers of the imported tables off for this transaction's writes.
pub(crate) async fn disable_triggers(tx: &mut PgConnection) -> Result<(), ImportError> {
    // Static DDL: `query!` cannot describe ALTER TABLE.
    sqlx::raw_sql(DISABLE).execute(&mut *tx).await?;
    Ok(())
}

/// What the triggers would have kept right: room pictures, the system user, sequences, room
/// counters; then the triggers are switched back on and every process's caches are flushed.
pub(crate) async fn finish(
    tx: &mut PgConnection,
    known: &Known,
    env: &Env,
) -> Result<(), ImportError> {
    known.check_room_images()?;
    for (room, image) in &known.room_images {
        sqlx::query!("update rooms set image = $2 where id = $1", room, image)
            .execute(&mut *tx)
            .await?;
    }
    if !known.source_had_system_user {
        sogs_server::storage::users::upsert_system_user(&mut *tx, &env.server_pk).await?;
    }
    // Static SQL over every identity table (names cannot be parameters).
    sqlx::raw_sql(SEQUENCES).execute(&mut *tx).await?;
    // A room counter below its newest seqno would hand out a seqno twice.
    sqlx::query!(
        r#"update rooms r set message_sequence = m.top
           from (select room, max(seqno) as top from messages group by room) m
           where m.room = r.id and r.message_sequence < m.top"#
    )
    .execute(&mut *tx)
    .await?;
    sqlx::raw_sql(ENABLE).execute(&mut *tx).await?;
    // Delivered at commit; an unknown payload makes every listening process drop all caches.
    sqlx::query!(
        "select pg_notify($1, $2)",
        sogs_server::cache::CHANNEL,
        "import"
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Re-counts every kind in the target and compares with what was written.
pub(crate) async fn verify(
    tx: &mut PgConnection,
    summary: &mut Summary,
    source_had_system_user: bool,
) -> Result<(), ImportError> {
    let c = sqlx::query!(
        r#"select (select count(*) from users where id <> 0) as "users!",
                  (select count(*) from rooms) as "rooms!",
                  (select count(*) from messages) as "messages!",
                  (select count(*) from message_history) as "history!",
                  (select count(*) from reactions) as "reactions!",
                  (select count(*) from user_reactions) as "reactors!",
                  (select count(*) from files) as "files!",
                  (select count(*) from pinned_messages) as "pins!",
                  (select count(*) from user_permission_overrides) as "overrides!",
                  (select count(*) from user_permission_futures) as "perm_futures!",
                  (select count(*) from user_ban_futures) as "ban_futures!",
                  (select count(*) from room_users) as "room_users!",
                  (select count(*) from needs_blinding) as "needs_blinding!",
                  (select count(*) from inbox) as "inbox!",
                  (select count(*) from user_request_nonces) as "nonces!",
                  (select coalesce(sum(octet_length(content)), 0)::int8 from files) as "bytes!""#
    )
    .fetch_one(&mut *tx)
    .await?;
    let found = [
        (Kind::Users, c.users + i64::from(source_had_system_user)),
        (Kind::Rooms, c.rooms),
        (Kind::Messages, c.messages),
        (Kind::History, c.history),
        (Kind::Reactions, c.reactions),
        (Kind::Reactors, c.reactors),
        (Kind::Files, c.files),
        (Kind::Pins, c.pins),
        (Kind::Overrides, c.overrides),
        (Kind::PermissionFutures, c.perm_futures),
        (Kind::BanFutures, c.ban_futures),
        (Kind::RoomActivity, c.room_users),
        (Kind::NeedsBlinding, c.needs_blinding),
        (Kind::Inbox, c.inbox),
        (Kind::Nonces, c.nonces),
    ];
    let mut wrong = Vec::new();
    for (kind, n) in found {
        let entry = summary.entry(kind);
        let n = u64::try_from(n).unwrap_or(0);
        entry.target = Some(n);
        if n != entry.written {
            wrong.push(format!(
                "{}: wrote {}, found {n}",
                kind.label(),
                entry.written
            ));
        }
    }
    if u64::try_from(c.bytes).unwrap_or(0) != summary.file_bytes {
        wrong.push(format!(
            "upload bytes: wrote {}, found {}",
            summary.file_bytes, c.bytes
        ));
    }
    match wrong.is_empty() {
        true => Ok(()),
        false => Err(ImportError::Mismatch(wrong.join("; "))),
    }
}

/// Records the import in the moderation log (which also refuses a second run).
pub(crate) async fn record(
    tx: &mut PgConnection,
    from: &str,
    summary: &Summary,
) -> Result<(), ImportError> {
    let counts: serde_json::Map<String, serde_json::Value> = summary
        .counts
        .iter()
        .map(|(kind, c)| (kind.label().to_owned(), c.written.into()))
        .collect();
    let details = serde_json::json!({ "source": without_credentials(from), "counts": counts });
    sogs_server::actions::log(tx, None, None, None, ACTION, details).await?;
    Ok(())
}

/// A source for the log: a URL loses its user and password.
fn without_credentials(from: &str) -> String {
    match from.split_once("://") {
        Some((scheme, rest)) => {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
            format!("{scheme}://{rest}")
        }
        None => from.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_credentials;

    #[test]
    fn a_logged_source_url_has_no_credentials() {
        assert_eq!(
            without_credentials("postgresql://sogs:secret@db:5432/sogs"),
            "postgresql://db:5432/sogs"
        );
        assert_eq!(without_credentials("/srv/sogs.db"), "/srv/sogs.db");
    }
}
