-- Exercises every behaviour that the migrations implement in triggers and views, against a
-- database that has all of migrations/ applied:
--
--   psql -X -v ON_ERROR_STOP=1 -d <db> -f server/tests/sql/triggers_check.sql
--
-- It creates its own rooms and users, asserts with plpgsql `assert` (any failure aborts with
-- a message naming the check), and runs in one transaction that is rolled back, so it leaves
-- no trace and can run against any database with the schema, even a non-empty one.

\set ON_ERROR_STOP on
set client_min_messages = warning;
begin;

-- ---------------------------------------------------------------------------------------------
-- helpers (temporary schema: gone with the session)

-- a lower-case 66-hex-digit id that real Session ids will not collide with
create function pg_temp.sid(name text) returns text language sql
as $$ select '99' || md5(name) || md5(name) $$;

create function pg_temp.uid(name text) returns bigint language sql
as $$ select id from users where session_id = pg_temp.sid(name) $$;

create function pg_temp.rid(tok text) returns bigint language sql
as $$ select id from rooms where lower(token) = lower(tok) $$;

create function pg_temp.seq(tok text) returns bigint language sql
as $$ select message_sequence from rooms where lower(token) = lower(tok) $$;

create function pg_temp.info(tok text) returns bigint language sql
as $$ select info_updates from rooms where lower(token) = lower(tok) $$;

create function pg_temp.sig() returns bytea language sql
as $$ select decode(repeat('ab', 64), 'hex') $$;

create function pg_temp.post(tok text, who text, body text) returns bigint language sql
as $$
    insert into messages (room, "user", data, data_size, signature)
    values (pg_temp.rid(tok), pg_temp.uid(who), convert_to(body, 'UTF8'),
            octet_length(convert_to(body, 'UTF8')), pg_temp.sig())
    returning id
$$;

create function pg_temp.react(msg bigint, who text, emoji text) returns void language sql
as $$
    insert into reactions (message, reaction) values (msg, emoji) on conflict do nothing;
    insert into user_reactions (reaction, "user")
    select id, pg_temp.uid(who) from reactions where message = msg and reaction = emoji;
$$;

create function pg_temp.unreact(msg bigint, who text, emoji text) returns void language sql
as $$
    delete from user_reactions
    where "user" = pg_temp.uid(who)
      and reaction = (select id from reactions where message = msg and reaction = emoji);
$$;

create function pg_temp.upload(tok text, who text, msg bigint) returns bigint language sql
as $$
    insert into files (room, uploader, message, size, filename, content)
    values (pg_temp.rid(tok), pg_temp.uid(who), msg, 3, 'f.bin', '\x010203'::bytea)
    returning id
$$;

-- Runs `stmt`, which must fail on the named constraint (or, when cname is NULL, with the
-- given SQLSTATE).
create function pg_temp.expect_error(stmt text, cname text, state text default null)
returns void language plpgsql as $$
declare
    got_constraint text;
    got_state text;
    got_message text;
begin
    begin
        execute stmt;
    exception when others then
        get stacked diagnostics got_constraint = constraint_name,
                                got_state = returned_sqlstate,
                                got_message = message_text;
        if cname is not null then
            assert got_constraint = cname,
                format('%s: expected constraint %s, got %s (%s)', stmt, cname, got_constraint,
                       got_message);
        else
            assert got_state = state,
                format('%s: expected sqlstate %s, got %s (%s)', stmt, state, got_state,
                       got_message);
        end if;
        return;
    end;
    raise exception 'statement did not fail: %', stmt;
end;
$$;

-- ---------------------------------------------------------------------------------------------
-- fixtures

insert into users (session_id)
select pg_temp.sid(n) from unnest(array['alice', 'bob', 'carol', 'dave', 'erin']) n;

insert into rooms (token, name) values ('TrigCheck-A', 'Room A'), ('trigcheck_b', 'Room B');

-- ---------------------------------------------------------------------------------------------
-- 0. tables: names, checks, identities

do $$
declare
    new_id bigint;
