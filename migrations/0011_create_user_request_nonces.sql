-- user_request_nonces: X-SOGS-Nonce values already used, for replay protection. The nonce is
-- unique across all users (not per user), as in the reference server: inserting a reused
-- nonce violates user_request_nonces_nonce_key, which the API maps to 425. Rows are kept for
-- 24 hours, the width of the accepted timestamp window.

create table user_request_nonces (
    "user" bigint not null,
    nonce bytea not null,
    expiry double precision not null default extract(epoch from now() + interval '24 hours'),

    constraint user_request_nonces_nonce_key unique (nonce),
    constraint user_request_nonces_user_fkey
        foreign key ("user") references users (id) on delete cascade
);

-- pruning: `expiry < $1`
create index user_request_nonces_expiry_idx on user_request_nonces (expiry);
