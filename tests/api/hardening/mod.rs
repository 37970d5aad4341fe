//! Hostile input and resource limits (the "Hardening" issue): NUL bytes, byte-exact data,
//! value limits, DM and message size limits, batch nesting and budgets, body limits and
//! timeouts, outages and a frozen database.

mod batches;
mod bodies;
mod freeze;
mod input;
mod memory;
mod message_size;
mod outage;

/// Codes and bodies of a `/batch` or `/sequence` answer (itself asserted to be 200).
async fn batch_results(
    client: &sogs_client::Client,
    endpoint: &str,
    elements: &serde_json::Value,
) -> Vec<(u64, serde_json::Value)> {
    let resp = client
        .send_json(reqwest::Method::POST, endpoint, elements)
        .await
        .unwrap();
    assert_eq!(resp.status, 200, "{}", resp.text());
    let results: Vec<serde_json::Value> = resp.json().unwrap();
    results
        .into_iter()
        .map(|r| (r["code"].as_u64().unwrap(), r["body"].clone()))
        .collect()
}

/// The codes of a `/batch` or `/sequence` answer.
async fn batch_codes(
    client: &sogs_client::Client,
    endpoint: &str,
    elements: &serde_json::Value,
) -> Vec<u64> {
    let results = batch_results(client, endpoint, elements).await;
    results.into_iter().map(|(code, _)| code).collect()
}
