use super::*;
use crate::error::Kind;

const PATH: &str = "/home/u/.aws/config";

fn cfg(text: &str) -> Config {
    Config::parse(PathBuf::from(PATH), text).unwrap_or_else(|e| panic!("{e}"))
}

fn parse_err(text: &str) -> Error {
    Config::parse(PathBuf::from(PATH), text).expect_err("should be refused")
}

fn resolve_err(text: &str, profile: &str) -> Error {
    cfg(text).resolve(profile).expect_err("should not resolve")
}

const MODERN: &str = "\
[default]
region = us-east-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin
region = eu-west-1
output = json

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access,  , extra:scope ,
";

#[test]
fn a_modern_profile_resolves_through_its_sso_session() {
    let p = cfg(MODERN).resolve("dev").unwrap();
    assert_eq!(
        p,
        ResolvedProfile {
            name: "dev".into(),
            sso: SsoSession {
                name: Some("corp".into()),
                start_url: "https://corp.awsapps.com/start".into(),
                region: "us-east-2".into(),
                scopes: Some(vec!["sso:account:access".into(), "extra:scope".into()]),
            },
            account_id: "111122223333".into(),
            role_name: "Admin".into(),
            region: Some("eu-west-1".into()),
            endpoints: ConfiguredEndpoints::default(),
        }
    );
}

#[test]
fn a_legacy_profile_resolves_from_its_own_keys_without_scopes() {
    let c = cfg(
        "[profile old]\nsso_start_url = https://x.awsapps.com/start/\nsso_region = us-west-2\n\
                 sso_account_id = 1\nsso_role_name = R\nsso_registration_scopes = a\n",
    );
    let p = c.resolve("old").unwrap();
    assert_eq!(p.sso.name, None);
    assert_eq!(p.sso.start_url, "https://x.awsapps.com/start/");
    assert_eq!(p.sso.region, "us-west-2");
    assert_eq!(p.sso.scopes, None);
    assert_eq!(p.region, None);
}

#[test]
fn sso_session_resolves_a_section_by_name() {
    let s = cfg(MODERN).sso_session("corp").unwrap();
    assert_eq!(s.name.as_deref(), Some("corp"));
    assert_eq!(s.region, "us-east-2");
    let e = cfg(MODERN).sso_session("crop").unwrap_err();
    assert_eq!(
        e.message,
        format!("sso-session \"crop\" not found in {PATH}")
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean \"corp\"?"));
    let e = cfg("[sso-session s]\nsso_region = x\n")
        .sso_session("s")
        .unwrap_err();
    assert_eq!(
        e.message,
        format!("sso-session \"s\" in {PATH}: missing required configuration: sso_start_url")
    );
}

#[test]
fn profile_and_session_names_come_in_file_order() {
    let c = cfg(
        "[profile b]\n[default]\n[sso-session z]\n[profile a]\n[sso-session y]\n[preview]\n[services s]\n",
    );
    assert_eq!(c.profile_names(), ["b", "default", "a"]);
    assert_eq!(c.sso_session_names(), ["z", "y"]);
}

#[test]
fn comments_blank_lines_and_inline_hashes_are_handled_like_botocore() {
    let c = cfg(
        "# leading comment\n\n; another\n[profile p]  \n  # indented comment\n\
                 sso_start_url = https://a/start # not a comment\nsso_region=r\nsso_account_id:1\nsso_role_name = R\n",
    );
    let p = c.resolve("p").unwrap();
    assert_eq!(p.sso.start_url, "https://a/start # not a comment");
    assert_eq!(p.account_id, "1");
}

#[test]
fn nested_sub_sections_do_not_break_the_profile() {
    let c = cfg(
        "[profile p]\ns3 =\n  max_concurrent_requests = 10\n  addressing_style = path\n\
                 sso_session = s\nsso_account_id = 1\nsso_role_name = R\n\
                 [sso-session s]\nsso_start_url = u\nsso_region = r\n",
    );
    assert_eq!(c.resolve("p").unwrap().role_name, "R");
}

