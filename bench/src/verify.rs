//! How fast the server side of authentication runs on one core: Ed25519 verification of an
//! X-SOGS signature, and the whole header parse + point check + verification.

use std::time::Instant;

use sogs_protocol::auth_headers::parse_auth_headers;
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;

/// Options of `sogs-bench verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct Opts {
    /// Number of verifications.
    #[arg(long, default_value_t = 20_000)]
    iterations: u32,
}

/// Runs both measurements and prints operations per second.
pub(crate) fn run(opts: &Opts) -> anyhow::Result<()> {
    let server_pk = ServerPubkey([7; 32]);
    let signer = sogs_client::Signer::new([42; 32], AuthScheme::Blind15, server_pk);
    let path = "/room/lobby/messages/since/12345?t=r&reactors=5";
    let headers = signer.sign(&[1; 16], 1_700_000_000, "GET", path, b"");
    let parsed = parse_auth_headers(
        Some(&headers.pubkey_hex),
        Some(&headers.nonce_b64),
        Some(&headers.timestamp),
        Some(&headers.signature_b64),
    )?
    .ok_or_else(|| anyhow::anyhow!("headers missing"))?;
    let (path_only, query) = path.split_once('?').unwrap_or((path, ""));

    let verify_rate = per_second(opts.iterations, || {
        parsed
            .verify(&server_pk, "GET", path_only, query, b"")
            .is_ok()
    });
    println!("signature verifications: {verify_rate:.0}/s (one core)");

    let full_rate = per_second(opts.iterations, || {
        parse_auth_headers(
            Some(&headers.pubkey_hex),
            Some(&headers.nonce_b64),
            Some(&headers.timestamp),
            Some(&headers.signature_b64),
        )
        .ok()
        .flatten()
        .is_some_and(|h| h.verify(&server_pk, "GET", path_only, query, b"").is_ok())
    });
    println!("header parse + point check + verification: {full_rate:.0}/s (one core)");

    let blind25_rate = per_second(opts.iterations / 4, || {
        let id = sogs_protocol::ids::BlindedId::parse(&headers.pubkey_hex).ok();
        id.is_some_and(|id| sogs_protocol::blinding::blind25_from_blind15(&id, &server_pk).is_ok())
    });
    println!(
        "15 → 25 canonical id derivations (first login under a second id only): {blind25_rate:.0}/s"
    );
    Ok(())
}

fn per_second(iterations: u32, mut op: impl FnMut() -> bool) -> f64 {
    let start = Instant::now();
    let mut ok = 0u32;
    for _ in 0..iterations {
        ok += u32::from(op());
    }
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(ok, iterations, "every operation must succeed");
    f64::from(iterations) / secs
}
