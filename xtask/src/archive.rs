//! The release archives, byte for byte reproducible: the same files give the same archive
//! whatever the checkout's mtimes, owners, umask or directory order. Entries are sorted by
//! path, every directory is listed, modes are 0755 (directories, the binary) or 0644, owners
//! are 0 with no names, and every timestamp is `SOURCE_DATE_EPOCH` (else the HEAD commit's
//! time), as reproducible-builds.org asks.

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// One file of an archive, relative to its top directory.
#[derive(Clone, Debug)]
pub struct File {
    pub path: String,
    pub mode: u32,
    pub bytes: Vec<u8>,
}

/// What every archive holds besides the binary: the README, the licences, the man pages
/// (under `man/man1/`, the layout `MANPATH` and Homebrew's `man1` expect) and every committed
/// completion script (under `completions/`).
pub fn common_files(root: &Path) -> Result<Vec<File>, String> {
    let read =
        |rel: &str| std::fs::read(root.join(rel)).map_err(|e| format!("could not read {rel}: {e}"));
    let mut files = Vec::new();
    for name in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        files.push(File {
            path: name.into(),
            mode: 0o644,
            bytes: read(name)?,
        });
    }
    for (dir, into, want) in [
        (
            "man",
            "man/man1",
            (|n: &str| n.ends_with(".1")) as fn(&str) -> bool,
        ),
        ("completions", "completions", |_: &str| true),
    ] {
        let entries =
            std::fs::read_dir(root.join(dir)).map_err(|e| format!("could not list {dir}/: {e}"))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| format!("could not list {dir}/: {e}"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type().is_ok_and(|t| t.is_file()) && want(&name) {
                names.push(name);
            }
        }
        if names.is_empty() {
            return Err(format!("{dir}/ holds nothing to ship"));
        }
        for name in names {
            files.push(File {
                path: format!("{into}/{name}"),
                mode: 0o644,
                bytes: read(&format!("{dir}/{name}"))?,
            });
        }
    }
    Ok(files)
}

/// The timestamp of every entry: `SOURCE_DATE_EPOCH` when set, else the HEAD commit's time,
/// else 1980-01-01 (the earliest a zip can say).
pub fn source_date_epoch(root: &Path) -> u64 {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return t;
    }
    std::process::Command::new("git")
        .args(["log", "-1", "--format=%ct"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(ZIP_EPOCH)
}

/// 1980-01-01T00:00:00Z, the zip format's first representable time.
const ZIP_EPOCH: u64 = 315_532_800;

/// Every entry in archive order: the top directory, then each directory before what it holds,
/// all sorted by path, with the files' modes (only permission bits kept).
fn entries(top: &str, mut files: Vec<File>) -> Result<Vec<(String, Option<File>)>, String> {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut dirs = BTreeSet::new();
    for f in &files {
        if f.path.is_empty() || f.path.starts_with('/') || f.path.split('/').any(|c| c == "..") {
            return Err(format!("refusing to archive the path `{}`", f.path));
        }
        let mut prefix = String::new();
        for part in f
            .path
            .split('/')
            .collect::<Vec<_>>()
            .split_last()
            .unwrap()
            .1
        {
            prefix.push_str(part);
            prefix.push('/');
            dirs.insert(prefix.clone());
        }
    }
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            return Err(format!("`{}` is in the archive twice", pair[0].path));
        }
    }
    let mut all: Vec<(String, Option<File>)> = dirs
        .into_iter()
        .map(|d| (format!("{top}/{d}"), None))
        .collect();
    all.push((format!("{top}/"), None));
    for f in files {
        all.push((format!("{top}/{}", f.path), Some(f)));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(all)
}

/// 0755 for anything executable by someone, else 0644: a checkout's umask or group-write bit
/// never reaches the archive.
fn normal_mode(mode: u32) -> u32 {
    if mode & 0o111 != 0 { 0o755 } else { 0o644 }
}

/// A gzip-compressed ustar/GNU tar of `files` under the directory `top`.
pub fn tar_gz(top: &str, files: Vec<File>, mtime: u64) -> Result<Vec<u8>, String> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    for (path, file) in entries(top, files)? {
        let mut header = tar::Header::new_gnu();
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        let (mode, data): (u32, &[u8]) = match &file {
            None => {
                header.set_entry_type(tar::EntryType::Directory);
                (0o755, &[])
            }
            Some(f) => {
                header.set_entry_type(tar::EntryType::Regular);
                (normal_mode(f.mode), &f.bytes)
            }
        };
        header.set_mode(mode);
        header.set_size(data.len() as u64);
        tar.append_data(&mut header, &path, data)
            .map_err(|e| format!("could not add {path} to the tar: {e}"))?;
    }
    let gz = tar
        .into_inner()
        .map_err(|e| format!("could not finish the tar: {e}"))?;
    gz.finish()
        .map_err(|e| format!("could not finish the gzip stream: {e}"))
}

