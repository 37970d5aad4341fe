//! Effective permissions from the `user_permissions` view.

use sqlx::PgExecutor;

use crate::domain::permissions::Effective;

struct PermissionRow {
    room: i64,
    banned: bool,
    read: bool,
    accessible: bool,
    write: bool,
    upload: bool,
    moderator: bool,
    admin: bool,
    global_moderator: bool,
    global_admin: bool,
}

impl From<PermissionRow> for (i64, Effective) {
    fn from(r: PermissionRow) -> Self {
        let perms = Effective {
            banned: r.banned,
            read: r.read,
            accessible: r.accessible,
            write: r.write,
            upload: r.upload,
            moderator: r.moderator,
            admin: r.admin,
            global_moderator: r.global_moderator,
            global_admin: r.global_admin,
        };
        (r.room, perms)
    }
}

/// The effective permissions of `user_id` in one room (`room_id`), or in every room (`None`).
pub async fn effective_by_room(
    db: impl PgExecutor<'_>,
    user_id: i64,
    room_id: Option<i64>,
) -> Result<Vec<(i64, Effective)>, sqlx::Error> {
    let rows = sqlx::query_as!(
        PermissionRow,
        r#"select p.room as "room!", p.banned as "banned!", p.read as "read!",
                  p.accessible as "accessible!", p.write as "write!", p.upload as "upload!",
                  p.moderator as "moderator!", p.admin as "admin!",
                  u.moderator as global_moderator, u.admin as global_admin
           from user_permissions p join users u on u.id = p."user"
           where p."user" = $1 and ($2::bigint is null or p.room = $2)"#,
        user_id,
        room_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The effective permissions of `user_id` in one room.
pub async fn effective(
    db: impl PgExecutor<'_>,
    room_id: i64,
    user_id: i64,
) -> Result<Effective, sqlx::Error> {
    let rows = effective_by_room(db, user_id, Some(room_id)).await?;
    Ok(rows
        .into_iter()
        .next()
        .map(|(_, perms)| perms)
        .unwrap_or_default())
}
