-- Reactions in the message sequence: every single reaction added or removed takes one value of
-- the room's message sequence and stamps it on the message as seqno_reactions, so pollers see
-- the message again with its new reaction counts.

-- Shared by the insert and delete triggers below.
create function user_reactions_bump_seqno() returns trigger
language plpgsql as $$
declare
    reaction_id bigint;
    msg_id bigint;
    room_id bigint;
begin
    if tg_op = 'DELETE' then
        reaction_id := old.reaction;
    else
        reaction_id := new.reaction;
    end if;

    -- Lock the message row before the room row. An edit takes them in that order (its UPDATE
    -- holds the message, then its trigger raises the room counter); taking them the other way
    -- round here could deadlock against it.
    select m.id, m.room into msg_id, room_id
    from reactions r
    join messages m on m.id = r.message
    where r.id = reaction_id
    for no key update of m;

    -- Not found when the reaction goes because its message or room is being deleted
    -- (cascade): there is then nothing left to renumber.
    if found then
        update messages set seqno_reactions = bump_message_sequence(room_id)
        where id = msg_id;
    end if;

    if tg_op = 'DELETE' then
        return old;
    end if;
    return null;
end;
$$;

-- AFTER INSERT, so that `insert ... on conflict do nothing` on a duplicate reaction costs
-- nothing (BEFORE INSERT triggers fire even for rows the conflict then skips).
create trigger user_reactions_insert_seqno
    after insert on user_reactions
    for each row execute function user_reactions_bump_seqno();

-- BEFORE DELETE, so it runs for each row as it is deleted, while the reactions row still
-- exists; an AFTER trigger would run only once the whole statement is done, when
-- user_reactions_delete_unused may already have removed the reactions row for an earlier
-- reactor of the same emoji, and the later reactors' removals would go uncounted.
create trigger user_reactions_delete_seqno
    before delete on user_reactions
    for each row execute function user_reactions_bump_seqno();

-- A reaction nobody holds any more is removed, so that adding it again puts it at the end of
-- the message's reaction order (the order is by reactions.id).
create function user_reactions_delete_unused() returns trigger
language plpgsql as $$
begin
    delete from reactions r
    where r.id = old.reaction
      and not exists (select 1 from user_reactions ur where ur.reaction = old.reaction);
    return null;
end;
$$;

create trigger user_reactions_delete_unused
    after delete on user_reactions
    for each row execute function user_reactions_delete_unused();

-- An UPDATE would change reactions without going through the counting above, so both tables
-- accept only inserts and deletes.
create function reactions_forbid_update() returns trigger
language plpgsql as $$
begin
    raise exception '% rows cannot be updated; delete and insert instead', tg_table_name
        using errcode = 'feature_not_supported';
end;
$$;

create trigger reactions_forbid_update
    before update on reactions
    for each statement execute function reactions_forbid_update();

create trigger user_reactions_forbid_update
    before update on user_reactions
    for each statement execute function reactions_forbid_update();
