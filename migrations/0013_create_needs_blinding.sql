-- needs_blinding: unblinded (05) users that hold grants, bans or scheduled changes while the
-- server requires blinded ids. A 15-id cannot be derived from a 05-id without knowing the sign
-- of the key, so we store the sign-cleared ("abs") blinded id and move the 05 user's rows to
-- the matching 15 user the first time that user authenticates.

create table needs_blinding (
    blinded_abs text not null,
    "user" bigint not null,

    constraint needs_blinding_pkey primary key (blinded_abs),
    constraint needs_blinding_user_key unique ("user"),
    constraint needs_blinding_user_fkey foreign key ("user") references users (id) on delete cascade
);
