//! The server's role in a managed cluster: `sogs` owns the database `sogs` but is not a
//! superuser; the bootstrap superuser (`postgres`) is only used to create them.
//!
//! Clusters created by older versions have `sogs` as their bootstrap superuser, which
//! PostgreSQL cannot demote: they keep working, with a warning.

use super::{ClusterError, DB_NAME, ManagedCluster, SUPERUSER};

/// One query, answerable by any role: the bootstrap superuser's name, whether `sogs` is a
/// superuser (`none` if the role is missing), and whether the database `sogs` exists.
const INSPECT: &str = "select (select rolname from pg_roles where oid = 10), \
     coalesce((select rolsuper::text from pg_roles where rolname = 'sogs'), 'none'), \
     exists (select from pg_database where datname = 'sogs')";

/// What [`INSPECT`] found.
#[derive(Debug, PartialEq, Eq)]
struct Roles {
    /// Name of the bootstrap superuser.
    bootstrap: String,
    /// `None` if the role `sogs` is missing, else whether it is a superuser.
    sogs_is_superuser: Option<bool>,
    /// Whether the database `sogs` exists.
    database: bool,
}

impl ManagedCluster {
    /// Creates the role and database `sogs` where missing and remembers the superuser's name.
    /// On an existing cluster a failed inspection is only logged (the connection that
    /// follows reports what is wrong); on a new one it is an error.
    pub(super) fn ensure_roles(&mut self, fresh: bool) -> Result<(), ClusterError> {
        let roles = match self.inspect_roles() {
            Ok(roles) => roles,
            Err(e) if fresh => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "could not inspect the roles of the managed PostgreSQL cluster");
                return Ok(());
            }
        };
        self.superuser = roles.bootstrap.clone();
        self.create_missing(&roles)?;
        warn_if_superuser(&roles);
        Ok(())
    }

    /// Runs [`INSPECT`] as the bootstrap superuser of a new-style cluster, else as `sogs`.
    fn inspect_roles(&self) -> Result<Roles, ClusterError> {
        let output = match self.psql(SUPERUSER, "postgres", &[INSPECT]) {
            Ok(output) => output,
            Err(first) => self
                .psql(DB_NAME, "postgres", &[INSPECT])
                .map_err(|_| first)?,
        };
        parse(&output).ok_or_else(|| ClusterError::Command {
            command: "psql".to_owned(),
            detail: format!("unexpected answer about roles: {output:?}"),
        })
    }

    /// `create role sogs login` (no superuser, no createdb) and `create database sogs owner
    /// sogs` where missing, as the bootstrap superuser.
    fn create_missing(&self, roles: &Roles) -> Result<(), ClusterError> {
        let mut commands = Vec::new();
        if roles.sogs_is_superuser.is_none() {
            commands.push("create role sogs login nosuperuser nocreatedb nocreaterole");
        }
        if !roles.database {
            commands.push("create database sogs owner sogs");
        }
        if commands.is_empty() {
            return Ok(());
        }
        tracing::info!(
            commands = ?commands,
            "creating the server's role and database in the managed PostgreSQL cluster"
        );
        self.psql(&self.superuser, "postgres", &commands).map(drop)
    }
}

/// Logs why `sogs` still is a superuser, if it is.
fn warn_if_superuser(roles: &Roles) {
    if roles.sogs_is_superuser != Some(true) {
        return;
    }
    if roles.bootstrap == DB_NAME {
        tracing::warn!(
            "the managed PostgreSQL cluster was created by an older sogs-server: its role `sogs` is \
             the bootstrap superuser, which PostgreSQL cannot demote, so the server keeps connecting \
             as a superuser. To fix it, dump the database (pg_dump), move <data_dir>/pg aside, start \
             the server once (it creates a new cluster with a non-superuser `sogs`) and restore the dump \
             as `sogs` (see docs/OPERATIONS.md, \"Managed PostgreSQL\")"
        );
    } else {
        tracing::warn!(
            "the role `sogs` of the managed PostgreSQL cluster is a superuser; it needs no more than \
             owning its database: `alter role sogs nosuperuser` as `{}` removes that",
            roles.bootstrap
        );
    }
}

/// Parses `bootstrap|t-or-f-or-none|t-or-f`.
fn parse(output: &str) -> Option<Roles> {
    let mut fields = output.trim().split('|');
    let bootstrap = fields.next().filter(|b| !b.is_empty())?.to_owned();
    let sogs_is_superuser = match fields.next()? {
        "none" => None,
        "true" => Some(true),
        "false" => Some(false),
        _ => return None,
    };
    let database = match fields.next()? {
        "t" => true,
        "f" => false,
        _ => return None,
    };
    fields.next().is_none().then_some(Roles {
        bootstrap,
        sogs_is_superuser,
        database,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_new_legacy_and_empty_clusters() {
        let new = parse("postgres|false|t");
        assert_eq!(new.map(|r| r.sogs_is_superuser), Some(Some(false)));
        let legacy = parse("sogs|true|t");
        assert_eq!(legacy.map(|r| r.bootstrap), Some("sogs".to_owned()));
        let empty = parse("postgres|none|f");
        assert_eq!(
            empty,
            Some(Roles {
                bootstrap: "postgres".to_owned(),
                sogs_is_superuser: None,
                database: false
            })
        );
        assert_eq!(parse("postgres|maybe|t"), None);
        assert_eq!(parse(""), None);
    }
}