begin
    -- the token rule and case-insensitive uniqueness, under their names
    perform pg_temp.expect_error($q$insert into rooms (token, name) values ('bad token', 'x')$q$,
                                 'rooms_token_check');
    perform pg_temp.expect_error($q$insert into rooms (token, name) values ('', 'x')$q$,
                                 'rooms_token_check');
    perform pg_temp.expect_error(
        format('insert into rooms (token, name) values (%L, %L)', repeat('a', 65), 'x'),
        'rooms_token_check');
    perform pg_temp.expect_error($q$insert into rooms (token, name) values ('TRIGCHECK-a', 'x')$q$,
                                 'rooms_token_key');
    assert pg_temp.rid('trigcheck-a') = pg_temp.rid('TRIGCHECK-A'), 'lower(token) lookup';

    -- session ids are stored lower-case and unique
    perform pg_temp.expect_error(
        format('insert into users (session_id, canonical_id) values (%L, %L)',
               upper(pg_temp.sid('zed')), pg_temp.sid('zed')),
        'users_session_id_check');
    perform pg_temp.expect_error(
        format('insert into users (session_id) values (%L)', pg_temp.sid('alice')),
        'users_session_id_key');

    -- row 0 (the system user) can be written explicitly, and generated ids start above it
    if not exists (select 1 from users where id = 0) then
        insert into users (id, session_id, moderator, admin, visible_mod)
        values (0, 'ff' || md5('system') || md5('system'), true, true, false);
    end if;
    insert into users (id, session_id, moderator, admin, visible_mod)
    values (0, 'ff' || md5('system') || md5('system'), true, true, false)
    on conflict (id) do update set moderator = true, admin = true, visible_mod = false;
    insert into users (session_id) values (pg_temp.sid('fresh')) returning id into new_id;
    assert new_id >= 1, 'generated user id must not be 0';
    delete from users where id = new_id;

    -- mods and admins cannot be banned (globally or per room)
    perform pg_temp.expect_error(
        format('update users set banned = true, moderator = true where id = %s',
               pg_temp.uid('erin')),
        'users_banned_not_mod_check');
    perform pg_temp.expect_error(
        format('insert into user_permission_overrides (room, "user", banned, admin) values (%s, %s, true, true)',
               pg_temp.rid('trigcheck-a'), pg_temp.uid('erin')),
        'user_permission_overrides_banned_not_mod_check');

    -- a message in a missing room fails on the room key, not on a trigger side effect
    perform pg_temp.expect_error(
        format('insert into messages (room, "user", data, data_size, signature) values (-1, %s, %L, 1, %L)',
               pg_temp.uid('alice'), '\x01', pg_temp.sig()),
        'messages_room_fkey');
    perform pg_temp.expect_error(
        format('insert into messages (room, "user", data, data_size, signature) values (%s, %s, %L, 1, %L)',
               pg_temp.rid('trigcheck-a'), pg_temp.uid('alice'), '\x01', '\x0102'),
        'messages_signature_check');

    -- file size must match the stored bytes
    perform pg_temp.expect_error(
        format('insert into files (room, uploader, size, content) values (%s, %s, 5, %L)',
               pg_temp.rid('trigcheck-a'), pg_temp.uid('alice'), '\x01'),
        'files_size_check');

    -- a nonce can be used once, by anyone
    insert into user_request_nonces ("user", nonce) values (pg_temp.uid('alice'), '\xdeadbeef');
    perform pg_temp.expect_error(
        format('insert into user_request_nonces ("user", nonce) values (%s, %L)',
               pg_temp.uid('bob'), '\xdeadbeef'),
        'user_request_nonces_nonce_key');
    assert (select expiry - extract(epoch from now()) from user_request_nonces
            where nonce = '\xdeadbeef') = 2 * 86400, 'nonce expiry default is 48 h (0032)';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 1. message insert: sequence + 1, seqno_data = seqno_creation = seqno = new value

do $$
declare
    s bigint := pg_temp.seq('trigcheck-a');
    m bigint;
    r record;
    returned bigint;
begin
    m := pg_temp.post('trigcheck-a', 'alice', 'hello');
    assert pg_temp.seq('trigcheck-a') = s + 1, 'insert raises message_sequence by 1';
    select * into r from messages where id = m;
    assert r.seqno_data = s + 1 and r.seqno_creation = s + 1 and r.seqno = s + 1,
        format('insert stamps seqno_data/creation/seqno: %s', row_to_json(r));
    assert r.seqno_reactions = 0 and r.edited is null, 'fresh message: no reactions, not edited';

    -- RETURNING already sees the final numbers
    insert into messages (room, "user", data, data_size, signature)
    values (pg_temp.rid('trigcheck-a'), pg_temp.uid('bob'), '\x02', 1, pg_temp.sig())
    returning seqno into returned;
    assert returned = s + 2, 'insert ... returning seqno gives the final value';

    -- the other room's counter is independent
    assert pg_temp.seq('trigcheck_b') = 0, 'other room untouched';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 2. data change: history row, sequence + 1, seqno_data, edited;