#[test]
fn crlf_line_endings_and_a_bom_are_accepted() {
    let text = MODERN.replace('\n', "\r\n");
    let c = cfg(&format!("\u{feff}{text}"));
    assert_eq!(
        c.resolve("dev").unwrap().sso.start_url,
        "https://corp.awsapps.com/start"
    );
    assert_eq!(c.profile_names(), ["default", "dev"]);
}

#[test]
fn quoted_section_names_are_split_like_shlex() {
    let c = cfg(
        "[profile \"quoted name\"]\n[profile 'single q']\n[sso-session \"my session\"]\n[profile #hash]\n",
    );
    assert_eq!(c.profile_names(), ["quoted name", "single q", "#hash"]);
    assert_eq!(c.sso_session_names(), ["my session"]);
}

#[test]
fn names_that_split_into_three_parts_or_one_are_silently_dropped() {
    let c =
        cfg("[profile a b]\n[profile]\n[profile \"unclosed]\n[profile ok]\n[sso-session x y]\n");
    assert_eq!(c.profile_names(), ["ok"]);
    assert!(c.sso_session_names().is_empty());
}

#[test]
fn section_names_follow_shlex_where_shell_words_differs() {
    // Found by differential testing against botocore 1.43: shlex keeps `\$` in
    // double quotes and refuses a dangling trailing backslash.
    let c = cfg("[profile \"a\\$b\"]\n[profile c\\]\n[profile `d`]\n");
    assert_eq!(c.profile_names(), ["a\\$b", "`d`"]);
}

#[test]
fn a_broken_default_sub_section_fails_only_when_a_section_inherits_it() {
    let broken = "[DEFAULT]\ns3 =\n  no equals sign\n";
    assert!(Config::parse(PathBuf::from(PATH), broken).is_ok());
    assert!(
        Config::parse(
            PathBuf::from(PATH),
            &format!("{broken}[profile a]\ns3 = own\n")
        )
        .is_ok()
    );
    let e = parse_err(&format!("{broken}[profile a]\n"));
    assert!(
        e.message
            .contains("line 3: \"no equals sign\" in the sub-section \"s3\""),
        "{e}"
    );
}

#[test]
fn section_types_are_detected_by_prefix_like_botocore() {
    // `startswith("profile")`: `[profiles x]` is profile "x"; `[Profile x]` and `[ default ]` are not profiles.
    let c = cfg("[profiles x]\n[Profile y]\n[ default ]\n");
    assert_eq!(c.profile_names(), ["x"]);
}

#[test]
fn the_later_of_default_and_profile_default_wins_without_merging() {
    let c = cfg(
        "[default]\nregion = a\nsso_role_name = R\n[profile x]\n[profile default]\nregion = b\n",
    );
    assert_eq!(c.profile_names(), ["default", "x"]);
    let e = c.resolve("default").unwrap_err();
    assert!(e.message.contains("not an IAM Identity Center"), "{e}");
}

#[test]
fn continuation_lines_join_with_newlines_and_keys_are_lower_cased() {
    let c = cfg(
        "[profile p]\nSSO_Start_URL = https://a\n  /start\nSso_Region : r\nSSO_ACCOUNT_ID = 1\nsso_role_name = R\n",
    );
    let p = c.resolve("p").unwrap();
    assert_eq!(p.sso.start_url, "https://a\n/start");
    assert_eq!(p.sso.region, "r");
}

#[test]
fn default_section_keys_apply_to_every_section_like_configparser() {
    let c = cfg(
        "[DEFAULT]\nsso_region = r\n[profile p]\nsso_start_url = u\nsso_account_id = 1\nsso_role_name = R\n",
    );
    assert_eq!(c.profile_names(), ["p"]);
    assert_eq!(c.resolve("p").unwrap().sso.region, "r");
}

