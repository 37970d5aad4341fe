-- Cache invalidation: every change to what server processes keep in memory is announced on the
-- channel `sogs_cache` from the transaction that makes it (delivered at commit), whoever makes
-- it: any server process, sogs-admin, the cleanup task, or psql. Payloads:
--   r<room>              a room row changed or was deleted (reload it)
--   d<room>              a room's default permissions changed (reload it and every caller's
--                        permissions in it)
--   s<room>:<sequence>   only the room's message_sequence moved (posts, edits, reactions)
--   u<user>              a user's identity or global flags changed, or the user was deleted
--   p<room>:<user>       a user's permission override in a room changed
--   i<recipient>:<sender> a direct message was stored or deleted
-- PostgreSQL delivers identical payloads of one transaction once, so bulk changes stay cheap.

create function rooms_notify_cache() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('sogs_cache', 'r' || old.id);
    elsif (old.read, old.accessible, old.write, old.upload)
          is distinct from (new.read, new.accessible, new.write, new.upload) then
        perform pg_notify('sogs_cache', 'd' || new.id);
    elsif to_jsonb(old) - 'message_sequence' = to_jsonb(new) - 'message_sequence' then
        if old.message_sequence <> new.message_sequence then
            perform pg_notify('sogs_cache', 's' || new.id || ':' || new.message_sequence);
        end if;
    else
        perform pg_notify('sogs_cache', 'r' || new.id);
    end if;
    return null;
end $$;

create trigger rooms_notify_cache
    after update or delete on rooms
    for each row execute function rooms_notify_cache();

create function users_notify_cache() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE'
       or (old.session_id, old.canonical_id, old.banned, old.moderator, old.admin, old.visible_mod)
          is distinct from
          (new.session_id, new.canonical_id, new.banned, new.moderator, new.admin, new.visible_mod)
    then
        perform pg_notify('sogs_cache', 'u' || old.id);
    end if;
    return null;
end $$;

create trigger users_notify_cache
    after update of session_id, canonical_id, banned, moderator, admin, visible_mod or delete
    on users
    for each row execute function users_notify_cache();

create function overrides_notify_cache() returns trigger
language plpgsql as $$
declare
    changed user_permission_overrides;
begin
    changed := case when tg_op = 'DELETE' then old else new end;
    perform pg_notify('sogs_cache', 'p' || changed.room || ':' || changed."user");
    if tg_op = 'UPDATE' and (old.room, old."user") is distinct from (new.room, new."user") then
        perform pg_notify('sogs_cache', 'p' || old.room || ':' || old."user");
    end if;
    return null;
end $$;

create trigger overrides_notify_cache
    after insert or update or delete on user_permission_overrides
    for each row execute function overrides_notify_cache();

create function inbox_notify_cache() returns trigger
language plpgsql as $$
declare
    changed inbox;
begin
    changed := case when tg_op = 'DELETE' then old else new end;
    perform pg_notify('sogs_cache', 'i' || changed.recipient || ':' || changed.sender);
    return null;
end $$;

create trigger inbox_notify_cache
    after insert or delete on inbox
    for each row execute function inbox_notify_cache();
