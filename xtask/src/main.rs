//! `cargo xtask dist`: builds ssoenv for every release target and writes into `target/dist/`
//! one archive per target (`ssoenv-<version>-<target>.tar.gz`, `.zip` for Windows) holding the
//! binary, the man pages, the committed completions, the README and the licences; then
//! `SHA256SUMS`, and from those same checksums the Homebrew formula (`ssoenv.rb`) and the Scoop
//! manifest (`ssoenv.json`).
//!
//! The x86-64 Linux binary is built exactly as `.ci/run` builds it for its tests (plain cargo,
//! musl-gcc for ring), so CI compiles it once; the other Linux and both macOS binaries come
//! from `cargo zigbuild` (zig as the C compiler and linker), Windows from mingw-w64. Every
//! binary is checked for what it must be (architecture, static, Mach-O signature) and for the
//! 5 MB budget before anything is written.

mod archive;
mod inspect;
mod manifests;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The release targets, in the order they are built.
pub const TARGETS: &[Target] = &[
    Target {
        triple: "x86_64-unknown-linux-musl",
        builder: Builder::Cargo,
        kind: inspect::Kind::Elf(inspect::Arch::X86_64),
    },
    Target {
        triple: "aarch64-unknown-linux-musl",
        builder: Builder::Zig,
        kind: inspect::Kind::Elf(inspect::Arch::Aarch64),
    },
    Target {
        triple: "aarch64-apple-darwin",
        builder: Builder::Zig,
        kind: inspect::Kind::MachO(inspect::Arch::Aarch64),
    },
    Target {
        triple: "x86_64-apple-darwin",
        builder: Builder::Zig,
        kind: inspect::Kind::MachO(inspect::Arch::X86_64),
    },
    Target {
        triple: "x86_64-pc-windows-gnu",
        builder: Builder::Cargo,
        kind: inspect::Kind::Pe(inspect::Arch::X86_64),
    },
];

/// The largest release binary allowed (issue 21): 5 MB, read as 5 MiB (5,242,880 bytes: what
/// `ls -h` and `du -h` call 5.0M). The x86-64 Linux binary is 5.09 million bytes (4.86 MiB).
pub const MAX_BINARY_BYTES: u64 = 5 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builder {
    /// `cargo build`, with the C compiler the target names (musl-gcc, mingw-w64's gcc).
    Cargo,
    /// `cargo zigbuild`.
    Zig,
}

#[derive(Debug)]
pub struct Target {
    pub triple: &'static str,
    pub builder: Builder,
    pub kind: inspect::Kind,
}

impl Target {
    pub fn is_windows(&self) -> bool {
        self.triple.contains("windows")
    }
    pub fn exe(&self) -> &'static str {
        if self.is_windows() {
            "ssoenv.exe"
        } else {
            "ssoenv"
        }
    }
    pub fn archive_name(&self, version: &str) -> String {
        let ext = if self.is_windows() { "zip" } else { "tar.gz" };
        format!("ssoenv-{version}-{}.{ext}", self.triple)
    }
}

const USAGE: &str = "\
usage: cargo xtask dist [--base-url URL] [--target TRIPLE]... [--no-build]

Builds ssoenv for every release target and writes into target/dist/ the archives,
SHA256SUMS, the Homebrew formula ssoenv.rb and the Scoop manifest ssoenv.json.

  --base-url URL     where the archives will be downloaded from (formula, manifest)
                     [default: <repository>/releases/download/v<version>]
  --target TRIPLE    only this target (repeatable); the formula and manifest are
                     written only when every target is built
  --no-build         package the binaries already in target/<triple>/release/
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("xtask: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(msg)) => {
            eprintln!("xtask: {msg}");
            ExitCode::from(1)
        }
    }
}

#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Failed(String),
}

fn failed(msg: impl Into<String>) -> Failure {
    Failure::Failed(msg.into())
}

struct Options {
    base_url: Option<String>,
    targets: Vec<&'static Target>,
    build: bool,
}