// --- refusals: file and line in the message, exit 2 ---

#[test]
fn each_refusal_names_the_file_and_the_line() {
    let cases: &[(&str, &str)] = &[
        (
            "[a]\n\n[a]\n",
            "line 3: section [a] appears twice (first on line 1)",
        ),
        (
            "[a]\nk = 1\nk: 2\n",
            "line 3: key \"k\" appears twice in section [a]",
        ),
        (
            "[a]\n\n[profile x\n",
            "line 3: section header \"[profile x\" has no closing `]`",
        ),
        (
            "region = x\n[a]\n",
            "line 1: \"region = x\" comes before the first [section] header",
        ),
        (
            "[a]\nk = v\nno separator here\n",
            "line 3: \"no separator here\" is not a [section] header",
        ),
        ("[a]\n = v\n", "line 2: \"= v\" has no key before the `=`"),
        (
            "[a]\ns3 =\n  x = 1\n  y\nz = 2\n",
            "line 4: \"y\" in the sub-section \"s3\" is not a \"key = value\" line",
        ),
    ];
    for (text, what) in cases {
        let e = parse_err(text);
        assert_eq!(e.kind, Kind::Config);
        assert_eq!(e.exit_code(), 2);
        let prefix = format!("could not parse {PATH}: ");
        assert!(e.message.starts_with(&prefix), "{e}");
        assert!(
            e.message[prefix.len()..].starts_with(what),
            "{text:?} gave {e}"
        );
        assert!(e.hint.is_some());
    }
}

#[test]
fn text_that_is_not_utf8_is_refused_at_the_line_of_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config");
    std::fs::write(&file, b"[a]\r\nk = v\r\nj = \xff\xfe\n").unwrap();
    let env = Env::from_pairs([(env::AWS_CONFIG_FILE, file.to_str().unwrap())]);
    let e = Config::load(&env).unwrap_err();
    assert_eq!(
        e.message,
        format!(
            "could not parse {}: line 3: the text is not valid UTF-8 (byte 0xff)",
            file.display()
        )
    );
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn a_missing_file_is_an_exit_2_error_naming_the_path() {
    let env = Env::from_pairs([("HOME", "/nonexistent/home")]);
    let e = Config::load(&env).unwrap_err();
    // The path as the platform writes it: `\.aws\config` on Windows.
    let path = std::path::Path::new("/nonexistent/home")
        .join(".aws")
        .join("config");
    assert_eq!(
        e.message,
        format!("config file {} does not exist", path.display())
    );
    assert_eq!(e.exit_code(), 2);
    assert!(e.hint.unwrap().contains("aws configure sso"));
}

#[test]
fn load_reads_the_file_named_by_aws_config_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cfg"), MODERN).unwrap();
    let env = Env::from_pairs([
        ("HOME", dir.path().to_str().unwrap()),
        (env::AWS_CONFIG_FILE, "~/cfg"),
    ]);
    let c = Config::load(&env).unwrap();
    assert_eq!(c.path, dir.path().join("cfg"));
    assert_eq!(c.resolve("dev").unwrap().account_id, "111122223333");
}

#[test]
fn the_path_expands_tilde_and_variables_like_python() {
    let env = Env::from_pairs([("HOME", "/h/"), ("D", "/data"), ("E", "")]);
    let path = |v: &str| {
        let mut env = env.clone();
        env.set(env::AWS_CONFIG_FILE, v);
        Config::path(&env).unwrap()
    };
    assert_eq!(path("~/x"), PathBuf::from("/h/x"));
    assert_eq!(path("~"), PathBuf::from("/h"));
    assert_eq!(path("~bob/x"), PathBuf::from("~bob/x"));
    assert_eq!(path("$D/c"), PathBuf::from("/data/c"));
    assert_eq!(path("${D}/c$E"), PathBuf::from("/data/c"));
    assert_eq!(
        path("$NOPE/${NOPE}/${}/$/${x"),
        PathBuf::from("$NOPE/${NOPE}/${}/$/${x")
    );
    assert_eq!(Config::path(&env).unwrap(), PathBuf::from("/h/.aws/config"));
    assert!(Config::path(&Env::default()).is_err());
}

