-- Deleting a post means setting its data (and data_size, signature) to NULL, which leaves a
-- tombstone that pollers learn about. This trigger does the rest of a deletion, in the same
-- statement, for every writer: it unpins the post, expires its attachments and removes its
-- reactions.
--
-- Order of effects: the deletion's own sequence value is taken first (BEFORE trigger in
-- 0016), then each removed reaction takes one more (0017). A deletion of a post with k
-- reactions thus advances the room sequence by 1 + k, seqno_data holds the first of those
-- values and seqno (= seqno_reactions when k > 0) the last, as in the reference server.
create function messages_tombstone() returns trigger
language plpgsql as $$
begin
    -- Unpin before expiring the files: unpinning gives them a 15-day expiry (0019) and the
    -- next statement must have the last word.
    delete from pinned_messages where room = new.room and message = new.id;

    -- 0 = already expired: the cleanup task deletes them within seconds
    update files set expiry = 0 where message = new.id;

    delete from user_reactions
    where reaction in (select r.id from reactions r where r.message = new.id);

    return null;
end;
$$;

create trigger messages_tombstone
    after update of data on messages
    for each row
    when (old.data is not null and new.data is null)
    execute function messages_tombstone();
