-- message_history: the previous content of a message, recorded by a trigger (0016) on every
-- edit and deletion, so moderators can audit what was changed. The cleanup task prunes rows
-- older than the history threshold (30 days).
--
-- pysogs declares `data` as TEXT while storing bytes in it; ours is bytea.

create table message_history (
    message bigint not null,
    replaced double precision not null default extract(epoch from now()),
    data bytea not null,
    signature bytea not null,

    constraint message_history_message_fkey
        foreign key (message) references messages (id) on delete cascade
);

create index message_history_message_idx on message_history (message);
-- pruning: `replaced < $1`
create index message_history_replaced_idx on message_history (replaced);