// --- resolution errors ---

#[test]
fn an_unknown_profile_suggests_close_names() {
    let c = cfg("[profile prod]\n[profile prod-eu]\n[profile dev]\n[profile production]\n");
    let e = c.resolve("prod2").unwrap_err();
    assert_eq!(
        e.to_string().lines().next().unwrap(),
        format!("ssoenv: profile \"prod2\" not found in {PATH}")
    );
    assert_eq!(e.hint.as_deref(), Some("did you mean \"prod\"?"));
    let e = c.resolve("pro").unwrap_err();
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean \"prod\", \"prod-eu\" or \"production\"?")
    );
    let e = c.resolve("dve").unwrap_err();
    assert_eq!(e.hint.as_deref(), Some("did you mean \"dev\"?"));
    let e = c.resolve("zzzzzzzz").unwrap_err();
    assert_eq!(
        e.hint.as_deref(),
        Some("run `ssoenv configure --profile zzzzzzzz` to create it")
    );
}

#[test]
fn an_unknown_profile_in_a_file_without_profiles_hints_ssoenv_configure() {
    let e = cfg("# empty\n").resolve("default").unwrap_err();
    assert_eq!(
        e.message,
        format!("profile \"default\" not found in {PATH}")
    );
    assert!(e.hint.unwrap().contains("ssoenv configure"));
}

#[test]
fn a_profile_without_sso_settings_says_what_it_uses_instead() {
    let text = "[profile ar]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = b\n\
                [profile cp]\ncredential_process = x\n[profile plain]\nregion = r\n";
    let e = resolve_err(text, "ar");
    assert_eq!(
        e.message,
        format!(
            "profile \"ar\" in {PATH}: not an IAM Identity Center (SSO) profile (it assumes a role with role_arn): \
             it sets none of sso_session, sso_account_id, sso_role_name, sso_start_url"
        )
    );
    assert_eq!(
        e.hint.as_deref(),
        Some(
            "run `ssoenv configure --profile ar` to make an SSO profile (or name another: `ssoenv profiles` lists them)"
        )
    );
    assert!(
        resolve_err(text, "cp")
            .message
            .contains("(it uses credential_process)")
    );
    assert!(
        resolve_err(text, "plain")
            .message
            .contains("profile: it sets none")
    );
}

#[test]
fn a_missing_sso_session_section_uses_botocores_wording() {
    let e = resolve_err(
        "[profile p]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = R\n",
        "p",
    );
    assert_eq!(
        e.message,
        format!("profile \"p\" in {PATH}: The specified sso-session does not exist: \"gone\"")
    );
    assert_eq!(e.exit_code(), 2);
}

#[test]
fn legacy_keys_that_disagree_with_the_session_are_refused() {
    let text = format!(
        "{MODERN}[profile both]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\nsso_start_url = https://corp.awsapps.com/start/\n"
    );
    let e = resolve_err(&text, "both");
    assert_eq!(
        e.message,
        format!(
            "profile \"both\" in {PATH}: The value for sso_start_url is inconsistent between profile \
             (https://corp.awsapps.com/start/) and sso-session (https://corp.awsapps.com/start)."
        )
    );
    // Equal values are fine.
    let ok = text.replace("start/\n", "start\n");
    assert!(cfg(&ok).resolve("both").is_ok());
}

