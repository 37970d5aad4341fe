-- The id whose key signed a message, when it is not the author's displayed session_id.
--
-- Clients verify a message's signature with the key inside the message's `session_id`. A person
-- known by both a 15 and a 25 id (one users row, see 0022) signs each post with the key of the
-- id they authenticated with, so listings must show that id, not the row's first-seen one.
-- NULL (the common case) means users.session_id.
alter table messages add column signed_as text;
