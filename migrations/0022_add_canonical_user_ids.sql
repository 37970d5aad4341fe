-- Blind25 support: one person may authenticate as "15…" (blind15, what Session clients use
-- today) and as "25…" (blind25, libsession's newer scheme). Both must be the same user.
--
-- A 15 id determines its 25 id (the server can undo the blind15 factor up to sign, and blind25
-- does not depend on the sign), while a 25 id does not determine its 15 id. So the 25 id is the
-- canonical identity of every blinded user: `canonical_id` holds it, unique, and a login with
-- either id finds the same row. `session_id` keeps the id the user first appeared with, which
-- is what other clients see. Unblinded (05) users keep their own id as canonical: as in the
-- reference server, they are linked to their blinded self only through needs_blinding.

alter table users add column canonical_id text;
update users set canonical_id = session_id;
alter table users alter column canonical_id set not null;
alter table users add constraint users_canonical_id_key unique (canonical_id);
alter table users add constraint users_canonical_id_check
    check (canonical_id <> '' and canonical_id = lower(canonical_id));

-- A moderator appointed (or a user banned) by 05 id before they ever connected is found again
-- at their first blinded login, whichever scheme they use: blinded_abs for blind15 (as the
-- reference does), blinded25 for the canonical id every blinded login computes.
alter table needs_blinding add column blinded25 text;
alter table needs_blinding add constraint needs_blinding_blinded25_key unique (blinded25);
