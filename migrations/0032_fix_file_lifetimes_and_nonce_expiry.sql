-- Three fixes found in review.
--
-- 1. Nonces must outlive the whole timestamp window. A request stamped T is accepted from
--    T-24h to T+24h; a nonce first seen at T-24h and kept only 24 h could be replayed from T
--    on. Kept 48 h, a nonce is remembered for as long as any request carrying it is accepted.
alter table user_request_nonces
    alter column expiry set default extract(epoch from now() + interval '48 hours');

-- 2. Unpinning no longer sets a fixed 15-day lifetime in SQL: the application applies the
--    configured attachment lifetime (`[files] expiry_days`, 0 = never) in the same
--    transaction (server/src/storage/pins.rs).
drop trigger pinned_messages_release_files on pinned_messages;
drop function pinned_messages_release_files();

-- 3. Deleting a post never expires the room image, even when the image was also one of the
--    post's attachments.
create or replace function messages_tombstone() returns trigger
language plpgsql as $$
begin
    delete from pinned_messages where room = new.room and message = new.id;

    -- 0 = already expired: the cleanup task deletes them within seconds
    update files set expiry = 0
    where message = new.id
      and id is distinct from (select image from rooms where id = new.room);

    delete from user_reactions
    where reaction in (select r.id from reactions r where r.message = new.id);

    return null;
end;
$$;
