//! The CPU split over a measured window, from /proc: utime+stime of the server processes, of
//! the PostgreSQL cluster's processes and of this process, as shares of the machine's total.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Which processes to account for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Watched {
    /// Server pids (all of them: with several server processes the shares are summed).
    pub(crate) servers: Vec<u32>,
    /// The cluster's data directory (holding `postmaster.pid`): the postmaster and its
    /// children. Without it, every process whose `comm` is `postgres`.
    pub(crate) pg_data: Option<PathBuf>,
}

/// Cumulative CPU ticks at one instant.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sample {
    /// All CPUs, all states (idle included): the machine's total time.
    total: u64,
    idle: u64,
    servers: u64,
    postgres: HashMap<u32, u64>,
    bench: u64,
    /// Every other process: pid → (name, ticks), to name where "other" went.
    others: HashMap<u32, (String, u64)>,
}

/// Shares of the machine's total CPU time over a window, in percent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Split {
    pub(crate) server: f64,
    pub(crate) postgres: f64,
    pub(crate) bench: f64,
    /// Busy time not in the three above (kernel softirqs, other processes).
    pub(crate) other: f64,
    pub(crate) idle: f64,
    /// The largest other consumers by process name, in percent, largest first.
    pub(crate) top_others: Vec<(String, f64)>,
}

impl Watched {
    /// Reads the counters now.
    pub(crate) fn sample(&self) -> Sample {
        let (total, idle) = machine_ticks().unwrap_or_default();
        let postgres: HashMap<u32, u64> = self
            .postgres_pids()
            .into_iter()
            .filter_map(|p| Some((p, process_ticks(p)?)))
            .collect();
        let me = std::process::id();
        let others = all_pids()
            .into_iter()
            .filter(|p| *p != me && !self.servers.contains(p) && !postgres.contains_key(p))
            .filter_map(|p| Some((p, (comm(p)?, process_ticks(p)?))))
            .collect();
        Sample {
            total,
            idle,
            servers: self.servers.iter().filter_map(|p| process_ticks(*p)).sum(),
            postgres,
            bench: process_ticks(me).unwrap_or_default(),
            others,
        }
    }

    fn postgres_pids(&self) -> Vec<u32> {
        let postmaster = self.pg_data.as_deref().and_then(postmaster_pid);
        all_pids()
            .into_iter()
            .filter(|&pid| match postmaster {
                Some(pm) => pid == pm || parent_pid(pid) == Some(pm),
                None => comm(pid).as_deref() == Some("postgres"),
            })
            .collect()
    }
}

impl Split {
    /// The shares between two samples. A PostgreSQL process that started within the window
    /// counts all its time; one that ended within it is lost (backends are long-lived here).
    pub(crate) fn between(start: &Sample, end: &Sample) -> Self {
        let total = end.total.saturating_sub(start.total).max(1) as f64;
        let pct = |ticks: u64| ticks as f64 * 100.0 / total;
        let postgres: u64 = end
            .postgres
            .iter()
            .map(|(pid, t)| t.saturating_sub(start.postgres.get(pid).copied().unwrap_or(0)))
            .sum();
        let server = end.servers.saturating_sub(start.servers);
        let bench = end.bench.saturating_sub(start.bench);
        let idle = end.idle.saturating_sub(start.idle);
        let busy = end.total.saturating_sub(start.total).saturating_sub(idle);
        Split {
            server: pct(server),
            postgres: pct(postgres),
            bench: pct(bench),
            other: pct(busy.saturating_sub(server + postgres + bench)),
            idle: pct(idle),
            top_others: top_others(start, end, pct),
        }
    }
}

/// Other processes' time over the window, summed by name, the three largest (≥ 1 %).
fn top_others(start: &Sample, end: &Sample, pct: impl Fn(u64) -> f64) -> Vec<(String, f64)> {
    let mut by_name: HashMap<&str, u64> = HashMap::new();
    for (pid, (name, ticks)) in &end.others {
        let before = start.others.get(pid).map_or(0, |(_, t)| *t);
        *by_name.entry(name).or_default() += ticks.saturating_sub(before);
    }
    let mut top: Vec<(String, f64)> = by_name
        .into_iter()
        .map(|(name, ticks)| (name.to_owned(), pct(ticks)))
        .filter(|(_, p)| *p >= 1.0)
        .collect();
    top.sort_by(|a, b| b.1.total_cmp(&a.1));
    top.truncate(3);
    top
}

/// The `cpu` line of /proc/stat: (sum of all fields, idle + iowait).
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let total = fields.iter().take(8).sum();
    let idle = fields.get(3).copied().unwrap_or(0) + fields.get(4).copied().unwrap_or(0);
    Some((total, idle))
}

/// The fields of /proc/<pid>/stat after the parenthesised command name.
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// utime + stime of a process (all its threads), in clock ticks.
fn process_ticks(pid: u32) -> Option<u64> {
    let f = stat_fields(pid)?;
    // After the name: state(0) ppid(1) … utime(11) stime(12).
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

fn parent_pid(pid: u32) -> Option<u32> {
    stat_fields(pid)?.get(1)?.parse().ok()
}

fn comm(pid: u32) -> Option<String> {
    Some(
        std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .ok()?
            .trim_end()
            .to_owned(),
    )
}

fn postmaster_pid(pg_data: &Path) -> Option<u32> {
    let text = std::fs::read_to_string(pg_data.join("postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

fn all_pids() -> Vec<u32> {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_process_is_visible() {
        assert!(process_ticks(std::process::id()).is_some());
        assert_eq!(
            parent_pid(std::process::id()),
            Some(std::os::unix::process::parent_id())
        );
        assert!(machine_ticks().is_some_and(|(total, idle)| total >= idle));
    }
}
