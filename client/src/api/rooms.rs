//! Rooms: `GET /rooms`, `GET|PUT /room/{token}`, `pollInfo`, pins and files.

use reqwest::Method;
use sogs_protocol::api::common::{Empty, InfoUpdates};
use sogs_protocol::api::files::Uploaded;
use sogs_protocol::api::pins::{Unpinned, UnpinnedAll};
use sogs_protocol::api::room_info::{PollInfo, UpdateRoom};
use sogs_protocol::api::rooms::RoomDetails;

use super::{Client, ClientError, segment};

impl Client {
    /// `GET /rooms`: the rooms the caller may see, by token.
    pub async fn rooms(&self) -> Result<Vec<RoomDetails>, ClientError> {
        self.call_empty(Method::GET, "/rooms").await
    }

    /// `GET /room/{token}`: one room's details.
    pub async fn room(&self, token: &str) -> Result<RoomDetails, ClientError> {
        self.call_empty(Method::GET, &format!("/room/{token}"))
            .await
    }

    /// `GET /room/{token}/pollInfo/{info_updated}`: permissions and activity, with the details
    /// when `info_updates` is no longer `info_updated`.
    pub async fn poll_info(&self, token: &str, info_updated: i64) -> Result<PollInfo, ClientError> {
        let path = format!("/room/{token}/pollInfo/{info_updated}");
        self.call_empty(Method::GET, &path).await
    }

    /// `PUT /room/{token}` (admins): changes the room's name, description, image or defaults.
    pub async fn update_room(
        &self,
        token: &str,
        update: &UpdateRoom,
    ) -> Result<InfoUpdates, ClientError> {
        self.call(Method::PUT, &format!("/room/{token}"), update)
            .await
    }

    /// `POST /room/{token}/pin/{id}` (admins): pins a message (again: moves it last).
    pub async fn pin_message(&self, token: &str, id: i64) -> Result<InfoUpdates, ClientError> {
        let path = format!("/room/{token}/pin/{id}");
        self.call(Method::POST, &path, &Empty {}).await
    }

    /// `POST /room/{token}/unpin/{id}` (admins).
    pub async fn unpin_message(&self, token: &str, id: i64) -> Result<Unpinned, ClientError> {
        let path = format!("/room/{token}/unpin/{id}");
        self.call(Method::POST, &path, &Empty {}).await
    }

    /// `POST /room/{token}/unpin/all` (admins).
    pub async fn unpin_all(&self, token: &str) -> Result<UnpinnedAll, ClientError> {
        let path = format!("/room/{token}/unpin/all");
        self.call(Method::POST, &path, &Empty {}).await
    }

    /// `POST /room/{token}/file`: uploads `bytes` as a raw body, with `file_name` (if any) in
    /// `Content-Disposition`.
    pub async fn upload_file(
        &self,
        token: &str,
        bytes: Vec<u8>,
        file_name: Option<&str>,
    ) -> Result<Uploaded, ClientError> {
        let disposition = file_name.map(|n| format!("attachment; filename*=UTF-8''{}", segment(n)));
        let mut headers = vec![("Content-Type", "application/octet-stream")];
        if let Some(d) = &disposition {
            headers.push(("Content-Disposition", d));
        }
        let path = format!("/room/{token}/file");
        self.request(Method::POST, &path, &headers, Some(bytes))
            .await?
            .ok_json()
    }

    /// `GET /room/{token}/file/{id}`: the file's bytes.
    pub async fn download_file(&self, token: &str, id: i64) -> Result<Vec<u8>, ClientError> {
        let path = format!("/room/{token}/file/{id}");
        Ok(self.get(&path).await?.ok()?.body)
    }
}
