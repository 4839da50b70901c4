//! The integration tests, one binary (as ripgrep's): one module per concern, `support/` shared
//! by all (the sandbox HOME, the emulator, the real binary, the table of real shells, tmux,
//! the skips). Linking one test binary instead of one per file is most of what a clean
//! `cargo test` used to spend. Run one concern with `cargo test --test it -- use_exec::`.
//! `tests/zz_skipped.rs` is the other binary: cargo runs it after this one, and it lists what
//! the run skipped.

mod support;

mod accounts_populate;
mod aws_profile_switch;
mod bash32;
mod bidi_text;
mod cache_files;
mod commands;
mod config_edit;
mod configure_pick;
mod console;
mod credential_server;
mod demo;
mod doctor;
mod files_locks;
mod hostile_server;
mod hostile_shell;
mod init_completions;
mod init_elvish;
mod init_lint;
mod init_nu;
mod init_pty;
mod init_shells;
mod init_use;
mod init_xonsh;
mod install_script;
mod js_sdk;
mod lifecycle;
mod login_policy;
mod packaging;
mod pkce_login;
mod profile_names;
mod role_chaining;
mod shell_matrix;
mod shell_quoting;
mod skips;
mod stderr_writes;
mod use_exec;
mod windows_wine;
mod wrong_shell;