#[test]
fn missing_keys_are_all_listed_in_botocores_order() {
    let e = resolve_err("[profile p]\nsso_start_url = u\n", "p");
    assert_eq!(
        e.message,
        format!(
            "profile \"p\" in {PATH}: The profile \"p\" is configured to use SSO but is missing required \
             configuration: sso_role_name, sso_account_id, sso_region"
        )
    );
    assert_eq!(
        e.hint.as_deref(),
        Some("run `aws configure sso --profile p`")
    );
    let e = resolve_err(&format!("{MODERN}[profile q]\nsso_session = corp\n"), "q");
    assert!(
        e.message
            .ends_with("missing required configuration: sso_role_name, sso_account_id"),
        "{e}"
    );
    let e = resolve_err(
        "[sso-session s]\nsso_region = r\n[profile q]\nsso_session = s\nsso_role_name = R\n",
        "q",
    );
    assert!(
        e.message
            .ends_with("missing required configuration: sso_account_id, sso_start_url"),
        "{e}"
    );
}

#[test]
fn empty_required_values_are_refused() {
    let e = resolve_err(
        "[profile p]\nsso_start_url = u\nsso_region =\nsso_account_id = 1\nsso_role_name = R\n",
        "p",
    );
    assert!(
        e.message
            .ends_with("is configured to use SSO but has empty values for: sso_region"),
        "{e}"
    );
}

#[test]
fn a_required_key_written_as_a_sub_section_is_refused() {
    let e = resolve_err(
        "[profile p]\nsso_start_url = u\nsso_region = r\nsso_account_id =\n  a = b\nsso_role_name = R\n",
        "p",
    );
    assert!(e.message.contains("sso_account_id is a sub-section"), "{e}");
}

#[test]
fn sso_profiles_lists_every_profile_with_sso_keys() {
    let text = format!(
        "{MODERN}[profile broken]\nsso_role_name = R\n[profile keys]\naws_access_key_id = x\n"
    );
    let list = cfg(&text).sso_profiles();
    let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["dev", "broken"]);
    assert!(list[0].1.is_ok());
    assert!(list[1].1.is_err());
}

// --- endpoints ---

const SERVICES: &str = "\
[profile p]
sso_start_url = u
sso_region = r
sso_account_id = 1
sso_role_name = R
services = local
endpoint_url = http://127.0.0.1:9000
[services local]
sso =
  endpoint_url = http://127.0.0.1:1
sso_oidc =
  endpoint_url = http://127.0.0.1:2
s3 =
  endpoint_url = http://127.0.0.1:3
sts =
  endpoint_url = http://127.0.0.1:4
signin =
  endpoint_url = http://127.0.0.1:5
";

#[test]
fn services_sections_and_endpoint_url_fill_configured_endpoints() {
    let p = cfg(SERVICES).resolve("p").unwrap();
    assert_eq!(
        p.endpoints,
        ConfiguredEndpoints {
            sso: Some("http://127.0.0.1:1".into()),
            sso_oidc: Some("http://127.0.0.1:2".into()),
            sts: Some("http://127.0.0.1:4".into()),
            signin: Some("http://127.0.0.1:5".into()),
            global: Some("http://127.0.0.1:9000".into()),
            ignore: false,
        }
    );
}

#[test]
fn a_missing_services_section_is_an_error_unless_endpoints_are_ignored() {
    let text = SERVICES.replace("services = local", "services = other");
    let e = resolve_err(&text, "p");
    assert_eq!(
        e.message,
        format!(
            "profile \"p\" in {PATH}: The profile is configured to use the services section but the \"other\" \
             services configuration does not exist."
        )
    );
    // An empty section counts as missing (`if not services_section`).
    let empty = "[profile p]\nsso_start_url = u\nsso_region = r\nsso_account_id = 1\nsso_role_name = R\nservices = e\n[services e]\n";
    assert!(
        resolve_err(empty, "p")
            .message
            .contains("\"e\" services configuration does not exist")
    );
    let ignored = text.replace(
        "services = other",
        "services = other\nignore_configured_endpoint_urls = TRUE",
    );
    let p = cfg(&ignored).resolve("p").unwrap();
    assert!(p.endpoints.ignore);
    assert_eq!(p.endpoints.sso, None);
    assert_eq!(p.endpoints.global.as_deref(), Some("http://127.0.0.1:9000"));
}

