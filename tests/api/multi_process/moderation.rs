//! Bans, permissions, moderators and room info changed on one process (or by `sogs-admin`)
//! are enforced by the other within the bound.

use std::time::Instant;

use sogs_client::Client;
use sogs_protocol::api::permissions::SetPermissions;
use sogs_protocol::api::room_info::UpdateRoom;
use sogs_protocol::api::users::{BanUser, SetModerator};
use sogs_tests::TestUser;

use super::{Pair, RECENT, ROOM, answers, id, in_room, seen_within_bound};

/// `POST /user/<target>/moderator` for the room: appoints (`true`) or removes a moderator.
async fn set_moderator(admin: &Client, target: &Client, moderator: bool) {
    let change = SetModerator {
        scope: in_room(),
        moderator: Some(moderator),
        ..SetModerator::default()
    };
    admin.set_moderator(&id(target), &change).await.unwrap();
}
use crate::admin_cli::{admin_on, stderr};

#[tokio::test]
async fn a_ban_and_an_unban_on_a_are_enforced_by_b_within_the_bound() {
    let pair = Pair::start().await;
    let moderator = pair.moderator(false).await;
    let user = TestUser::random();
    let (user_a, user_b) = (pair.on_a(&user), pair.on_b(&user));
    answers(&user_b, RECENT, 200).await.unwrap();

    let ban = BanUser {
        scope: in_room(),
        timeout: None,
    };
    moderator.ban_user(&id(&user_a), &ban).await.unwrap();
    let since = Instant::now();
    seen_within_bound(since, "ban on A, 403 on B", || {
        answers(&user_b, RECENT, 403)
    })
    .await;

    moderator
        .unban_user(&id(&user_a), &in_room())
        .await
        .unwrap();
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
    let set = |change: SetPermissions| {
        let (moderator, uid) = (moderator.clone(), id(&user_b));
        async move {
            moderator
                .set_permissions(ROOM, &uid, &change)
                .await
                .unwrap()
        }
    };

    set(SetPermissions {
        read: Some(false),
        ..SetPermissions::default()
    })
    .await;
    let since = Instant::now();
    seen_within_bound(since, "read:false on A, 403 on B", || {
        answers(&user_b, RECENT, 403)
    })
    .await;

    set(SetPermissions {
        default_read: true,
        ..SetPermissions::default()
    })
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
    let found = room.moderators.iter().any(|m| m == who);
    if found == listed {
        Ok(())
    } else {
        Err(format!("moderators: {:?}", room.moderators))
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

    set_moderator(&admin, &user_a, true).await;
    let since = Instant::now();
    seen_within_bound(since, "appointed on A, moderator on B", || {
        answers(&user_b, &mod_only, 200)
    })
    .await;
    seen_within_bound(since, "appointed on A, listed on B", || {
        listed_on_b(&pair, &uid, true)
    })
    .await;

    set_moderator(&admin, &user_a, false).await;
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
    let before = pair.room_on_b().await.unwrap().info_updates;

    let rename = UpdateRoom {
        name: Some("Renamed".to_owned()),
        ..UpdateRoom::default()
    };
    admin.update_room(ROOM, &rename).await.unwrap();
    let since = Instant::now();
    seen_within_bound(since, "renamed on A, new name on B", || async {
        let room = pair.room_on_b().await?;
        let updates = room.info_updates;
        if room.name == "Renamed" && updates > before {
            Ok(())
        } else {
            Err(format!("name {}, info_updates {updates}", room.name))
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
