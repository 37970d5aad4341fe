-- user_permission_overrides: per (room, user) departures from the room defaults, plus room
-- bans and room moderator/admin grants.
--
-- read/accessible/write/upload are tri-state: NULL means "use the room default". A row whose
-- every field is back to its neutral value is deleted by a trigger (0020).

create table user_permission_overrides (
    room bigint not null,
    "user" bigint not null,
    banned boolean not null default false,
    read boolean,
    accessible boolean,
    write boolean,
    upload boolean,
    moderator boolean not null default false,
    -- admin implies moderator (trigger in 0020)
    admin boolean not null default false,
    -- room grants are public unless asked otherwise
    visible_mod boolean not null default true,

    constraint user_permission_overrides_pkey primary key (room, "user"),
    constraint user_permission_overrides_room_fkey
        foreign key (room) references rooms (id) on delete cascade,
    constraint user_permission_overrides_user_fkey
        foreign key ("user") references users (id) on delete cascade,
    -- a room moderator or admin cannot be banned from the room
    constraint user_permission_overrides_banned_not_mod_check
        check (not (banned and (moderator or admin)))
);

-- the room's moderator list (room_moderators view) reads only the moderator rows
create index user_permission_overrides_moderator_idx
    on user_permission_overrides (room) where moderator;
-- per-user lookups: the room list of a user, and moving rows to a newly blinded id
create index user_permission_overrides_user_idx on user_permission_overrides ("user");