#[test]
fn ignore_configured_endpoint_urls_is_true_only_for_the_string_true() {
    let with = |v: &str| {
        let text = SERVICES.replace(
            "services = local",
            &format!("services = local\nignore_configured_endpoint_urls = {v}"),
        );
        cfg(&text).resolve("p").unwrap().endpoints.ignore
    };
    assert!(with("true"));
    assert!(with("True"));
    assert!(!with("1"));
    assert!(!with("yes"));
}

// --- scale and robustness ---

#[test]
fn five_thousand_profiles_parse_and_resolve_correctly() {
    let mut text = String::with_capacity(1 << 20);
    text.push_str("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "\n[profile p{i}]\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = Role{i}\nregion = eu-west-1\n",
            i
        ));
    }
    let c = cfg(&text);
    let names = c.profile_names();
    assert_eq!(names.len(), 5000);
    assert_eq!(names[4321], "p4321");
    for i in [0, 1, 2500, 4999] {
        let p = c.resolve(&format!("p{i}")).unwrap();
        assert_eq!(p.account_id, format!("{i:012}"));
        assert_eq!(p.role_name, format!("Role{i}"));
        assert_eq!(p.sso.name.as_deref(), Some("corp"));
    }
    assert!(c.sso_profiles().iter().all(|(_, r)| r.is_ok()));
}

