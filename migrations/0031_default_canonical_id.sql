-- A user inserted without a canonical id is their own canonical id (what 0022 says of
-- unblinded users). Saves every writer (tools, scripts, tests) from repeating the rule.
create function users_default_canonical_id() returns trigger language plpgsql as $$
begin
    new.canonical_id := coalesce(new.canonical_id, new.session_id);
    return new;
end $$;

create trigger users_default_canonical_id
    before insert on users
    for each row execute function users_default_canonical_id();
