-- room_users: the last time each user polled or read a room. The cleanup task prunes old rows
-- and recomputes rooms.active_users from the recent ones.

create table room_users (
    room bigint not null,
    "user" bigint not null,
    last_active double precision not null default extract(epoch from now()),

    constraint room_users_pkey primary key (room, "user"),
    constraint room_users_room_fkey foreign key (room) references rooms (id) on delete cascade,
    constraint room_users_user_fkey foreign key ("user") references users (id) on delete cascade
);

-- active user count per room: `room = $1 and last_active >= $2`
create index room_users_room_last_active_idx on room_users (room, last_active);
-- pruning: `last_active < $1`
create index room_users_last_active_idx on room_users (last_active);