-- 3. seqno = greatest(seqno_data, seqno_reactions)

do $$
declare
    m bigint := pg_temp.post('trigcheck-a', 'alice', 'first');
    s bigint := pg_temp.seq('trigcheck-a');
    created bigint;
    r record;
    h record;
    returned bigint;
begin
    select seqno_creation into created from messages where id = m;

    update messages set data = 'second', data_size = 6, signature = decode(repeat('cd', 64), 'hex')
    where id = m
    returning seqno into returned;
    assert pg_temp.seq('trigcheck-a') = s + 1, 'edit raises message_sequence by 1';
    select * into r from messages where id = m;
    assert r.seqno_data = s + 1 and r.seqno = s + 1 and returned = s + 1, 'edit stamps seqno_data';
    assert r.seqno_creation = created, 'seqno_creation never changes';
    assert r.edited is not null, 'edit sets edited';

    select * into strict h from message_history where message = m;
    assert h.data = convert_to('first', 'UTF8') and h.signature = pg_temp.sig(),
        'history keeps the replaced data and signature';

    -- an update that does not change data is not an edit
    update messages set data = 'second', filtered = false where id = m;
    assert pg_temp.seq('trigcheck-a') = s + 1, 'same data: no bump';
    assert (select count(*) from message_history where message = m) = 1, 'same data: no history';

    -- seqno follows the larger of the two
    perform pg_temp.react(m, 'bob', '👍');
    select * into r from messages where id = m;
    assert r.seqno_reactions = s + 2 and r.seqno_data = s + 1 and r.seqno = s + 2,
        format('seqno = greatest (reaction newer): %s', row_to_json(r));
    update messages set data = 'third' where id = m;
    select * into r from messages where id = m;
    assert r.seqno_data = s + 3 and r.seqno_reactions = s + 2 and r.seqno = s + 3,
        format('seqno = greatest (data newer): %s', row_to_json(r));
end $$;

-- ---------------------------------------------------------------------------------------------
-- 4. reactions: each add/remove costs one sequence value and stamps seqno_reactions;
-- 5. a reaction with no reactors left is deleted; no UPDATEs

do $$
declare
    m bigint := pg_temp.post('trigcheck-a', 'carol', 'react to me');
    s bigint := pg_temp.seq('trigcheck-a');
    r record;
    first_id bigint;
    n bigint;
