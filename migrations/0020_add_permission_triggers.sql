-- Invariants of the permission tables, enforced where every writer passes.

-- Admin implies moderator, globally and per room: code that asks "is a moderator?" need not
-- also ask "or an admin?". Set in the row being written (BEFORE), so inserts and upserts
-- store the corrected row directly.
create function admin_implies_moderator() returns trigger
language plpgsql as $$
begin
    new.moderator := true;
    return new;
end;
$$;

create trigger users_admin_implies_moderator
    before insert or update on users
    for each row
    when (new.admin and not new.moderator)
    execute function admin_implies_moderator();

create trigger user_permission_overrides_admin_implies_moderator
    before insert or update on user_permission_overrides
    for each row
    when (new.admin and not new.moderator)
    execute function admin_implies_moderator();

-- An override row that no longer changes anything (not banned, no grant, every permission
-- back to the room default) is deleted, e.g. after an unban, so that the table only holds
-- real departures from the defaults. visible_mod means nothing without a grant and is
-- ignored.
create function user_permission_overrides_delete_empty() returns trigger
language plpgsql as $$
begin
    delete from user_permission_overrides where room = new.room and "user" = new."user";
    return null;
end;
$$;

create trigger user_permission_overrides_delete_empty
    after update on user_permission_overrides
    for each row
    when (not (new.banned or new.moderator or new.admin)
          and new.read is null and new.accessible is null
          and new.write is null and new.upload is null)
    execute function user_permission_overrides_delete_empty();

-- A user banned from a room stops counting as one of its active users at once. The
-- reference server does this only when an existing row is updated; we also do it when the
-- ban creates the row, which is the usual case for a user with no prior override.
create function user_permission_overrides_ban_clears_activity() returns trigger
language plpgsql as $$
begin
    delete from room_users where room = new.room and "user" = new."user";
    return null;
end;
$$;

create trigger user_permission_overrides_ban_clears_activity
    after insert or update of banned on user_permission_overrides
    for each row
    when (new.banned)
    execute function user_permission_overrides_ban_clears_activity();
