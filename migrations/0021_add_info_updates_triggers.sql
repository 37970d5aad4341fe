-- rooms.info_updates tells polling clients to re-fetch the room's details. It is raised when
-- something in those details changes: name, description, picture, the moderator list, the
-- pinned messages. Message traffic, active user counts and default permissions do not raise
-- it. Doing it in triggers means no writer (server, admin CLI, cleanup task) can forget it.

-- Name, description or picture changed: one raise per updated row, however many of the three
-- changed. Set in the row being written, so it costs no second update. Updates of other
-- columns (the message counter, active_users, defaults) do not fire it.
create function rooms_count_info_update() returns trigger
language plpgsql as $$
begin
    new.info_updates := new.info_updates + 1;
    return new;
end;
$$;

create trigger rooms_count_info_update
    before update on rooms
    for each row
    when (new.name is distinct from old.name
          or new.description is distinct from old.description
          or new.image is distinct from old.image)
    execute function rooms_count_info_update();

-- For triggers on tables that carry a `room` column (the NEW row, or the OLD one on delete).
create function bump_room_info_updates() returns trigger
language plpgsql as $$
declare
    room_id bigint;
begin
    if tg_op = 'DELETE' then
        room_id := old.room;
    else
        room_id := new.room;
    end if;
    update rooms set info_updates = info_updates + 1 where id = room_id;
    return null;
end;
$$;

-- Room moderator list: a grant added, changed or removed. A visibility change alone does not
-- count, as in the reference server.
create trigger user_permission_overrides_info_insert
    after insert on user_permission_overrides
    for each row
    when (new.moderator or new.admin)
    execute function bump_room_info_updates();

create trigger user_permission_overrides_info_update
    after update of moderator, admin on user_permission_overrides
    for each row
    when (new.moderator is distinct from old.moderator or new.admin is distinct from old.admin)
    execute function bump_room_info_updates();

create trigger user_permission_overrides_info_delete
    after delete on user_permission_overrides
    for each row
    when (old.moderator or old.admin)
    execute function bump_room_info_updates();

-- Pins: pinning, re-pinning (which moves the pin to the end) and unpinning.
create trigger pinned_messages_info_change
    after insert or update or delete on pinned_messages
    for each row execute function bump_room_info_updates();

-- Global moderators appear in every room's moderator list, so a change to one raises every
-- room. Here visibility does count (it moves the user between the public and hidden lists of
-- every room without a room grant), hidden global moderators included.
create function bump_all_rooms_info_updates() returns trigger
language plpgsql as $$
begin
    update rooms set info_updates = info_updates + 1;
    return null;
end;
$$;

create trigger users_info_insert
    after insert on users
    for each row
    when (new.moderator or new.admin)
    execute function bump_all_rooms_info_updates();

create trigger users_info_update
    after update of moderator, admin, visible_mod on users
    for each row
    when (new.moderator is distinct from old.moderator
          or new.admin is distinct from old.admin
          or new.visible_mod is distinct from old.visible_mod)
    execute function bump_all_rooms_info_updates();

create trigger users_info_delete
    after delete on users
    for each row
    when (old.moderator or old.admin)
    execute function bump_all_rooms_info_updates();