fn parse(args: &[String]) -> Result<Options, Failure> {
    let mut it = args.iter();
    match it.next().map(String::as_str) {
        Some("dist") => {}
        Some("-h" | "--help") | None => {
            print!("{USAGE}");
            std::process::exit(0);
        }
        Some(other) => return Err(Failure::Usage(format!("unknown task `{other}`"))),
    }
    let mut opts = Options {
        base_url: None,
        targets: Vec::new(),
        build: true,
    };
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| Failure::Usage(format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--base-url" => opts.base_url = Some(value("--base-url")?),
            "--target" => {
                let t = value("--target")?;
                let target = TARGETS.iter().find(|x| x.triple == t).ok_or_else(|| {
                    let all: Vec<_> = TARGETS.iter().map(|x| x.triple).collect();
                    Failure::Usage(format!(
                        "unknown target `{t}`; the release targets are {}",
                        all.join(", ")
                    ))
                })?;
                opts.targets.push(target);
            }
            "--no-build" => opts.build = false,
            "-h" | "--help" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(Failure::Usage(format!("unknown argument `{other}`"))),
        }
    }
    if opts.targets.is_empty() {
        opts.targets = TARGETS.iter().collect();
    }
    Ok(opts)
}

/// What `cargo metadata` says about the workspace and the ssoenv package.
pub struct Workspace {
    pub root: PathBuf,
    pub target_dir: PathBuf,
    pub version: String,
    pub repository: String,
    pub description: String,
    pub license: String,
}

fn workspace() -> Result<Workspace, Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .output()
        .map_err(|e| failed(format!("could not run cargo metadata: {e}")))?;
    if !out.status.success() {
        return Err(failed(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| failed(format!("cargo metadata printed invalid JSON: {e}")))?;
    let pkg = meta["packages"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "ssoenv"))
        .ok_or_else(|| failed("cargo metadata lists no `ssoenv` package"))?;
    let field = |name: &str| -> Result<String, Failure> {
        pkg[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| failed(format!("Cargo.toml: the ssoenv package has no `{name}`")))
    };
    Ok(Workspace {
        root: PathBuf::from(meta["workspace_root"].as_str().unwrap_or(".")),
        target_dir: PathBuf::from(meta["target_directory"].as_str().unwrap_or("target")),
        version: field("version")?,
        repository: field("repository")?.trim_end_matches('/').to_owned(),
        description: field("description")?,
        license: field("license")?,
    })
}

fn run(args: &[String]) -> Result<(), Failure> {
    let opts = parse(args)?;
    let ws = workspace()?;
    let base_url = opts
        .base_url
        .clone()
        .unwrap_or_else(|| format!("{}/releases/download/v{}", ws.repository, ws.version));
    if opts.build {
        check_tools(&opts.targets)?;
    }
    let started = std::time::Instant::now();
    if opts.build {
        for group in build_groups(&opts.targets) {
            let t = std::time::Instant::now();
            build(&ws, &group)?;
            let names: Vec<_> = group.iter().map(|t| t.triple).collect();
            eprintln!(
                "xtask: built {} in {:.0} s",
                names.join(", "),
                t.elapsed().as_secs_f64()
            );
        }
    }
    let mut binaries = Vec::new();
    for target in &opts.targets {
        let path = ws
            .target_dir
            .join(target.triple)
            .join("release")
            .join(target.exe());
        let bytes = std::fs::read(&path).map_err(|e| {
            failed(format!(
                "could not read the {} binary {}: {e}{}",
                target.triple,
                path.display(),
                if opts.build {
                    ""
                } else {
                    " (run without --no-build)"
                }
            ))
        })?;
        binaries.push((*target, path, bytes));
    }

    // Every binary is what its target says, and small enough, before anything is written.
    let mut problems = Vec::new();
    for (target, path, bytes) in &binaries {
        let size = bytes.len() as u64;
        match inspect::check(bytes, target.kind) {
            Ok(found) => eprintln!(
                "xtask: {:<27} {:>9} bytes ({:.2} MiB)  {found}",
                target.triple,
                size,
                size as f64 / 1_048_576.0
            ),
            Err(e) => problems.push(format!("{}: {e}", path.display())),
        }
        problems.extend(over_budget(path, size));
    }
    if !problems.is_empty() {
        return Err(failed(format!(
            "the release binaries are not fit to ship:\n  {}",
            problems.join("\n  ")
        )));
    }

    let dist = ws.target_dir.join("dist");
    std::fs::create_dir_all(&dist)
        .map_err(|e| failed(format!("could not create {}: {e}", dist.display())))?;
    let mtime = archive::source_date_epoch(&ws.root);
    let common = archive::common_files(&ws.root).map_err(failed)?;
    let mut sums = Vec::new();
    for (target, _, bytes) in &binaries {
        let top = format!("ssoenv-{}-{}", ws.version, target.triple);
        let mut files = common.clone();
        files.push(archive::File {
            path: target.exe().into(),
            mode: 0o755,
            bytes: bytes.clone(),
        });
        let data = if target.is_windows() {
            archive::zip(&top, files, mtime).map_err(failed)?
        } else {
            archive::tar_gz(&top, files, mtime).map_err(failed)?
        };
        let name = target.archive_name(&ws.version);
        write(&dist.join(&name), &data)?;
        sums.push((name, archive::sha256_hex(&data)));
    }
    sums.sort();
    write(
        &dist.join("SHA256SUMS"),
        archive::sha256sums(&sums).as_bytes(),
    )?;
    // The release ships the installer beside the archives: `…/releases/latest/download/install.sh`.
    let installer = std::fs::read(ws.root.join("install.sh"))
        .map_err(|e| failed(format!("could not read install.sh: {e}")))?;
    write(&dist.join("install.sh"), &installer)?;

    if opts.targets.len() == TARGETS.len() {
        let info = manifests::Release {
            version: &ws.version,
            description: &ws.description,
            license: &ws.license,
            homepage: &ws.repository,
            base_url: base_url.trim_end_matches('/'),
            sums: &sums,
        };
        write(
            &dist.join("ssoenv.rb"),
            manifests::homebrew(&info).map_err(failed)?.as_bytes(),
        )?;
        write(
            &dist.join("ssoenv.json"),
            manifests::scoop(&info).map_err(failed)?.as_bytes(),
        )?;
    } else {
        // A formula or manifest of an earlier run would name archives this run replaced.
        for stale in ["ssoenv.rb", "ssoenv.json"] {
            match std::fs::remove_file(dist.join(stale)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(failed(format!("could not remove the stale {stale}: {e}")));
                }
                _ => {}
            }
        }
        eprintln!("xtask: not all targets built: ssoenv.rb and ssoenv.json not written");
    }
    eprintln!(
        "xtask: wrote {} ({} archives) in {:.0} s",
        dist.display(),
        sums.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The size problem of a release binary of `size` bytes, if any.
fn over_budget(path: &Path, size: u64) -> Option<String> {
    (size > MAX_BINARY_BYTES).then(|| {
        format!(
            "{} is {size} bytes ({:.2} MiB), over the 5 MiB ({MAX_BINARY_BYTES} bytes) budget of a release binary",
            path.display(),
            size as f64 / 1_048_576.0,
        )
    })
}

fn write(path: &Path, data: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, data)
        .map_err(|e| failed(format!("could not write {}: {e}", path.display())))
}

