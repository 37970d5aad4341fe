//! Bans, permissions, moderators and room info changed on one process (or by `sogs-admin`)
//! are enforced by the other within the bound.

use std::time::Instant;

use reqwest::Method;
use serde_json::json;
use sogs_tests::TestUser;

use super::{Pair, RECENT, ROOM, answers, id, ok_json, seen_within_bound, user_action};
use crate::admin_cli::{admin_on, stderr};

#[tokio::test]
async fn a_ban_and_an_unban_on_a_are_enforced_by_b_within_the_bound() {
    let pair = Pair::start().await;
    let moderator = pair.moderator(false).await;
    let user = TestUser::random();
    let (user_a, user_b) = (pair.on_a(&user), pair.on_b(&user));
    answers(&user_b, RECENT, 200).await.unwrap();

    user_action(&moderator, &user_a, "ban", json!({})).await;
    let since = Instant::now();
    seen_within_bound(since, "ban on A, 403 on B", || {
        answers(&user_b, RECENT, 403)
    })
    .await;

    user_action(&moderator, &user_a, "unban", json!({})).await;
    let since = Instant::now();
    seen_within_bound(since, "unban on A, 200 on B", || {
        answers(&user_b, RECENT, 200)
    })
    .await;
}

#[tokio::test]
async fn a_read_permission_change_on_a_is_enforced_by_b_within_the_bound() {
    let pair = Pair::start().await;
    let moderator = pair.moderator(false).await;
    let user = TestUser::random();
    let user_b = pair.on_b(&user);
    answers(&user_b, RECENT, 200).await.unwrap();
    let path = format!("/room/{ROOM}/permissions/{}", id(&user_b));

    ok_json(&moderator, Method::POST, &path, json!({"read": false})).await;
    let since = Instant::now();
    seen_within_bound(since, "read:false on A, 403 on B", || {
        answers(&user_b, RECENT, 403)
    })
    .await;

    ok_json(
        &moderator,
        Method::POST,
        &path,
        json!({"default_read": true}),
    )
    .await;
    let since = Instant::now();
    seen_within_bound(since, "read reset on A, 200 on B", || {
        answers(&user_b, RECENT, 200)
    })
    .await;
}

/// `Ok` when B's public room details list (or do not list) `who` as a moderator.
async fn listed_on_b(pair: &Pair, who: &str, listed: bool) -> Result<(), String> {
    let room = pair.room_on_b().await?;
    let found = room["moderators"]
        .as_array()
        .is_some_and(|mods| mods.iter().any(|m| m == who));
    if found == listed {
        Ok(())
    } else {
        Err(format!("moderators: {}", room["moderators"]))
    }
}

#[tokio::test]
async fn a_moderator_removed_on_a_loses_moderator_access_on_b_within_the_bound() {
    let pair = Pair::start().await;
    let admin = pair.moderator(true).await;
    let user = TestUser::random();
    let (user_a, user_b) = (pair.on_a(&user), pair.on_b(&user));
    // A moderator-only endpoint: the room's permission overrides.
    let mod_only = format!("/room/{ROOM}/permissions");
    answers(&user_b, &mod_only, 403).await.unwrap();
    let uid = id(&user_b);
    listed_on_b(&pair, &uid, false).await.unwrap();

    user_action(&admin, &user_a, "moderator", json!({"moderator": true})).await;
    let since = Instant::now();
    seen_within_bound(since, "appointed on A, moderator on B", || {
        answers(&user_b, &mod_only, 200)
    })
    .await;
    seen_within_bound(since, "appointed on A, listed on B", || {
        listed_on_b(&pair, &uid, true)
    })
    .await;

    user_action(&admin, &user_a, "moderator", json!({"moderator": false})).await;
    let since = Instant::now();
    seen_within_bound(since, "removed on A, refused on B", || {
        answers(&user_b, &mod_only, 403)
    })
    .await;
    seen_within_bound(since, "removed on A, unlisted on B", || {
        listed_on_b(&pair, &uid, false)
    })
    .await;
}

#[tokio::test]
async fn a_room_renamed_on_a_is_shown_by_b_within_the_bound() {
    let pair = Pair::start().await;
    let admin = pair.moderator(true).await;
    let before = pair.room_on_b().await.unwrap()["info_updates"]
        .as_i64()
        .unwrap();

    let path = format!("/room/{ROOM}");
    ok_json(&admin, Method::PUT, &path, json!({"name": "Renamed"})).await;
    let since = Instant::now();
    seen_within_bound(since, "renamed on A, new name on B", || async {
        let room = pair.room_on_b().await?;
        let updates = room["info_updates"].as_i64().unwrap_or(i64::MIN);
        if room["name"] == "Renamed" && updates > before {
            Ok(())
        } else {
            Err(format!("name {}, info_updates {updates}", room["name"]))
        }
    })
    .await;
}

#[tokio::test]
async fn a_ban_by_sogs_admin_is_enforced_by_b_within_the_bound() {
    let pair = Pair::start().await;
    let user = TestUser::random();
    let user_b = pair.on_b(&user);
    answers(&user_b, RECENT, 200).await.unwrap();
    let uid = id(&user_b);

    for (command, status) in [("ban", 403), ("unban", 200)] {
        let out = admin_on(&pair.a, &[command, &uid, "--room", ROOM]).await;
        assert!(out.status.success(), "{command}: {}", stderr(&out));
        let since = Instant::now();
        seen_within_bound(
            since,
            &format!("sogs-admin {command}, {status} on B"),
            || answers(&user_b, RECENT, status),
        )
        .await;
    }
}
