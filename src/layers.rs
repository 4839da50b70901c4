//! The layering of the top-level modules, enforced by a test: a module may use
//! only the modules listed before it, so no import cycle can form between them
//! and the lower layers (fs, aws, cache) never reach up into login,
//! credentials or the commands. A new module takes its place in [`LAYERS`].

/// From the bottom up: each module may use those before it, never those after.
pub(crate) const LAYERS: &[&str] = &[
    "secret",
    "text",
    "error",
    "env",
    "output",
    "tty",
    "fs",
    "percent",
    "prompt",
    "shell",
    "loopback",
    "config",
    "aws",
    "cache",
    "login",
    "accounts",
    "credentials",
    "demo",
    "cli",
    "cmd",
];

/// Every `crate::NAME` a source text names outside comments, with its line
/// (1-based): paths (`crate::aws::http`) and the names of a `use crate::{…}`
/// group (`use crate::{aws, cache::lock}`).
pub(crate) fn crate_references(source: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    let mut group: Option<usize> = None; // brace depth inside `use crate::{`
    for (i, raw) in source.lines().enumerate() {
        let line = raw.trim_start();
        if line.starts_with("//") {
            continue;
        }
        let code = strip_line_comment(line);
        if let Some(depth) = group.as_mut() {
            group = scan_group(code, depth, i + 1, &mut found).then_some(*depth);
            continue;
        }
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            let after = &rest[at + "crate::".len()..];
            rest = after;
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue; // `$crate::`, `ssoenv_crate::`
            }
            if let Some(inner) = after.strip_prefix('{') {
                let mut depth = 1;
                if scan_group(inner, &mut depth, i + 1, &mut found) {
                    group = Some(depth);
                }
                break;
            }
            let name: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((name, i + 1));
            }
        }
    }
    found
}

/// The top-level names of a `use crate::{…}` group's text at `*depth`;
/// true while the group is still open at the end of the text.
fn scan_group(
    text: &str,
    depth: &mut usize,
    line: usize,
    found: &mut Vec<(String, usize)>,
) -> bool {
    let mut word = String::new();
    let mut at_item_start = *depth == 1;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            if at_item_start && *depth == 1 {
                found.push((std::mem::take(&mut word), line));
            }
            word.clear();
            at_item_start = false;
        }
        match c {
            '{' => *depth += 1,
            '}' => {
                *depth -= 1;
                if *depth == 0 {
                    return false;
                }
            }
            ',' if *depth == 1 => at_item_start = true,
            _ => {}
        }
    }
    if !word.is_empty() && at_item_start && *depth == 1 {
        found.push((word, line));
    }
    true
}

/// `code // comment` → `code`, leaving `//` inside a string literal alone.
fn strip_line_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return &line[..i];
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                rust_files(&p, out);
            }
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path.to_path_buf());
        }
    }

    /// The module a file of `src/` belongs to: `src/aws/http.rs` → `aws`.
    fn module_of(src: &Path, file: &Path) -> Option<String> {
        let first = file.strip_prefix(src).ok()?.components().next()?;
        let name = first.as_os_str().to_str()?;
        Some(name.strip_suffix(".rs").unwrap_or(name).to_owned())
    }

    #[test]
    fn no_module_uses_one_of_a_higher_layer() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
        let mut wrong = Vec::new();
        for file in &files {
            let module = module_of(&src, file).unwrap();
            if module == "main" || module == "lib" || module == "layers" {
                continue;
            }
            let Some(mine) = rank(&module) else {
                wrong.push(format!(
                    "{}: the module `{module}` has no place in layers::LAYERS",
                    file.display()
                ));
                continue;
            };
            let text = std::fs::read_to_string(file).unwrap();
            for (name, line) in crate_references(&text) {
                if name == module {
                    continue;
                }
                if let Some(theirs) = rank(&name)
                    && theirs > mine
                {
                    wrong.push(format!(
                        "{}:{line}: `{module}` uses `crate::{name}`, a higher layer",
                        file.display()
                    ));
                }
            }
        }
        wrong.sort();
        wrong.dedup();
        assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
    }

    #[test]
    fn every_module_of_the_crate_has_a_layer() {
        let lib = include_str!("lib.rs");
        for line in lib.lines() {
            if let Some(name) = line
                .trim()
                .strip_prefix("pub mod ")
                .or_else(|| line.trim().strip_prefix("pub(crate) mod "))
                .and_then(|r| r.strip_suffix(';'))
            {
                assert!(
                    LAYERS.contains(&name),
                    "src/lib.rs: `{name}` is missing from layers::LAYERS"
                );
            }
        }
    }

    #[test]
    fn references_are_found_in_paths_and_groups_but_not_in_comments() {
        let text = "use crate::aws::http;\n\
                    // crate::login in a comment\n\
                    let x = crate::cache::read(\"a//b\"); // crate::cmd\n\
                    use crate::{\n    config::{self, Config},\n    fs,\n};\n\
                    let u = \"https://crate::nothing\";\n\
                    use crate::{env::Env, error::Error};\n";
        let got: Vec<(String, usize)> = crate_references(text);
        let want: Vec<(String, usize)> = [
            ("aws", 1),
            ("cache", 3),
            ("config", 5),
            ("fs", 6),
            ("env", 9),
            ("error", 9),
        ]
        .iter()
        .map(|(n, l)| (n.to_string(), *l))
        .collect();
        // A string is code as far as this scan knows; `nothing` is no module.
        let got: Vec<_> = got.into_iter().filter(|(n, _)| n != "nothing").collect();
        assert_eq!(got, want);
    }
}