begin
    perform pg_temp.react(m, 'alice', '👍');
    assert pg_temp.seq('trigcheck-a') = s + 1, 'reaction add: +1';
    select * into r from messages where id = m;
    assert r.seqno_reactions = s + 1 and r.seqno = s + 1, 'reaction add stamps seqno_reactions';

    -- a duplicate skipped by on conflict costs nothing; a plain duplicate fails on the key
    insert into user_reactions (reaction, "user")
    select id, pg_temp.uid('alice') from reactions where message = m and reaction = '👍'
    on conflict do nothing;
    assert pg_temp.seq('trigcheck-a') = s + 1, 'skipped duplicate: no bump';
    perform pg_temp.expect_error(
        format('insert into user_reactions (reaction, "user") select id, %s from reactions where message = %s',
               pg_temp.uid('alice'), m),
        'user_reactions_pkey');

    perform pg_temp.react(m, 'bob', '👍');
    perform pg_temp.react(m, 'carol', '👍');
    perform pg_temp.react(m, 'bob', '🎉');
    assert pg_temp.seq('trigcheck-a') = s + 4, 'every reactor counts';
    select id into first_id from reactions where message = m and reaction = '👍';

    perform pg_temp.unreact(m, 'alice', '👍');
    assert pg_temp.seq('trigcheck-a') = s + 5, 'reaction remove: +1';
    select * into r from messages where id = m;
    assert r.seqno_reactions = s + 5 and r.seqno = s + 5, 'reaction remove stamps seqno_reactions';
    assert exists (select 1 from reactions where id = first_id), 'reaction kept while reactors remain';

    -- two reactors of one emoji removed in one statement: two bumps, and the row goes
    delete from user_reactions where reaction = first_id;
    assert pg_temp.seq('trigcheck-a') = s + 7,
        format('multi-row delete counts each row: %s', pg_temp.seq('trigcheck-a') - s);
    assert not exists (select 1 from reactions where id = first_id), 'empty reaction deleted';
    assert exists (select 1 from reactions where message = m and reaction = '🎉'), 'others kept';

    -- re-adding puts it after the remaining reaction
    perform pg_temp.react(m, 'alice', '👍');
    assert (select reaction from reactions where message = m order by id desc limit 1) = '👍',
        're-added reaction goes to the end';

    -- no updates of either table
    perform pg_temp.expect_error(format('update reactions set reaction = %L where message = %s', 'x', m),
                                 null, '0A000');
    perform pg_temp.expect_error(format('update user_reactions set at = 0 where "user" = %s', pg_temp.uid('alice')),
                                 null, '0A000');

    -- deleting a reactor user counts their removals too
    n := pg_temp.seq('trigcheck-a');
    delete from users where id = pg_temp.uid('erin');  -- no reactions: nothing happens
    assert pg_temp.seq('trigcheck-a') = n, 'deleting a user without reactions';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 6. deletion (data := NULL): unpin, expire files, remove reactions; 1 + k sequence values

do $$
declare
    m bigint := pg_temp.post('trigcheck-a', 'dave', 'doomed');
    keep bigint := pg_temp.post('trigcheck-a', 'dave', 'survivor');
    f1 bigint := pg_temp.upload('trigcheck-a', 'dave', m);
    f2 bigint := pg_temp.upload('trigcheck-a', 'dave', m);
    f3 bigint := pg_temp.upload('trigcheck-a', 'dave', keep);
    s bigint;
    i bigint;
    r record;
    returned bigint;
begin
    perform pg_temp.react(m, 'alice', '👍');
    perform pg_temp.react(m, 'bob', '👍');
    perform pg_temp.react(m, 'carol', '❤');
    perform pg_temp.react(keep, 'carol', '❤');
    insert into pinned_messages (room, message, pinned_by) values (pg_temp.rid('trigcheck-a'), m, pg_temp.uid('bob'));

    s := pg_temp.seq('trigcheck-a');
    i := pg_temp.info('trigcheck-a');
    update messages set data = null, data_size = null, signature = null where id = m
    returning seqno into returned;

    assert pg_temp.seq('trigcheck-a') = s + 1 + 3,
        format('deletion with 3 reactions: +4, got +%s', pg_temp.seq('trigcheck-a') - s);
    select * into r from messages where id = m;
    assert r.seqno_data = s + 1, format('seqno_data is the deletion''s own value: %s', row_to_json(r));
    assert r.seqno_reactions = s + 4 and r.seqno = s + 4, format('seqno is the last value: %s', row_to_json(r));
    assert returned = s + 1, 'returning sees the row before the AFTER triggers ran';
    assert r.edited is not null, 'deletion sets edited';
    assert (select count(*) from message_history where message = m) = 1, 'deletion recorded in history';

    assert not exists (select 1 from pinned_messages where message = m), 'deletion unpins';
    assert pg_temp.info('trigcheck-a') = i + 1, 'the unpin raised info_updates';
    assert (select expiry from files where id = f1) = 0 and (select expiry from files where id = f2) = 0,
        'deletion expires the attachments';
    assert (select expiry from files where id = f3) > 0, 'other message''s file untouched';
    assert not exists (select 1 from reactions where message = m), 'deletion removes reactions';
    assert exists (select 1 from reactions where message = keep), 'other message''s reactions kept';

    -- deleting a tombstone again changes nothing
    update messages set data = null, data_size = null, signature = null where id = m;
    assert pg_temp.seq('trigcheck-a') = s + 4, 'second deletion: no bump';
    assert (select count(*) from message_history where message = m) = 1, 'second deletion: no history';

    -- without reactions a deletion costs exactly one value
    m := pg_temp.post('trigcheck-a', 'dave', 'plain');
    s := pg_temp.seq('trigcheck-a');
    update messages set data = null, data_size = null, signature = null where id = m;
    assert pg_temp.seq('trigcheck-a') = s + 1, 'deletion without reactions: +1';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 7. room image change expires the old image (and raises info_updates)

