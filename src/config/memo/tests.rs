use super::*;
use crate::config::scan::lookup;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// A private directory with a config of `n` SSO profiles (`p1` … `pN`,
/// each `region = eu-west-1`), one sso-session, and `[profile top]`
/// chaining to `p7`.
struct Fixture {
    dir: PathBuf,
    config: PathBuf,
    cache: PathBuf,
}

impl Fixture {
    fn new(n: usize) -> Fixture {
        let dir = crate::fs::private_dir(&std::env::temp_dir(), "ssoenv-memo-test-").unwrap();
        let mut text = String::from(
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n",
        );
        for i in 1..=n {
            text.push_str(&format!(
                "[profile p{i}]\nsso_session = corp\nsso_account_id = {i:012}\nsso_role_name = Admin\nregion = eu-west-1\n\n"
            ));
        }
        text.push_str(
            "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/Top\nsource_profile = p7\n",
        );
        let config = dir.join("config");
        std::fs::write(&config, text).unwrap();
        let cache = dir.join("cache");
        Fixture { dir, config, cache }
    }

    /// A lookup as a command makes it, the file's last change long past.
    fn lookup(&self, name: &str) -> Option<Profile> {
        lookup(&self.config, name, Some(&self.cache), later())
    }

    fn memo(&self, name: &str) -> Memo {
        Memo::at(&self.cache, &self.config, name)
    }

    /// What the memo alone answers (no scan behind it).
    fn recall(&self, name: &str) -> Option<Profile> {
        let file = File::open(&self.config).unwrap();
        let meta = file.metadata().unwrap();
        self.memo(name).recall(&self.config, &file, &meta, name)
    }

    fn stored(&self, name: &str) -> Stored {
        serde_json::from_slice(&std::fs::read(&self.memo(name).path).unwrap()).unwrap()
    }

    fn store(&self, name: &str, stored: &Stored) {
        std::fs::write(&self.memo(name).path, serde_json::to_vec(stored).unwrap()).unwrap();
    }