/// A deflated zip of `files` under the directory `top`, Unix modes kept for unzip(1).
pub fn zip(top: &str, files: Vec<File>, mtime: u64) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let (y, mo, d, h, mi, s) = civil(mtime.max(ZIP_EPOCH));
    let time = zip::DateTime::from_date_and_time(y.min(2107) as u16, mo, d, h, mi, s)
        .map_err(|e| format!("no zip timestamp for {mtime}: {e}"))?;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let fail =
        |path: &str, e: &dyn std::fmt::Display| format!("could not add {path} to the zip: {e}");
    for (path, file) in entries(top, files)? {
        let base = SimpleFileOptions::default().last_modified_time(time);
        match file {
            None => zip
                .add_directory(path.as_str(), base.unix_permissions(0o755))
                .map_err(|e| fail(&path, &e))?,
            Some(f) => {
                let opts = base
                    .compression_method(zip::CompressionMethod::Deflated)
                    .compression_level(Some(9))
                    .unix_permissions(normal_mode(f.mode));
                zip.start_file(path.as_str(), opts)
                    .map_err(|e| fail(&path, &e))?;
                zip.write_all(&f.bytes).map_err(|e| fail(&path, &e))?;
            }
        }
    }
    let cursor = zip
        .finish()
        .map_err(|e| format!("could not finish the zip: {e}"))?;
    Ok(cursor.into_inner())
}

/// Seconds since 1970 as UTC (year, month, day, hour, minute, second): Howard Hinnant's
/// civil_from_days.
fn civil(t: u64) -> (u32, u8, u8, u8, u8, u8) {
    let days = (t / 86_400) as i64;
    let secs = t % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u32;
    (
        year,
        month,
        day,
        (secs / 3600) as u8,
        (secs / 60 % 60) as u8,
        (secs % 60) as u8,
    )
}

pub fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sha256sum`'s format (text mode: two spaces), one line per archive, as given.
pub fn sha256sums(sums: &[(String, String)]) -> String {
    sums.iter()
        .map(|(name, hash)| format!("{hash}  {name}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn files() -> Vec<File> {
        vec![
            File {
                path: "man/man1/ssoenv.1".into(),
                mode: 0o644,
                bytes: b".TH ssoenv 1\n".to_vec(),
            },
            File {
                path: "ssoenv".into(),
                mode: 0o100755,
                bytes: b"\x7fELF binary".to_vec(),
            },
            File {
                path: "README.md".into(),
                mode: 0o664,
                bytes: b"# ssoenv\n".to_vec(),
            },
        ]
    }

    #[test]
    fn the_same_files_in_any_order_give_the_same_bytes() {
        let mut reversed = files();
        reversed.reverse();
        assert_eq!(
            tar_gz("top", files(), 1_700_000_000).unwrap(),
            tar_gz("top", reversed.clone(), 1_700_000_000).unwrap()
        );
        assert_eq!(
            zip("top", files(), 1_700_000_000).unwrap(),
            zip("top", reversed, 1_700_000_000).unwrap()
        );
        // The timestamp is the only input besides the files.
        assert_ne!(
            tar_gz("top", files(), 1_700_000_000).unwrap(),
            tar_gz("top", files(), 1_700_000_002).unwrap()
        );
    }

    #[test]
    fn the_tar_lists_directories_first_sorted_with_fixed_modes_owners_and_times() {
        let data = tar_gz("ssoenv-1-x", files(), 1_700_000_000).unwrap();
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&data[..]));
        let mut seen = Vec::new();
        for entry in tar.entries().unwrap() {
            let mut entry = entry.unwrap();
            let h = entry.header().clone();
            let mut body = Vec::new();
            entry.read_to_end(&mut body).unwrap();
            assert_eq!((h.uid().unwrap(), h.gid().unwrap()), (0, 0));
            assert_eq!(h.username().unwrap(), Some(""));
            assert_eq!(h.mtime().unwrap(), 1_700_000_000);
            seen.push((
                entry.path().unwrap().to_string_lossy().into_owned(),
                format!("{:o}", h.mode().unwrap()),
                body.len(),
            ));
        }
        let want = [
            ("ssoenv-1-x/", "755", 0),
            ("ssoenv-1-x/README.md", "644", 9),
            ("ssoenv-1-x/man/", "755", 0),
            ("ssoenv-1-x/man/man1/", "755", 0),
            ("ssoenv-1-x/man/man1/ssoenv.1", "644", 13),
            ("ssoenv-1-x/ssoenv", "755", 11),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(p, m, n)| (p.to_string(), m.to_string(), *n))
            .collect();
        assert_eq!(seen, want);
        // gzip header: no name, mtime 0, OS "unknown".
        assert_eq!(&data[3..10], &[0, 0, 0, 0, 0, 2, 255]);
    }

    #[test]
    fn the_zip_keeps_unix_modes_and_the_timestamp() {
        let data = zip("top", files(), 1_700_000_000).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(data)).unwrap();
        let names: Vec<_> = z.file_names().map(|n| n.unwrap().into_owned()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        let exe = z.by_name("top/ssoenv").unwrap();
        assert_eq!(exe.unix_mode().unwrap() & 0o777, 0o755);
        // 2023-11-14 22:13:20 UTC, in the two-second resolution of DOS times.
        let t = exe.last_modified().unwrap();
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2023, 11, 14, 22, 13, 20)
        );
    }

    #[test]
    fn paths_that_escape_the_top_directory_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../x", ""] {
            let f = File {
                path: bad.into(),
                mode: 0o644,
                bytes: vec![],
            };
            assert!(tar_gz("top", vec![f], 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_time_matches_known_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(civil(1_700_000_000), (2023, 11, 14, 22, 13, 20));
    }

    #[test]
    fn sha256sums_is_in_sha256sum_format() {
        let sums = vec![("a.tar.gz".to_owned(), sha256_hex(b"abc"))];
        assert_eq!(
            sha256sums(&sums),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.tar.gz\n"
        );
    }
}
