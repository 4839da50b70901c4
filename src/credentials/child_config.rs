//! The config files `exec --server` gives its child.
//!
//! An SDK's default chain tries the profile's own credential sources before
//! the container endpoint: botocore's `create_credential_resolver` runs env,
//! assume-role, web-identity, sso, shared-credentials-file, process,
//! config-file, … and only then container-role; the AWS SDK for Rust runs
//! env, profile, web identity, then ECS. With `AWS_PROFILE` removed the
//! profile is `[default]`, and a `[default]` with `sso_*` keys, a `role_arn`
//! or keys of its own (common) would win over the server: the child would
//! silently act as `[default]`'s role instead of the profile it was run for.
//!
//! So the child gets `AWS_CONFIG_FILE` pointing at a copy of the user's
//! config with every credential source removed from every section (the
//! child or a tool it runs may set `AWS_PROFILE` to any profile) and every
//! other byte kept (region, output, `services`, s3 settings, `sso-session`
//! sections without their SSO keys, comments), and
//! `AWS_SHARED_CREDENTIALS_FILE` pointing at an empty file. Both live in a
//! fresh private directory (random name, 0700, files 0600 created new) that
//! is removed when `exec` ends, on SIGTERM and SIGHUP too. They hold no
//! secret: what is removed is exactly what could.

use crate::config::edit::Document;
use crate::env::{self, Env};
use crate::error::{Error, Result};
use crate::shell::Change;
use std::path::{Path, PathBuf};

/// Every key through which botocore, the AWS SDKs for Rust, JavaScript, Go
/// and Java, or the AWS CLI, resolve credentials for a profile: static keys,
/// role assumption (with its parameters), web identity, `credential_process`,
/// IAM Identity Center (legacy and `sso_session`), and `aws login`'s
/// `login_session`. Lower-case, as the reader compares them.
pub(crate) const CREDENTIAL_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "aws_credential_expiration",
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "role_session_name",
    "duration_seconds",
    "web_identity_token_file",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "sso_region",
    "sso_account_id",
    "sso_role_name",
    "sso_registration_scopes",
    "login_session",
];

/// The user's config (its bytes) without any credential source.
pub(crate) fn without_credentials(config: &[u8]) -> Result<String> {
    Ok(Document::parse(config)?.without_keys(CREDENTIAL_KEYS))
}

/// The child's private config directory; removed on drop.
#[derive(Debug)]
pub(crate) struct ChildConfig {
    dir: PathBuf,
    config: PathBuf,
    credentials: PathBuf,
}

impl ChildConfig {
    /// Write the child's files for the config file at `config_path` (the one
    /// `Config::load` read).
    pub(crate) fn create(env: &Env, config_path: &Path) -> Result<ChildConfig> {
        let bytes = crate::config::read_config_file(config_path).map_err(|e| {
            Error::runtime(format!(
                "could not read config file {} again",
                config_path.display()
            ))
            .cause(e)
        })?;
        let text = without_credentials(&bytes)?;
        let base = env
            .non_empty("TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let dir = private_dir(&base)?;
        let files = ChildConfig {
            config: dir.join("config"),
            credentials: dir.join("credentials"),
            dir,
        };
        // From here on, a failure removes what was made (drop).
        write_new(&files.config, text.as_bytes())?;
        write_new(&files.credentials, b"")?;
        #[cfg(unix)]
        signals::remove_on_termination(&files);
        Ok(files)
    }

    /// The child's environment changes: the two files.
    pub(crate) fn changes(&self) -> Vec<Change> {
        let path = |p: &Path| Some(p.to_string_lossy().into_owned());
        vec![
            (env::AWS_CONFIG_FILE.to_owned(), path(&self.config)),
            (
                env::AWS_SHARED_CREDENTIALS_FILE.to_owned(),
                path(&self.credentials),
            ),
        ]
    }
}

impl Drop for ChildConfig {
    fn drop(&mut self) {
        #[cfg(unix)]
        signals::forget();
        let _ = std::fs::remove_file(&self.config);
        let _ = std::fs::remove_file(&self.credentials);
        let _ = std::fs::remove_dir(&self.dir);
    }
}

/// A new directory `ssoenv-exec-<random>` under `base`, 0700, never one
/// that already exists (another user may have planted it).
fn private_dir(base: &Path) -> Result<PathBuf> {
    crate::fs::private_dir(base, "ssoenv-exec-").map_err(|e| {
        let error = Error::runtime(format!(
            "could not create a private directory in {}",
            base.display()
        ));
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            error.cause("every name tried exists")
        } else {
            error.cause(e).hint("set TMPDIR to a writable directory")
        }
    })
}

