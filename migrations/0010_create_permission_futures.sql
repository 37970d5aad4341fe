-- Scheduled permission and ban changes, applied by the cleanup task once `at` has passed
-- (e.g. a timed mute is a write=false override plus a write=true future; a timed ban is a ban
-- plus a banned=false future).

-- A NULL value leaves that permission unchanged when the row is applied. Several rows per
-- (room, user) may be pending, so there is no key.
create table user_permission_futures (
    room bigint not null,
    "user" bigint not null,
    at double precision not null,
    read boolean,
    write boolean,
    upload boolean,

    constraint user_permission_futures_room_fkey
        foreign key (room) references rooms (id) on delete cascade,
    constraint user_permission_futures_user_fkey
        foreign key ("user") references users (id) on delete cascade
);

-- the cleanup task: `at <= now`
create index user_permission_futures_at_idx on user_permission_futures (at);
-- listing and replacing a user's scheduled changes in a room
create index user_permission_futures_room_user_idx on user_permission_futures (room, "user");

-- room NULL means a global ban or unban; banned = false schedules an unban.
create table user_ban_futures (
    room bigint,
    "user" bigint not null,
    at double precision not null,
    banned boolean not null,

    constraint user_ban_futures_room_fkey foreign key (room) references rooms (id) on delete cascade,
    constraint user_ban_futures_user_fkey foreign key ("user") references users (id) on delete cascade
);

create index user_ban_futures_at_idx on user_ban_futures (at);
create index user_ban_futures_room_user_idx on user_ban_futures (room, "user");
