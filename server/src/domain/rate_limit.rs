//! The post rate limit: at most so many posts per user and room within a window of seconds.

/// At most `posts` posts per user and room within `secs` seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    /// Posts allowed in the window (more than zero).
    pub posts: i64,
    /// The window.
    pub secs: f64,
}

impl RateLimit {
    /// The limit `(posts, secs)` as configured; `None` when posting is unlimited (`posts == 0`).
    pub fn from_settings((posts, secs): (u32, f64)) -> Option<Self> {
        (posts > 0).then_some(Self {
            posts: i64::from(posts),
            secs,
        })
    }

    /// The start of the window that ends at `now`: posts at or after it count as recent.
    pub fn window_start(self, now: f64) -> f64 {
        now - self.secs
    }

    /// Whether one more post is allowed when the poster already has `recent` posts in the window.
    pub fn allows(self, recent: i64) -> bool {
        recent < self.posts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_posts_configured_means_no_limit() {
        assert_eq!(RateLimit::from_settings((0, 16.0)), None);
        assert_eq!(
            RateLimit::from_settings((5, 16.0)),
            Some(RateLimit {
                posts: 5,
                secs: 16.0
            })
        );
    }

    #[test]
    fn a_post_is_allowed_only_while_the_window_holds_fewer_than_the_limit() {
        let cases = [
            // (posts allowed, recent posts, allowed?)
            (1, 0, true),
            (1, 1, false),
            (5, 0, true),
            (5, 4, true),
            (5, 5, false),
            (5, 9, false),
        ];
        for (posts, recent, expected) in cases {
            let limit = RateLimit { posts, secs: 16.0 };
            assert_eq!(
                limit.allows(recent),
                expected,
                "{posts} posts, {recent} recent"
            );
        }
    }

    #[test]
    fn the_window_ends_now_and_reaches_back_its_length() {
        let cases = [
            (1000.0, 16.0, 984.0),
            (1000.5, 0.5, 1000.0),
            (50.0, 60.0, -10.0),
        ];
        for (now, secs, start) in cases {
            let limit = RateLimit { posts: 1, secs };
            assert_eq!(limit.window_start(now), start, "now {now}, window {secs}");
        }
    }
}