/// Is `program` runnable (it answers `args` with success)?
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Has rustup installed `triple`'s standard library? (rustc prints the directory either way.)
fn has_std(triple: &str) -> bool {
    Command::new("rustc")
        .args(["--print", "target-libdir", "--target", triple])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .and_then(|dir| std::fs::read_dir(dir).ok())
        .is_some_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("libstd-"))
        })
}

/// Every tool the builds need, all missing ones named at once with how to install them.
fn check_tools(targets: &[&Target]) -> Result<(), Failure> {
    let mut missing = Vec::new();
    for t in targets {
        if !has_std(t.triple) {
            missing.push(format!(
                "the Rust standard library for {0}: rustup target add {0}",
                t.triple
            ));
        }
    }
    let needs = |f: &dyn Fn(&Target) -> bool| targets.iter().any(|t| f(t));
    if needs(&|t| t.triple == "x86_64-unknown-linux-musl") && !runs("musl-gcc", &["--version"]) {
        missing.push(
            "musl-gcc (ring's C for x86_64-unknown-linux-musl): apt-get install musl-tools".into(),
        );
    }
    if needs(&|t| t.is_windows()) && !runs("x86_64-w64-mingw32-gcc", &["--version"]) {
        missing.push(
            "x86_64-w64-mingw32-gcc (C compiler and linker for Windows): apt-get install gcc-mingw-w64-x86-64"
                .into(),
        );
    }
    if needs(&|t| t.builder == Builder::Zig) {
        if !runs("cargo-zigbuild", &["--version"]) {
            missing.push(
                "cargo-zigbuild (macOS and aarch64 Linux builds): cargo install --locked cargo-zigbuild"
                    .into(),
            );
        }
        // cargo-zigbuild runs `zig` from PATH, else the PyPI package's `python3 -m ziglang`.
        if !runs("zig", &["version"]) && !runs("python3", &["-m", "ziglang", "version"]) {
            missing.push("zig (cargo-zigbuild's compiler and linker): pip install ziglang".into());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(failed(format!(
            "missing what the release builds need:\n  {}",
            missing.join("\n  ")
        )))
    }
}

/// The cargo invocations: each plain-cargo target alone (the x86-64 Linux one is then exactly
/// .ci/run's static build, so CI compiles it once), and every zig target in one `cargo zigbuild`
/// (cargo then links them side by side: each release link is one long single-threaded LTO
/// step, and one invocation keeps both cores busy).
fn build_groups<'a>(targets: &[&'a Target]) -> Vec<Vec<&'a Target>> {
    let mut groups: Vec<Vec<&Target>> = Vec::new();
    for t in targets {
        match t.builder {
            Builder::Cargo => groups.push(vec![*t]),
            Builder::Zig => match groups.iter_mut().find(|g| g[0].builder == Builder::Zig) {
                Some(g) => g.push(*t),
                None => groups.push(vec![*t]),
            },
        }
    }
    groups
}