do $$
declare
    img1 bigint := pg_temp.upload('trigcheck-a', 'alice', null);
    img2 bigint := pg_temp.upload('trigcheck-a', 'alice', null);
    i bigint := pg_temp.info('trigcheck-a');
begin
    update files set expiry = null where id in (img1, img2);  -- as the app does for a room image

    update rooms set image = img1 where id = pg_temp.rid('trigcheck-a');
    assert pg_temp.info('trigcheck-a') = i + 1, 'setting an image raises info_updates';
    assert (select expiry from files where id = img1) is null, 'new image kept';

    update rooms set image = img2 where id = pg_temp.rid('trigcheck-a');
    assert (select expiry from files where id = img1) = 0, 'replaced image expires';
    assert (select expiry from files where id = img2) is null, 'new image kept';
    assert pg_temp.info('trigcheck-a') = i + 2, 'replacing an image raises info_updates';

    update rooms set image = null where id = pg_temp.rid('trigcheck-a');
    assert (select expiry from files where id = img2) = 0, 'removed image expires';

    -- deleting the image file just clears the picture
    update rooms set image = img1 where id = pg_temp.rid('trigcheck-a');
    delete from files where id = img1;
    assert (select image from rooms where id = pg_temp.rid('trigcheck-a')) is null, 'image fk set null';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 8. files.room set to NULL expires the file; deleting a whole room works

do $$
declare
    f bigint := pg_temp.upload('trigcheck_b', 'alice', null);
    m bigint;
    attached bigint;
    loose bigint;
    b bigint := pg_temp.rid('trigcheck_b');
begin
    update files set room = null where id = f;
    assert (select expiry from files where id = f) = 0, 'roomless file expires';

    -- a populated room: messages, reactions, a pin with permanent files, overrides, activity
    m := pg_temp.post('trigcheck_b', 'alice', 'in b');
    attached := pg_temp.upload('trigcheck_b', 'alice', m);
    loose := pg_temp.upload('trigcheck_b', 'alice', null);
    perform pg_temp.react(m, 'bob', '👍');
    insert into pinned_messages (room, message, pinned_by) values (b, m, pg_temp.uid('alice'));
    insert into user_permission_overrides (room, "user", moderator) values (b, pg_temp.uid('carol'), true);
    insert into room_users (room, "user") values (b, pg_temp.uid('bob'));
    update rooms set image = loose where id = b;

    delete from rooms where id = b;
    assert not exists (select 1 from messages where id = m), 'messages cascade';
    assert (select room from files where id = attached) is null
       and (select expiry from files where id = attached) = 0, 'pinned attachment expires with its room';
    assert (select expiry from files where id = loose) = 0, 'room files expire with the room';
    assert not exists (select 1 from user_permission_overrides where room = b), 'overrides cascade';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 9. admin implies moderator (users and overrides)

do $$
declare
    a bigint := pg_temp.rid('trigcheck-a');
begin
    insert into users (session_id, admin) values (pg_temp.sid('boss'), true);
    assert (select moderator from users where id = pg_temp.uid('boss')), 'users insert: admin => mod';
    update users set admin = false, moderator = false where id = pg_temp.uid('boss');
    update users set admin = true where id = pg_temp.uid('boss');
    assert (select moderator from users where id = pg_temp.uid('boss')), 'users update: admin => mod';
    update users set moderator = false where id = pg_temp.uid('boss');
    assert (select moderator from users where id = pg_temp.uid('boss')), 'cannot drop mod while admin';
    delete from users where id = pg_temp.uid('boss');

    insert into user_permission_overrides (room, "user", admin) values (a, pg_temp.uid('bob'), true);
    assert (select moderator from user_permission_overrides where room = a and "user" = pg_temp.uid('bob')),
        'overrides insert: admin => mod';
    update user_permission_overrides set admin = false, moderator = false
    where room = a and "user" = pg_temp.uid('bob');
    assert not exists (select 1 from user_permission_overrides where room = a and "user" = pg_temp.uid('bob')),
        'demoted to nothing: row removed';

    -- the upsert shape the app uses
    insert into user_permission_overrides (room, "user", write) values (a, pg_temp.uid('bob'), false);
    insert into user_permission_overrides (room, "user", admin) values (a, pg_temp.uid('bob'), true)
    on conflict (room, "user") do update set admin = excluded.admin;
    assert (select moderator and admin from user_permission_overrides
            where room = a and "user" = pg_temp.uid('bob')), 'overrides upsert: admin => mod';
    delete from user_permission_overrides where room = a and "user" = pg_temp.uid('bob');
