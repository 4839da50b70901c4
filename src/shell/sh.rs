//! POSIX sh (dash, busybox sh, any shell as `sh`): `export NAME='value';` and `unset NAME;`,
//! the bash rendering, which uses nothing beyond POSIX.1-2017 XCU 2.2.2 (single quotes) and
//! the `export`/`unset` special built-ins (`unset` of an unset name succeeds, XCU 2.14).
//! There is no shell integration for sh: `eval "$(ssoenv use prod --shell sh)"`.

pub(super) use super::bash::{quote, set, unset};