/// A small deterministic PRNG (xorshift64*), so the fuzz tests need no crate.
pub(super) struct Rng(pub(super) u64);
impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mangled_input_never_panics() {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "[profile ",
        "[sso-session ",
        "[services ",
        "[default]",
        "[DEFAULT]",
        "\"",
        "'",
        "\\",
        "#",
        ";",
        "=",
        ":",
        " ",
        "\t",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\u{feff}",
        "\u{2028}",
        "\u{85}",
        "\u{1c}",
        "é",
        "İ",
        "Σ",
        "sso_session",
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
        "services",
        "endpoint_url",
        "sso",
        "sso_oidc",
        "x",
        "corp",
        "p",
        "default",
        "https://a/",
        "sso_registration_scopes",
        ",",
        "ignore_configured_endpoint_urls",
        "true",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let base = format!("{MODERN}{SERVICES}");
    let base_lines: Vec<&str> = base.lines().collect();
    for round in 0..3000 {
        let text = match round % 3 {
            // Random pieces.
            0 => (0..rng.below(60))
                .map(|_| PIECES[rng.below(PIECES.len())])
                .collect::<String>(),
            // Real lines, shuffled, re-indented and cut.
            1 => {
                let mut t = String::new();
                for _ in 0..rng.below(40) {
                    let line = base_lines[rng.below(base_lines.len())];
                    let cut = line
                        .char_indices()
                        .map(|(i, _)| i)
                        .nth(rng.below(line.len() + 1))
                        .unwrap_or(line.len());
                    t.push_str(&" ".repeat(rng.below(3)));
                    t.push_str(&line[..cut]);
                    t.push_str(PIECES[rng.below(PIECES.len())]);
                    t.push('\n');
                }
                t
            }
            // Random bytes, made into text the way `load` would refuse or accept them.
            _ => {
                let bytes: Vec<u8> = (0..rng.below(200)).map(|_| rng.next() as u8).collect();
                if let Err(e) = std::str::from_utf8(&bytes) {
                    let _ = parse::line_of_offset(&bytes, e.valid_up_to());
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        if let Ok(c) = Config::parse(PathBuf::from(PATH), &text) {
            for name in c.profile_names() {
                let _ = c.resolve(&name);
            }
            for name in c.sso_session_names() {
                let _ = c.sso_session(&name);
            }
            let _ = c.resolve("nope");
            let _ = c.sso_profiles();
        }
    }
}

#[test]
fn key_constants_name_the_key_they_stand_for() {
    let all = [
        (Key::SSO_SESSION, "sso_session"),
        (Key::SSO_ACCOUNT_ID, "sso_account_id"),
        (Key::SSO_ROLE_NAME, "sso_role_name"),
        (Key::SSO_ACCOUNT_NAME, "sso_account_name"),
        (Key::SSO_START_URL, "sso_start_url"),
        (Key::SSO_REGION, "sso_region"),
        (Key::SSO_REGISTRATION_SCOPES, "sso_registration_scopes"),
        (Key::REGION, "region"),
        (Key::ENDPOINT_URL, "endpoint_url"),
        (Key::SERVICES, "services"),
        (
            Key::IGNORE_CONFIGURED_ENDPOINT_URLS,
            "ignore_configured_endpoint_urls",
        ),
        (Key::ROLE_ARN, "role_arn"),
        (Key::CREDENTIAL_PROCESS, "credential_process"),
        (Key::SSO, "sso"),
        (Key::SSO_OIDC, "sso_oidc"),
        (Key::SOURCE_PROFILE, "source_profile"),
        (Key::CREDENTIAL_SOURCE, "credential_source"),
        (Key::ROLE_SESSION_NAME, "role_session_name"),
        (Key::EXTERNAL_ID, "external_id"),
        (Key::DURATION_SECONDS, "duration_seconds"),
        (Key::MFA_SERIAL, "mfa_serial"),
        (Key::WEB_IDENTITY_TOKEN_FILE, "web_identity_token_file"),
        (Key::AWS_ACCESS_KEY_ID, "aws_access_key_id"),
        (Key::AWS_SECRET_ACCESS_KEY, "aws_secret_access_key"),
        (Key::AWS_SESSION_TOKEN, "aws_session_token"),
        (Key::STS, "sts"),
        (Key::SIGNIN, "signin"),
    ];
    assert_eq!(all.len(), Key::NAMES.len());
    let c = cfg("[profile p]\nSSO_OIDC = x\nregion = r\n");
    for (key, name) in all {
        assert_eq!(key.name(), name);
        assert_eq!(c.ini.key_id(name), Some(key.0), "{name}");
    }
    // Keys read by id are still lower-cased file keys.
    assert_eq!(c.value(0, Key::SSO_OIDC).and_then(Value::as_str), Some("x"));
}

#[test]
fn resolve_all_matches_resolve_for_every_profile() {
    let c = cfg(&format!(
        "{MODERN}\n[profile static]\naws_access_key_id = A\n[profile broken]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n"
    ));
    let all: Vec<_> = c.resolve_all().collect();
    let names: Vec<&str> = all.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, c.profile_names());
    for (name, r) in all {
        match (r, c.resolve(name)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            (Err(a), Err(b)) => assert_eq!(a.message, b.message),
            (a, b) => panic!("{name}: {a:?} vs {b:?}"),
        }
    }
}

#[test]
fn a_credential_process_profile_running_ssoenv_points_at_the_profile_it_names() {
    for command in [
        "ssoenv credential-process prod",
        "/usr/local/bin/ssoenv credential-process --profile prod",
        "'/opt/x y/ssoenv' credential-process --profile=prod",
    ] {
        let e = resolve_err(
            &format!("[profile cp]\ncredential_process = {command}\n"),
            "cp",
        );
        assert_eq!(
            e.hint.as_deref(),
            Some(
                "its credentials come from ssoenv's profile \"prod\": name that one (`ssoenv use prod`)"
            ),
            "{command}"
        );
    }
    let e = resolve_err("[profile cp]\ncredential_process = other-tool prod\n", "cp");
    assert!(e.hint.unwrap().contains("ssoenv configure --profile cp"));
}