end $$;

-- ---------------------------------------------------------------------------------------------
-- 10. empty override rows are deleted after an update; 11. a ban clears room activity

do $$
declare
    a bigint := pg_temp.rid('trigcheck-a');
    d bigint := pg_temp.uid('dave');
    c bigint := pg_temp.uid('carol');
begin
    -- ban through an insert (no prior row): activity row goes
    insert into room_users (room, "user") values (a, d);
    insert into user_permission_overrides (room, "user", banned) values (a, d, true);
    assert not exists (select 1 from room_users where room = a and "user" = d), 'ban (insert) clears activity';

    -- unban: the row is now empty and disappears
    update user_permission_overrides set banned = false where room = a and "user" = d;
    assert not exists (select 1 from user_permission_overrides where room = a and "user" = d),
        'unbanned empty row deleted';

    -- ban through an update of an existing row: activity row goes, the row stays (write = false)
    insert into user_permission_overrides (room, "user", write) values (a, c, false);
    insert into room_users (room, "user") values (a, c);
    update user_permission_overrides set banned = true where room = a and "user" = c;
    assert not exists (select 1 from room_users where room = a and "user" = c), 'ban (update) clears activity';
    update user_permission_overrides set banned = false where room = a and "user" = c;
    assert exists (select 1 from user_permission_overrides where room = a and "user" = c),
        'row with a permission left is kept';
    update user_permission_overrides set write = null where room = a and "user" = c;
    assert not exists (select 1 from user_permission_overrides where room = a and "user" = c),
        'permission back to default: row deleted';

    -- an update that sets nothing but visible_mod on a non-mod row still counts as empty
    insert into user_permission_overrides (room, "user", upload) values (a, c, false);
    update user_permission_overrides set upload = null, visible_mod = false where room = a and "user" = c;
    assert not exists (select 1 from user_permission_overrides where room = a and "user" = c),
        'visible_mod alone does not keep a row';
end $$;

-- ---------------------------------------------------------------------------------------------
-- 12. info_updates

do $$
declare
    a bigint := pg_temp.rid('trigcheck-a');
    i bigint;
    m bigint;