/// Create `path` (which must not exist), mode 0600, holding `bytes`.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::fs::write_new(path, bytes)
        .map_err(|e| Error::runtime(format!("could not write {}", path.display())).cause(e))
}

/// SIGTERM and SIGHUP (a `kill`, a closed terminal) end `exec` without
/// unwinding: a handler removes the files first, then dies of the signal.
#[cfg(unix)]
mod signals {
    use super::ChildConfig;
    use std::ffi::CString;
    use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

    /// The paths to remove, as C strings: config, credentials, directory.
    struct Paths([CString; 3]);

    /// Set while a `ChildConfig` exists; read by the handler (an atomic
    /// load, async-signal-safe). The box is leaked while set.
    static PATHS: AtomicPtr<Paths> = AtomicPtr::new(std::ptr::null_mut());

    const SIGNALS: [libc::c_int; 2] = [libc::SIGTERM, libc::SIGHUP];
    /// Their dispositions before (SIG_DFL unless ignored), restored by `forget`.
    static SAVED: [AtomicUsize; 2] = [
        AtomicUsize::new(libc::SIG_DFL),
        AtomicUsize::new(libc::SIG_DFL),
    ];

    pub(super) fn remove_on_termination(files: &ChildConfig) {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &std::path::Path| CString::new(p.as_os_str().as_bytes()).ok();
        let (Some(a), Some(b), Some(d)) = (c(&files.config), c(&files.credentials), c(&files.dir))
        else {
            return;
        };
        let new = Box::into_raw(Box::new(Paths([a, b, d])));
        let old = PATHS.swap(new, Ordering::SeqCst);
        if !old.is_null() {
            // SAFETY: `old` came from Box::into_raw above and is no longer published.
            drop(unsafe { Box::from_raw(old) });
        }
        for (sig, saved) in SIGNALS.iter().zip(&SAVED) {
            // SAFETY: `handler` only calls async-signal-safe functions
            // (unlink, rmdir, signal, raise).
            let previous =
                unsafe { libc::signal(*sig, handler as *const () as libc::sighandler_t) };
            if previous == libc::SIG_IGN {
                // Ignored (`nohup ssoenv exec --server …`): it stays ignored,
                // and the server outlives the terminal as before.
                // SAFETY: SIG_IGN installs no code.
                unsafe { libc::signal(*sig, libc::SIG_IGN) };
            }
            if previous != libc::SIG_ERR {
                saved.store(previous, Ordering::SeqCst);
            }
        }
    }

    /// The files are gone (or going): the handler has nothing to remove.
    pub(super) fn forget() {
        for (sig, saved) in SIGNALS.iter().zip(&SAVED) {
            // SAFETY: restores the disposition found before (default or ignored).
            unsafe {
                libc::signal(*sig, saved.load(Ordering::SeqCst));
            }
        }
        let old = PATHS.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !old.is_null() {
            // SAFETY: `old` came from Box::into_raw and is no longer published.
            drop(unsafe { Box::from_raw(old) });
        }
    }

