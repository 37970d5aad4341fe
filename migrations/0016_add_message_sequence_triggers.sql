-- Message sequence numbers, maintained in the database so that every writer (any number of
-- server processes, the admin CLI) gets the same numbering atomically with its write.
--
-- rooms.message_sequence is a per-room counter, raised by one for each new message, each edit,
-- each deletion and each single reaction added or removed (0017). The raised value is stamped
-- on the message: seqno_creation and seqno_data at insert, seqno_data on a content change,
-- seqno_reactions on a reaction change; seqno, which pollers compare against, is the greater
-- of seqno_data and seqno_reactions.
--
-- Raising the counter is an UPDATE of the room row, so concurrent writers in one room are
-- serialised until commit and the numbers are handed out without gaps or duplicates (a
-- rolled-back write gives its number back with it).

-- Raises a room's message sequence and returns the new value, or NULL if the room does not
-- exist.
create function bump_message_sequence(room_id bigint) returns bigint
language plpgsql as $$
declare
    seq bigint;
begin
    update rooms set message_sequence = message_sequence + 1
    where id = room_id
    returning message_sequence into seq;
    return seq;
end;
$$;

-- A BEFORE trigger sets the new values in the row being written, rather than re-updating it
-- afterwards, so that `insert ... returning seqno` and `update ... returning seqno` already see
-- the final numbers and each write is one row version. It runs for every update so seqno also
-- follows the seqno_reactions changes made by the reaction triggers.
create function messages_assign_seqno() returns trigger
language plpgsql as $$
declare
    seq bigint;
begin
    if tg_op = 'INSERT' then
        seq := bump_message_sequence(new.room);
        -- with no such room, leave the row alone so messages_room_fkey reports the problem
        if seq is not null then
            new.seqno_data := seq;
            new.seqno_creation := seq;
        end if;
    elsif new.data is distinct from old.data then
        -- an edit, or a deletion (data set to NULL): one new sequence value, and the time
        -- clients show as "edited"
        seq := bump_message_sequence(new.room);
        new.seqno_data := seq;
        new.edited := extract(epoch from now());
    end if;
    new.seqno := greatest(new.seqno_data, new.seqno_reactions);
    return new;
end;
$$;

-- Note: a BEFORE INSERT trigger fires even for a row that `on conflict do nothing` then
-- skips; messages are never inserted that way.
create trigger messages_assign_seqno
    before insert or update on messages
    for each row execute function messages_assign_seqno();

-- Keep the replaced content of every edit and deletion for moderators and audits. A row whose
-- data was already NULL has nothing to keep.
create function messages_record_history() returns trigger
language plpgsql as $$
begin
    insert into message_history (message, data, signature)
    values (old.id, old.data, old.signature);
    return null;
end;
$$;

create trigger messages_record_history
    after update of data on messages
    for each row
    when (old.data is not null and new.data is distinct from old.data)
    execute function messages_record_history();
