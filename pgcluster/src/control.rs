//! Running the PostgreSQL tools (`initdb`, `pg_ctl`, `psql`) for a managed cluster.

use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

use super::{ClusterError, ManagedCluster, SUPERUSER};

impl ManagedCluster {
    /// Creates the cluster with `postgres` as its bootstrap superuser; the server's role is
    /// created afterwards, without superuser rights (see `roles`).
    pub(super) fn initdb(&self) -> Result<(), ClusterError> {
        tracing::info!(pg.dir = %self.pg_dir.display(), "initialising managed PostgreSQL cluster");
        self.run(
            "initdb",
            &[
                "-D",
                &self.dir_str(),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
        )
        .map(drop)
    }

    /// Starts the postmaster and waits until it accepts connections. The command-line options
    /// repeat what the configuration files say (socket only, private socket).
    pub(super) fn pg_ctl_start(&self) -> Result<(), ClusterError> {
        let dir = self.dir_str();
        let options = format!("-c listen_addresses='' -k {dir} -c unix_socket_permissions=0700");
        let log = self.pg_dir.join("postgres.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &dir,
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        )
        .map(drop)
    }

    /// Fast shutdown: disconnects clients, then stops.
    pub(super) fn pg_ctl_stop(&self) -> Result<(), ClusterError> {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.dir_str(),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "stop",
            ],
        )
        .map(drop)
    }

    /// Runs `commands` (each its own `-c`, so each its own transaction) with `psql` as `user`
    /// on `database`; returns the unaligned, tuples-only output.
    pub(super) fn psql(
        &self,
        user: &str,
        database: &str,
        commands: &[&str],
    ) -> Result<String, ClusterError> {
        let dir = self.dir_str();
        let mut args = vec![
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            &dir,
            "-U",
            user,
            "-d",
            database,
        ];
        for command in commands {
            args.extend(["-c", command]);
        }
        let output = self.run("psql", &args)?;
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Runs one of the PostgreSQL tools as the cluster account, in its own process group.
    pub(super) fn run(&self, program: &str, args: &[&str]) -> Result<Output, ClusterError> {
        let mut command = Command::new(self.bin_dir.join(program));
        command
            .args(args)
            .current_dir(&self.pg_dir)
            .env("LC_ALL", "C.UTF-8");
        // Our own process group: a terminal's Ctrl-C must not reach the postmaster directly.
        command.process_group(0);
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid).env("HOME", &self.pg_dir);
        }
        let output = command
            .output()
            .map_err(|e| command_error(program, e.to_string()))?;
        if output.status.success() {
            Ok(output)
        } else {
            let detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            Err(command_error(program, detail))
        }
    }
}

fn command_error(program: &str, detail: String) -> ClusterError {
    ClusterError::Command {
        command: program.to_owned(),
        detail,
    }
}
