-- Permission views. They are views rather than application code so that the server and the
-- admin CLI resolve room defaults, overrides and global flags the same way.

-- user_permissions: the effective permissions of every user in every room. It crosses users
-- with rooms, so query it for one (room, user) or one user at a time, never unfiltered.
--
-- * banned: a global ban or a room ban;
-- * read/accessible/write/upload: everything for global moderators, otherwise the override
--   when it is set, otherwise the room default;
-- * moderator/admin: the global flag or the room grant;
-- * room_moderator/global_moderator: where the moderator status comes from (both may be true);
-- * visible_mod: the room grant's visibility if there is a room grant, else the global one if
--   a global moderator, else false.
create view user_permissions as
select
    r.id as room,
    u.id as "user",
    u.session_id,
    u.banned or coalesce(o.banned, false) as banned,
    u.moderator or coalesce(o.read, r.read) as read,
    u.moderator or coalesce(o.accessible, r.accessible) as accessible,
    u.moderator or coalesce(o.write, r.write) as write,
    u.moderator or coalesce(o.upload, r.upload) as upload,
    u.moderator or coalesce(o.moderator, false) as moderator,
    u.admin or coalesce(o.admin, false) as admin,
    coalesce(o.moderator, false) as room_moderator,
    u.moderator as global_moderator,
    case
        when o.moderator then o.visible_mod
        when u.moderator then u.visible_mod
        else false
    end as visible_mod
from users u
cross join rooms r
left join user_permission_overrides o on o.room = r.id and o."user" = u.id;

-- room_moderators: one row per (room, moderator), whether the grant is per room, global, or
-- both. Much cheaper than filtering user_permissions, because it starts from the moderator
-- rows only. When a user has both kinds of grant the room grant decides visibility, so a
-- global moderator can be shown in one room and hidden in the others.
create view room_moderators as
select
    g.room,
    g."user",
    u.session_id,
    coalesce(
        bool_or(g.visible_mod) filter (where g.room_moderator),
        bool_or(g.visible_mod)
    ) as visible_mod,
    bool_or(g.admin) as admin,
    bool_or(g.room_moderator) as room_moderator,
    bool_or(g.global_moderator) as global_moderator
from (
    select o.room, o."user", o.visible_mod, o.admin,
           true as room_moderator, false as global_moderator
    from user_permission_overrides o
    where o.moderator
    union all
    select r.id, gu.id, gu.visible_mod, gu.admin,
           false, true
    from users gu
    cross join rooms r
    where gu.moderator
) g
join users u on u.id = g."user"
group by g.room, g."user", u.session_id;
