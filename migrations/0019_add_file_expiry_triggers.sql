-- File lifetimes that follow from changes elsewhere. The cleanup task deletes files whose
-- expiry has passed; these triggers only set expiry (0 = delete at the next cleanup,
-- NULL = keep for ever), so no writer can leave an orphaned or wrongly kept upload behind.

-- A replaced or removed room picture is no longer referenced by anything.
create function rooms_expire_old_image() returns trigger
language plpgsql as $$
begin
    update files set expiry = 0 where id = old.image;
    return null;
end;
$$;

create trigger rooms_expire_old_image
    after update of image on rooms
    for each row
    when (old.image is not null and new.image is distinct from old.image)
    execute function rooms_expire_old_image();

-- files.room becomes NULL only through files_room_fkey's "on delete set null" when the room
-- is deleted; its uploads must go too. Set in the row being written (BEFORE), not by a
-- second update.
create function files_expire_roomless() returns trigger
language plpgsql as $$
begin
    new.expiry := 0;
    return new;
end;
$$;

create trigger files_expire_roomless
    before update of room on files
    for each row
    when (new.room is null and old.room is not null)
    execute function files_expire_roomless();

-- Pinned posts keep their attachments for as long as they stay pinned.
create function pinned_messages_keep_files() returns trigger
language plpgsql as $$
begin
    update files set expiry = null where message = new.message;
    return null;
end;
$$;

create trigger pinned_messages_keep_files
    after insert or update on pinned_messages
    for each row execute function pinned_messages_keep_files();

-- Unpinning gives the attachments the standard lifetime again, counted from the upload (the
-- 15 days are fixed here, as in the reference server). Only files the pin made permanent are
-- touched: files already marked for deletion (post deleted, room deleted) stay that way
-- whatever order the cascades run in.
create function pinned_messages_release_files() returns trigger
language plpgsql as $$
begin
    update files set expiry = uploaded + 15 * 86400
    where message = old.message and expiry is null;
    return null;
end;
$$;

create trigger pinned_messages_release_files
    after delete on pinned_messages
    for each row execute function pinned_messages_release_files();
