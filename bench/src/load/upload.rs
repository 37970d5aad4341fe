//! `sogs-bench upload`: one file into the room, for the `download` mode.

use reqwest::Method;
use sogs_client::{Client, Signer};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;

/// Options of `sogs-bench upload`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct UploadOpts {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    server: String,
    /// Server public key (hex).
    #[arg(long)]
    pubkey: String,
    /// Room token.
    #[arg(long, default_value = "bench")]
    room: String,
    /// File size in bytes.
    #[arg(long, default_value_t = 10_000_000)]
    bytes: usize,
}

/// Uploads one file of `bytes` bytes and prints its id.
pub(crate) async fn upload(opts: UploadOpts) -> anyhow::Result<()> {
    let signer = Signer::new(
        [200; 32],
        AuthScheme::Blind15,
        ServerPubkey::parse(&opts.pubkey)?,
    );
    let client = Client::new(&opts.server).signed(signer);
    let content: Vec<u8> = (0..opts.bytes).map(|i| (i % 251) as u8).collect();
    let path = format!("/room/{}/file", opts.room);
    let resp = client
        .request(Method::POST, &path, &[], Some(content))
        .await?;
    anyhow::ensure!(
        resp.status == 201,
        "upload failed: {} {}",
        resp.status,
        resp.text()
    );
    println!("{}", resp.json::<serde_json::Value>()?["id"]);
    Ok(())
}