    extern "C" fn handler(sig: libc::c_int) {
        let paths = PATHS.load(Ordering::SeqCst);
        // SAFETY: a published pointer stays valid until `forget` unpublishes
        // it, which runs on the main thread after the handlers are reset.
        unsafe {
            if let Some(Paths([a, b, d])) = paths.as_ref() {
                libc::unlink(a.as_ptr());
                libc::unlink(b.as_ptr());
                libc::rmdir(d.as_ptr());
            }
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "\u{feff}# my config\r\n[default]\r\nsso_session = corp\r\nsso_account_id = 111111111111\r\nsso_role_name = Admin\r\nregion = eu-west-1\r\noutput = json\r\n\r\n[sso-session corp]\r\nsso_start_url = https://d-1.awsapps.com/start\r\nsso_region = us-east-1\r\n\r\n[profile keys]\r\nAWS_Access_Key_ID = AKIA\r\naws_secret_access_key: secret\r\n  still the secret\r\n\r\n  and this\r\ns3 =\r\n  addressing_style = path\r\n  role_arn = stays: a sub-section key\r\nregion = us-east-2 ; kept\r\n[profile chain]\r\n  role_arn = arn:aws:iam::1:role/R\r\nsource_profile = keys\r\nmfa_serial = arn:aws:iam::1:mfa/me\r\ncredential_process = /bin/echo\r\n[DEFAULT]\r\ncredential_process = /bin/false\r\nweb_identity_token_file = /t\r\nlogin_session = arn:aws:iam::1:user/me\r\nmax_attempts = 3\r\n[services s]\r\nsts =\r\n  endpoint_url = http://127.0.0.1:1\r\n";

    #[test]
    fn every_credential_source_goes_from_every_section_and_every_other_byte_stays() {
        let want = "\u{feff}# my config\r\n[default]\r\nregion = eu-west-1\r\noutput = json\r\n\r\n[sso-session corp]\r\n\r\n[profile keys]\r\n\r\ns3 =\r\n  addressing_style = path\r\n  role_arn = stays: a sub-section key\r\nregion = us-east-2 ; kept\r\n[profile chain]\r\n[DEFAULT]\r\nmax_attempts = 3\r\n[services s]\r\nsts =\r\n  endpoint_url = http://127.0.0.1:1\r\n";
        assert_eq!(without_credentials(MIXED.as_bytes()).unwrap(), want);
    }

    /// botocore reads the copy as the original less the credential keys: same sections, same
    /// values, same sub-sections.
    #[test]
    fn botocore_reads_the_copy_as_the_original_without_the_credential_keys() {
        if !crate::test_support::have_botocore() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        // Python refuses a BOM (ssoenv's reader accepts one).
        let mixed = MIXED.trim_start_matches('\u{feff}');
        std::fs::write(&a, mixed).unwrap();
        std::fs::write(&b, without_credentials(mixed.as_bytes()).unwrap()).unwrap();
        let script = "import sys, json\n\
            from botocore.configloader import raw_config_parse\n\
            keys = set(json.loads(sys.argv[3]))\n\
            a = raw_config_parse(sys.argv[1])\n\
            b = raw_config_parse(sys.argv[2])\n\
            a = {s: {k: v for k, v in d.items() if k not in keys} for s, d in a.items()}\n\
            assert a == b, (a, b)\n\
            assert b['default'] == {'region': 'eu-west-1', 'output': 'json', 'max_attempts': '3'}, b\n\
            print('same')\n";
        let out = std::process::Command::new("python3")
            .args(["-c", script])
            .arg(&a)
            .arg(&b)
            .arg(serde_json::to_string(CREDENTIAL_KEYS).unwrap())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "same\n",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_config_without_credential_sources_is_unchanged() {
        let config = "[default]\nregion = us-east-1\n\n# end\n";
        assert_eq!(without_credentials(config.as_bytes()).unwrap(), config);
        assert_eq!(without_credentials(b"").unwrap(), "");
    }

    #[test]
    fn the_files_are_private_and_gone_after_drop() {
        let tmp = tempfile::tempdir().unwrap();
        let config = tmp.path().join("config");
        std::fs::write(
            &config,
            "[default]\nsso_role_name = R\nregion = us-east-1\n",
        )
        .unwrap();
        let env = Env::from_pairs([("TMPDIR", tmp.path().to_str().unwrap())]);
        let files = ChildConfig::create(&env, &config).unwrap();
        let changes = files.changes();
        let path = |n: &str| {
            PathBuf::from(
                changes
                    .iter()
                    .find(|(k, _)| k == n)
                    .and_then(|(_, v)| v.clone())
                    .unwrap(),
            )
        };
        let (child_config, child_credentials) =
            (path("AWS_CONFIG_FILE"), path("AWS_SHARED_CREDENTIALS_FILE"));
        assert_eq!(
            std::fs::read_to_string(&child_config).unwrap(),
            "[default]\nregion = us-east-1\n"
        );
        assert_eq!(std::fs::read(&child_credentials).unwrap(), b"");
        let dir = child_config.parent().unwrap().to_owned();
        assert!(dir.starts_with(tmp.path()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&child_config), 0o600);
            assert_eq!(mode(&child_credentials), 0o600);
        }
        drop(files);
        assert!(!dir.exists());
    }
}