begin
    i := pg_temp.info('trigcheck-a');
    update rooms set name = 'Room A2', description = 'two fields, one bump' where id = a;
    assert pg_temp.info('trigcheck-a') = i + 1, 'name + description in one update: +1';
    update rooms set name = 'Room A2' where id = a;
    assert pg_temp.info('trigcheck-a') = i + 1, 'unchanged name: no bump';
    update rooms set read = false, write = false, accessible = false, upload = false where id = a;
    update rooms set read = true, write = true, accessible = true, upload = true where id = a;
    update rooms set active_users = 42 where id = a;
    m := pg_temp.post('trigcheck-a', 'alice', 'traffic');
    perform pg_temp.react(m, 'bob', '👍');
    assert pg_temp.info('trigcheck-a') = i + 1, 'defaults, active users, messages: no bump';

    -- room grants
    i := pg_temp.info('trigcheck-a');
    insert into user_permission_overrides (room, "user", moderator) values (a, pg_temp.uid('carol'), true);
    assert pg_temp.info('trigcheck-a') = i + 1, 'mod grant insert: +1';
    insert into user_permission_overrides (room, "user", write) values (a, pg_temp.uid('dave'), false);
    assert pg_temp.info('trigcheck-a') = i + 1, 'non-mod override insert: no bump';
    update user_permission_overrides set visible_mod = false where room = a and "user" = pg_temp.uid('carol');
    assert pg_temp.info('trigcheck-a') = i + 1, 'visibility-only change of a room mod: no bump';
    update user_permission_overrides set admin = true where room = a and "user" = pg_temp.uid('carol');
    assert pg_temp.info('trigcheck-a') = i + 2, 'promotion to admin: +1';
    update user_permission_overrides set admin = false, moderator = false
    where room = a and "user" = pg_temp.uid('carol');
    assert pg_temp.info('trigcheck-a') = i + 3, 'demotion (row then removed as empty): +1 only';
    insert into user_permission_overrides (room, "user", admin) values (a, pg_temp.uid('carol'), true);
    assert pg_temp.info('trigcheck-a') = i + 4, 'admin grant insert: +1';
    delete from user_permission_overrides where room = a and "user" = pg_temp.uid('carol');
    assert pg_temp.info('trigcheck-a') = i + 5, 'mod row delete: +1';
    delete from user_permission_overrides where room = a and "user" = pg_temp.uid('dave');
    assert pg_temp.info('trigcheck-a') = i + 5, 'non-mod row delete: no bump';

    -- global grants raise every room
    insert into rooms (token, name) values ('trigcheck-c', 'Room C');
    i := pg_temp.info('trigcheck-a');
    insert into users (session_id, moderator) values (pg_temp.sid('gmod'), true);
    assert pg_temp.info('trigcheck-a') = i + 1 and pg_temp.info('trigcheck-c') = 1,
        'global mod insert raises every room';
    update users set visible_mod = true where id = pg_temp.uid('gmod');
    assert pg_temp.info('trigcheck-a') = i + 2 and pg_temp.info('trigcheck-c') = 2,
        'global visibility change raises every room';
    update users set last_active = last_active + 1, created = created where id = pg_temp.uid('gmod');
    update users set moderator = true where id = pg_temp.uid('gmod');
    assert pg_temp.info('trigcheck-a') = i + 2, 'activity / no-op flag update: no bump';
    update users set admin = true where id = pg_temp.uid('gmod');
    assert pg_temp.info('trigcheck-c') = 3, 'global admin grant: +1';
    insert into users (session_id) values (pg_temp.sid('nobody'));
    assert pg_temp.info('trigcheck-c') = 3, 'plain user insert: no bump';
    delete from users where id = pg_temp.uid('gmod');
    assert pg_temp.info('trigcheck-a') = i + 4 and pg_temp.info('trigcheck-c') = 4,
        'global mod delete raises every room';

    -- pins
    i := pg_temp.info('trigcheck-a');
    insert into pinned_messages (room, message, pinned_by) values (a, m, pg_temp.uid('alice'));
    assert pg_temp.info('trigcheck-a') = i + 1, 'pin: +1';
    insert into pinned_messages (room, message, pinned_by, pinned_at) values (a, m, pg_temp.uid('bob'), 1)
    on conflict (room, message) do update set pinned_by = excluded.pinned_by,
                                              pinned_at = extract(epoch from now());
    assert pg_temp.info('trigcheck-a') = i + 2, 're-pin: +1';
    delete from pinned_messages where room = a and message = m;
    assert pg_temp.info('trigcheck-a') = i + 3, 'unpin: +1';

    -- a pin must point at a message of the same room
    perform pg_temp.expect_error(
        format('insert into pinned_messages (room, message, pinned_by) values (%s, %s, %s)',
               pg_temp.rid('trigcheck-c'), m, pg_temp.uid('alice')),
        'pinned_messages_message_fkey');
end $$;

-- ---------------------------------------------------------------------------------------------
-- 13. pins keep the message's files; unpinning leaves their lifetime to the application (0032)

do $$
declare
    a bigint := pg_temp.rid('trigcheck-a');
    m bigint := pg_temp.post('trigcheck-a', 'alice', 'pin me');
    f1 bigint := pg_temp.upload('trigcheck-a', 'alice', m);
    f2 bigint := pg_temp.upload('trigcheck-a', 'alice', m);
    other bigint := pg_temp.upload('trigcheck-a', 'alice', null);
    other_expiry double precision;
begin
    select expiry into other_expiry from files where id = other;
    update files set uploaded = uploaded - 1000 where id = f1;

    insert into pinned_messages (room, message, pinned_by) values (a, m, pg_temp.uid('alice'));
    assert (select bool_and(expiry is null) from files where message = m), 'pin makes files permanent';
    assert (select expiry from files where id = other) = other_expiry, 'unrelated file untouched';

    update pinned_messages set pinned_at = pinned_at + 1 where room = a and message = m;
    assert (select bool_and(expiry is null) from files where message = m), 're-pin keeps them permanent';

    update files set expiry = 0 where id = f2;  -- already doomed for another reason
    delete from pinned_messages where room = a and message = m;
    assert (select expiry is null from files where id = f1), 'unpin: the application sets the lifetime';
    assert (select expiry from files where id = f2) = 0, 'unpin does not revive an expired file';