    /// The full parse's answer.
    fn full(&self, name: &str) -> Profile {
        let text = std::fs::read_to_string(&self.config).unwrap();
        crate::config::Config::parse(self.config.clone(), &text)
            .unwrap()
            .profile(name)
            .unwrap()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A moment when a file written now has long settled.
fn later() -> SystemTime {
    SystemTime::now() + Duration::from_secs(60)
}

#[test]
fn a_lookup_is_remembered_and_answered_from_its_sections_alone() {
    let f = Fixture::new(300);
    assert!(f.recall("p100").is_none(), "no memo yet");
    let first = f.lookup("p100").unwrap();
    assert_eq!(first, f.full("p100"));
    let mode = std::fs::metadata(&f.memo("p100").path)
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // Two sections: the session and the profile; the answer is the same.
    let stored = f.stored("p100");
    assert_eq!(stored.sections.len(), 2, "{:?}", stored.sections);
    assert_eq!(stored.profiles, ["p100"]);
    assert_eq!(f.recall("p100"), Some(first.clone()));
    assert_eq!(f.lookup("p100"), Some(first));
    // A chain remembers every profile it reads.
    let top = f.lookup("top").unwrap();
    assert_eq!(top, f.full("top"));
    assert_eq!(f.stored("top").profiles, ["top", "p7"]);
    assert_eq!(f.recall("top"), Some(top));
    // The memo of one name is not another's.
    assert!(f.recall("p101").is_none());
}

#[test]
fn a_file_changed_since_is_scanned_again_even_with_its_old_size_and_times() {
    let f = Fixture::new(50);
    f.lookup("p20").unwrap();
    assert!(f.recall("p20").is_some());
    // Rewritten in place, same size, the modification time put back: only
    // the change time tells, and it does.
    let meta = std::fs::metadata(&f.config).unwrap();
    let text = std::fs::read_to_string(&f.config).unwrap();
    let changed = text.replacen(
        "[profile p20]\nsso_session = corp\nsso_account_id = 000000000020\nsso_role_name = Admin\nregion = eu-west-1",
        "[profile p20]\nsso_session = corp\nsso_account_id = 000000000020\nsso_role_name = Admin\nregion = eu-west-2",
        1,
    );
    assert_ne!(changed, text);
    std::thread::sleep(Duration::from_millis(20));
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&f.config)
        .unwrap();
    std::io::Write::write_all(&mut &file, changed.as_bytes()).unwrap();
    file.set_modified(meta.modified().unwrap()).unwrap();
    drop(file);
    assert_eq!(std::fs::metadata(&f.config).unwrap().len(), meta.len());
    assert!(
        f.recall("p20").is_none(),
        "the memo of the old file is not used"
    );
    let now = f.lookup("p20").unwrap();
    assert_eq!(now.region(), Some("eu-west-2"));
    assert_eq!(now, f.full("p20"));
}

#[test]
fn no_memo_is_written_for_a_file_changed_a_moment_ago() {
    let f = Fixture::new(10);
    // Judged now: the file was written within the last two seconds.
    assert!(lookup(&f.config, "p3", Some(&f.cache), SystemTime::now()).is_some());
    assert!(!f.memo("p3").path.exists());
    // No cache directory (no HOME): no memo, the same answer.
    assert_eq!(lookup(&f.config, "p3", None, later()), Some(f.full("p3")));
}

#[test]
fn a_memo_that_does_not_hold_is_never_believed() {
    let f = Fixture::new(40);
    let want = f.lookup("p10").unwrap();
    let good = f.stored("p10");
    let text = std::fs::read(&f.config).unwrap();
    // The bytes of another profile's section, the right session.
    let at = |needle: &str| {
        text.windows(needle.len())
            .position(|w| w == needle.as_bytes())
            .unwrap() as u64
    };
    let other = at("[profile p11]")..at("[profile p12]");
    let mine = at("[profile p10]")..at("[profile p11]");
    let forged = |sections: Vec<[u64; 2]>, profiles: &[&str]| Stored {
        version: VERSION,
        file: good.file,
        profiles: profiles.iter().map(|p| p.to_string()).collect(),
        sections,
    };
    let session = good.sections[0];
    let cases = [
        // Another profile's section under this name.
        forged(vec![session, [other.start, other.end]], &["p10"]),
        // This profile's section, cut short or started mid-line.
        forged(vec![session, [mine.start, mine.end - 5]], &["p10"]),
        forged(vec![session, [mine.start + 1, mine.end]], &["p10"]),
        // Out of order, overlapping, empty, past the end.
        forged(vec![[mine.start, mine.end], session], &["p10"]),
        forged(vec![session, session], &["p10"]),
        forged(vec![[mine.start, mine.start]], &["p10"]),
        forged(
            vec![session, [mine.start, text.len() as u64 + 10]],
            &["p10"],
        ),
        // Another name's memo.
        forged(good.sections.clone(), &["p11"]),
        // A version to come.
        Stored {
            version: VERSION + 1,
            ..forged(good.sections.clone(), &["p10"])
        },
    ];
    for case in &cases {
        f.store("p10", case);
        assert!(
            f.recall("p10").is_none(),
            "{:?} {:?}",
            case.profiles,
            case.sections
        );
        // The lookup scans instead (and the good memo is written again).
        assert_eq!(f.lookup("p10").as_ref(), Some(&want));
        assert!(f.recall("p10").is_some());
    }
    // A chain whose memo leaves out a profile it reads.
    let top = f.lookup("top").unwrap();
    let chain = f.stored("top");
    let p7 = at("[profile p7]")..at("[profile p8]");
    let without = chain
        .sections
        .iter()
        .copied()
        .filter(|s| s[0] != p7.start)
        .collect();
    f.store("top", &forged(without, &["top"]));
    assert!(f.recall("top").is_none());
    assert_eq!(f.lookup("top"), Some(top));
    // Writable by others, or in a directory that is: ignored.
    let path = f.memo("p10").path;
    let dir = path.parent().unwrap().to_owned();
    assert!(f.recall("p10").is_some());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o622)).unwrap();
    assert!(f.recall("p10").is_none());
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    assert!(f.recall("p10").is_none());
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(f.recall("p10").is_some());
    // Another user's (as root, where a file can be given away).
    if unsafe { libc::geteuid() } == 0 {
        std::os::unix::fs::chown(&path, Some(65534), None).unwrap();
        assert!(f.recall("p10").is_none());
        std::os::unix::fs::chown(&path, Some(0), None).unwrap();
    }
    // Not JSON, too large, not a file: ignored, never waited on.
    std::fs::write(&path, b"{not json").unwrap();
    assert_eq!(f.lookup("p10").as_ref(), Some(&want));
    std::fs::write(&path, vec![b' '; (MEMO_LIMIT + 1) as usize]).unwrap();
    assert!(f.recall("p10").is_none());
    std::fs::remove_file(&path).unwrap();
    crate::test_support::mkfifo(&path);
    assert!(f.recall("p10").is_none());
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
    assert!(f.recall("p10").is_none());
    assert_eq!(f.lookup("p10"), Some(want));
}

#[test]
fn memos_not_written_for_a_month_are_removed_when_another_is_written() {
    let f = Fixture::new(20);
    f.lookup("p1").unwrap();
    f.lookup("p2").unwrap();
    let dir = f.memo("p1").path.parent().unwrap().to_owned();
    let month_ago = SystemTime::now() - UNUSED - Duration::from_secs(60);
    let old = File::options().write(true).open(f.memo("p1").path).unwrap();
    old.set_modified(month_ago).unwrap();
    // Not a memo's name: never touched, however old.
    let other = dir.join("notes.json");
    std::fs::write(&other, b"{}").unwrap();
    File::options()
        .write(true)
        .open(&other)
        .unwrap()
        .set_modified(month_ago)
        .unwrap();
    f.lookup("p3").unwrap();
    assert!(!f.memo("p1").path.exists(), "unused for a month: removed");
    assert!(f.memo("p2").path.exists());
    assert!(f.memo("p3").path.exists());
    assert!(other.exists());
    // Removed, it is only scanned and remembered again.
    assert_eq!(f.lookup("p1"), Some(f.full("p1")));
    assert!(f.memo("p1").path.exists());
}
