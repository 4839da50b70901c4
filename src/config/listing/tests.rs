use super::*;
use crate::config::Profile;
use crate::config::scan::tests::random_config;
use crate::config::tests::Rng;
use std::path::PathBuf;

/// What a listing reads of a resolved profile: whether it resolves, and
/// the SSO session and endpoint settings it logs in with.
fn answer(p: &Result<Profile>) -> std::result::Result<Option<String>, ()> {
    match p {
        Ok(p) => Ok(p
            .sso_root()
            .map(|r| format!("{:?} {:?}", r.sso, r.endpoints))),
        Err(_) => Err(()),
    }
}

/// The light listing against the full parse: the same names in the same
/// order, each answering as the full parse resolves it. Returns whether
/// the light pass read the file.
fn check(text: &str) -> bool {
    let path = PathBuf::from("/home/u/.aws/config");
    let full = Config::parse(path.clone(), text.strip_prefix('\u{feff}').unwrap_or(text));
    let Some(listing) = light_text(&path, text.to_owned()) else {
        return false;
    };
    let full = full.unwrap_or_else(|e| panic!("{text:?}: light read a refused file: {e}"));
    let rows: Vec<(&str, usize)> = listing.profiles().collect();
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        full.profile_names(),
        "{text:?}"
    );
    let reduced: Vec<(&str, Result<Profile>)> = listing.config.profile_all().collect();
    for (name, i) in rows {
        let want = full.profile(name);
        let (stand_in, got) = &reduced[i];
        assert_eq!(
            answer(got),
            answer(&want),
            "{text:?}: {name:?} as {stand_in:?}"
        );
        if *stand_in == name {
            assert_eq!(got.as_ref().ok(), want.as_ref().ok(), "{text:?}: {name:?}");
        }
    }
    true
}

#[test]
fn the_light_listing_answers_as_the_full_parse_on_random_configs() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut light, mut total) = (0, 0);
    for _ in 0..6000 {
        let bytes = random_config(&mut rng);
        let Ok(mut text) = String::from_utf8(bytes) else {
            continue;
        };
        // The pass reads `\n` files only: make most of them so.
        if rng.below(4) != 0 {
            text = text.replace("\r\n", "\n").replace('\r', "\n");
        }
        // Now and then many profiles of one shape, and one odd one among them.
        if rng.below(3) == 0 {
            for i in 0..rng.below(20) {
                let account = ["111122223333", ""][rng.below(2)];
                text.push_str(&format!(
                    "\n[profile gen{i}]\nsso_session = corp\nsso_account_id = {account}\nsso_role_name = R\noutput = json\n"
                ));
            }
        }
        total += 1;
        light += usize::from(check(&text));
    }
    assert!(
        light * 5 > total,
        "the light pass read {light} of {total} files"
    );
}

#[test]
fn profiles_of_one_shape_answer_as_the_first_and_others_resolve_themselves() {
    let text = "\
[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = s
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[profile a]
sso_session = corp
sso_account_id = 1
sso_role_name = R
[profile b]
sso_session = corp
sso_account_id = 2
sso_role_name = R
[profile empty]
sso_session = corp
sso_account_id =
sso_role_name = R
[profile chained]
role_arn = arn:aws:iam::123456789012:role/R
source_profile = default
";
    assert!(check(text));
    let listing = light_text(Path::new("/c"), text.to_owned()).expect("read lightly");
    let rows: Vec<(&str, usize)> = listing.profiles().collect();
    let reduced: Vec<&str> = listing.config.profile_all().map(|(n, _)| n).collect();
    // `b` answers as `a`; `chained` brings its source along.
    assert_eq!(reduced, ["default", "a", "empty", "chained"]);
    assert_eq!(
        rows,
        [
            ("default", 0),
            ("a", 1),
            ("b", 1),
            ("empty", 2),
            ("chained", 3)
        ]
    );
}

#[test]
fn the_pass_leaves_to_the_full_parse_what_it_does_not_read_exactly() {
    let base = "[sso-session corp]\nsso_start_url = u\nsso_region = us-east-1\n";
    for extra in [
        "[DEFAULT]\nregion = x\n",
        "[profile a]\nregion = x\n  continued\n",
        "[profile a]\nRegion = x\n",
        "[profile a]\nregion = x\n[profile a]\n",
        "[default]\n[profile default]\n",
        "[profile \"q\"]\nregion = x\n",
        "[profile a]\r\nregion = x\r\n",
        "[profile a]\nregion = x\nregion = y\n",
        "[profile a]\njunk\n",
    ] {
        assert!(
            light_text(Path::new("/c"), format!("{base}{extra}")).is_none(),
            "{extra:?}"
        );
    }
    let before_any_header = format!("key = before\n{base}");
    assert!(light_text(Path::new("/c"), before_any_header).is_none());
}
