-- pinned_messages: a room's pins, ordered by pinned_at (re-pinning updates pinned_at and so
-- moves the pin to the end).

create table pinned_messages (
    room bigint not null,
    message bigint not null,
    pinned_by bigint not null,
    pinned_at double precision not null default extract(epoch from now()),

    constraint pinned_messages_pkey primary key (room, message),
    constraint pinned_messages_room_fkey foreign key (room) references rooms (id) on delete cascade,
    -- references the message together with its room, so a pin cannot cross rooms
    constraint pinned_messages_message_fkey
        foreign key (room, message) references messages (room, id) on delete cascade,
    constraint pinned_messages_pinned_by_fkey foreign key (pinned_by) references users (id)
);