end $$;

-- ---------------------------------------------------------------------------------------------
-- views: user_permissions and room_moderators

do $$
declare
    a bigint := pg_temp.rid('trigcheck-a');
    c bigint := pg_temp.rid('trigcheck-c');
    p record;
begin
    insert into users (session_id, moderator, visible_mod) values (pg_temp.sid('ghost'), true, false);
    insert into users (session_id, moderator, visible_mod) values (pg_temp.sid('shown'), true, true);
    -- ghost is hidden globally but shown in room A; shown is visible globally but hidden in A
    insert into user_permission_overrides (room, "user", moderator, visible_mod)
    values (a, pg_temp.uid('ghost'), true, true), (a, pg_temp.uid('shown'), true, false);
    insert into user_permission_overrides (room, "user", moderator, visible_mod)
    values (c, pg_temp.uid('carol'), true, true);
    insert into user_permission_overrides (room, "user", write, banned)
    values (a, pg_temp.uid('dave'), false, true);
    update rooms set read = false where id = c;

    -- defaults, overrides, bans
    select * into strict p from user_permissions where room = a and "user" = pg_temp.uid('alice');
    assert p.read and p.write and p.accessible and p.upload and not p.banned and not p.moderator
       and not p.admin and not p.visible_mod and not p.room_moderator and not p.global_moderator,
        format('plain user gets the defaults: %s', row_to_json(p));
    select * into strict p from user_permissions where room = a and "user" = pg_temp.uid('dave');
    assert p.banned and not p.write and p.read, format('override + ban: %s', row_to_json(p));
    select * into strict p from user_permissions where room = c and "user" = pg_temp.uid('alice');
    assert not p.read and p.write, format('room default read=false: %s', row_to_json(p));

    -- global moderators get everything, room moderators only the role
    select * into strict p from user_permissions where room = c and "user" = pg_temp.uid('ghost');
    assert p.read and p.moderator and p.global_moderator and not p.room_moderator and not p.visible_mod,
        format('hidden global mod: %s', row_to_json(p));
    select * into strict p from user_permissions where room = c and "user" = pg_temp.uid('carol');
    assert not p.read and p.moderator and p.room_moderator and not p.global_moderator and p.visible_mod,
        format('room mod: %s', row_to_json(p));
    select * into strict p from user_permissions where room = a and "user" = pg_temp.uid('ghost');
    assert p.visible_mod and p.room_moderator and p.global_moderator, 'room row decides visibility';
    select * into strict p from user_permissions where room = a and "user" = pg_temp.uid('shown');
    assert not p.visible_mod, 'room row hides a visible global mod';

    -- room_moderators: the same visibility rule, one row per (room, mod)
    select * into strict p from room_moderators where room = a and "user" = pg_temp.uid('ghost');
    assert p.visible_mod and p.room_moderator and p.global_moderator and not p.admin
       and p.session_id = pg_temp.sid('ghost'), format('ghost in A: %s', row_to_json(p));
    select * into strict p from room_moderators where room = a and "user" = pg_temp.uid('shown');
    assert not p.visible_mod, format('shown in A: %s', row_to_json(p));
    select * into strict p from room_moderators where room = c and "user" = pg_temp.uid('ghost');
    assert not p.visible_mod and not p.room_moderator and p.global_moderator, 'ghost in C';
    select * into strict p from room_moderators where room = c and "user" = pg_temp.uid('shown');
    assert p.visible_mod, 'shown in C';
    select * into strict p from room_moderators where room = c and "user" = pg_temp.uid('carol');
    assert p.visible_mod and p.room_moderator and not p.global_moderator, 'carol in C';
    assert not exists (select 1 from room_moderators where room = a and "user" = pg_temp.uid('carol')),
        'carol is not a mod of A';
    assert not exists (select 1 from room_moderators where "user" = pg_temp.uid('alice')), 'alice is no mod';
end $$;

\echo 'triggers_check: all checks passed'
rollback;
