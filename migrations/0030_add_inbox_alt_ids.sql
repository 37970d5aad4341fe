-- The ids a direct message was sent as and addressed to, when they differ from the users'
-- displayed session_id (a person known by both a 15 and a 25 id, see 0022). Blinded DM
-- encryption binds both blinded keys, so clients must see exactly the ids that were used.
-- NULL (the common case) means users.session_id.
alter table inbox add column sender_as text;
alter table inbox add column recipient_as text;