fn build(ws: &Workspace, group: &[&Target]) -> Result<(), Failure> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(&cargo);
    match group[0].builder {
        Builder::Cargo => cmd.arg("build"),
        Builder::Zig => cmd.arg("zigbuild"),
    };
    cmd.args(["--release", "--locked"]).current_dir(&ws.root);
    // What `cargo run` set for xtask itself goes: some build scripts (ring's) rerun when
    // CARGO_MANIFEST_DIR changes, so the build would not be the one a plain `cargo build` (as
    // .ci/run's) left in target/, and each would redo the other's.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || matches!(
                &*name,
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            cmd.env_remove(&*name);
        }
    }
    for t in group {
        cmd.args(["--target", t.triple]);
    }
    let shown: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    eprintln!("xtask: cargo {}", shown.join(" "));
    let status = cmd
        .status()
        .map_err(|e| failed(format!("could not run {cargo}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        let names: Vec<_> = group.iter().map(|t| t.triple).collect();
        Err(failed(format!(
            "the build for {} failed ({status}); see cargo's messages above",
            names.join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_over_5_mib_is_named_with_its_size() {
        let p = Path::new("target/x/release/ssoenv");
        assert_eq!(over_budget(p, 5_242_880), None);
        assert_eq!(
            over_budget(p, 5_300_000).unwrap(),
            "target/x/release/ssoenv is 5300000 bytes (5.05 MiB), over the 5 MiB (5242880 bytes) budget of a release binary"
        );
    }

    #[test]
    fn the_zig_targets_build_in_one_invocation_and_the_others_alone() {
        let all: Vec<_> = TARGETS.iter().collect();
        let groups: Vec<Vec<_>> = build_groups(&all)
            .iter()
            .map(|g| g.iter().map(|t| t.triple).collect())
            .collect();
        assert_eq!(
            groups,
            [
                vec!["x86_64-unknown-linux-musl"],
                vec![
                    "aarch64-unknown-linux-musl",
                    "aarch64-apple-darwin",
                    "x86_64-apple-darwin"
                ],
                vec!["x86_64-pc-windows-gnu"],
            ]
        );
    }

    #[test]
    fn every_target_has_its_archive_name() {
        let names: Vec<_> = TARGETS.iter().map(|t| t.archive_name("0.1.0")).collect();
        assert_eq!(
            names,
            [
                "ssoenv-0.1.0-x86_64-unknown-linux-musl.tar.gz",
                "ssoenv-0.1.0-aarch64-unknown-linux-musl.tar.gz",
                "ssoenv-0.1.0-aarch64-apple-darwin.tar.gz",
                "ssoenv-0.1.0-x86_64-apple-darwin.tar.gz",
                "ssoenv-0.1.0-x86_64-pc-windows-gnu.zip",
            ]
        );
    }

    #[test]
    fn unknown_arguments_and_targets_are_usage_errors() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        match parse(&args(&["dist", "--target", "riscv64gc-unknown-linux-gnu"])) {
            Err(Failure::Usage(m)) => assert!(
                m.contains("the release targets are x86_64-unknown-linux-musl, "),
                "{m}"
            ),
            other => panic!("{:?}", other.err()),
        }
        assert!(matches!(
            parse(&args(&["dist", "--base-url"])),
            Err(Failure::Usage(_))
        ));
        assert!(matches!(parse(&args(&["build"])), Err(Failure::Usage(_))));
        let o = parse(&args(&[
            "dist",
            "--target",
            "x86_64-pc-windows-gnu",
            "--no-build",
        ]))
        .unwrap();
        assert_eq!(o.targets.len(), 1);
        assert!(!o.build);
    }
}
