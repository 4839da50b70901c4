//! The accounts and roles the emulated user is assigned, loaded from JSON or built in.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// One assigned account. `accountName` and `emailAddress` may be missing, as they
/// may be in real ListAccounts answers (docs/portal.md#listaccounts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// `{"accounts":[{"accountId":"111111111111","accountName":"dev","emailAddress":"dev@example.com","roles":["AdministratorAccess","ReadOnly"]}]}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fixture {
    pub accounts: Vec<Account>,
}

impl Default for Fixture {
    /// dev 111111111111, staging 222222222222, prod 333333333333.
    fn default() -> Fixture {
        let account = |id: &str, name: &str, roles: &[&str]| Account {
            account_id: id.to_string(),
            account_name: Some(name.to_string()),
            email_address: Some(format!("{name}@example.com")),
            roles: roles.iter().map(|r| r.to_string()).collect(),
        };
        Fixture {
            accounts: vec![
                account(
                    "111111111111",
                    "dev",
                    &["AdministratorAccess", "PowerUserAccess", "ReadOnly"],
                ),
                account(
                    "222222222222",
                    "staging",
                    &["AdministratorAccess", "ReadOnly"],
                ),
                account("333333333333", "prod", &["ReadOnly", "BillingViewer"]),
            ],
        }
    }
}

impl Fixture {
    /// `n` generated accounts, for tests and benchmarks of large
    /// organisations: ids 100000000001…, names `account-0001`…, emails
    /// `account-0001@example.com`, and the roles AdministratorAccess,
    /// PowerUserAccess and ReadOnly each. Every 100th account repeats the
    /// name of the one before it (real organisations have duplicate names).
    pub fn generated(n: u32) -> Fixture {
        let accounts = (1..=n)
            .map(|i| {
                let named = if i % 100 == 0 { i - 1 } else { i };
                let name = format!("account-{named:04}");
                Account {
                    account_id: format!("{}", 100_000_000_000u64 + u64::from(i)),
                    email_address: Some(format!("account-{i:04}@example.com")),
                    account_name: Some(name),
                    roles: ["AdministratorAccess", "PowerUserAccess", "ReadOnly"]
                        .iter()
                        .map(|r| r.to_string())
                        .collect(),
                }
            })
            .collect();
        Fixture { accounts }
    }

    /// Reads and validates a fixture file.
    pub fn from_file(path: &Path) -> Result<Fixture, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("could not read fixture {}: {e}", path.display()))?;
        Fixture::from_json(&text).map_err(|e| format!("invalid fixture {}: {e}", path.display()))
    }

    /// Parses and validates fixture JSON: account ids must be non-empty and unique,
    /// role names non-empty and unique within an account.
    pub fn from_json(text: &str) -> Result<Fixture, String> {
        let fixture: Fixture = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut ids = HashSet::new();
        for a in &fixture.accounts {
            if a.account_id.trim().is_empty() {
                return Err("an account has an empty accountId".to_string());
            }
            if !ids.insert(a.account_id.as_str()) {
                return Err(format!("accountId {} appears twice", a.account_id));
            }
            let mut roles = HashSet::new();
            for r in &a.roles {
                if r.trim().is_empty() {
                    return Err(format!("account {} has an empty role name", a.account_id));
                }
                if !roles.insert(r.as_str()) {
                    return Err(format!("account {} lists role {r} twice", a.account_id));
                }
            }
        }
        Ok(fixture)
    }

    pub fn account(&self, account_id: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_fixture_has_dev_staging_and_prod() {
        let f = Fixture::default();
        let ids: Vec<_> = f.accounts.iter().map(|a| a.account_id.as_str()).collect();
        assert_eq!(ids, ["111111111111", "222222222222", "333333333333"]);
        assert!(f.accounts.iter().all(|a| a.roles.len() >= 2));
        assert_eq!(
            f.account("111111111111").unwrap().account_name.as_deref(),
            Some("dev")
        );
    }

    #[test]
    fn generated_fixtures_have_three_roles_each_and_a_few_duplicate_names() {
        let f = Fixture::generated(250);
        assert_eq!(f.accounts.len(), 250);
        assert_eq!(f.accounts[0].account_id, "100000000001");
        assert_eq!(f.accounts[0].account_name.as_deref(), Some("account-0001"));
        assert!(f.accounts.iter().all(|a| a.roles.len() == 3));
        let names: HashSet<_> = f.accounts.iter().map(|a| &a.account_name).collect();
        assert_eq!(names.len(), 248, "accounts 100 and 200 repeat a name");
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(Fixture::from_json(&json).unwrap(), f);
    }

    #[test]
    fn a_fixture_file_round_trips_and_names_may_be_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fixture.json");
        std::fs::write(
            &path,
            r#"{"accounts":[{"accountId":"444444444444","roles":["Dev"]},
                {"accountId":"555555555555","accountName":"x","emailAddress":"x@example.com","roles":[]}]}"#,
        )
        .unwrap();
        let f = Fixture::from_file(&path).unwrap();
        assert_eq!(f.accounts.len(), 2);
        assert_eq!(f.accounts[0].account_name, None);
        assert_eq!(f.accounts[0].roles, ["Dev"]);
    }

    #[test]
    fn bad_fixtures_are_rejected_naming_the_problem() {
        assert!(
            Fixture::from_file(Path::new("/nonexistent/f.json"))
                .unwrap_err()
                .contains("/nonexistent/f.json")
        );
        assert!(Fixture::from_json("{").is_err());
        assert!(Fixture::from_json(r#"{"accounts":[{"accountId":""}]}"#).is_err());
        assert!(
            Fixture::from_json(r#"{"accounts":[{"accountId":"1"},{"accountId":"1"}]}"#)
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            Fixture::from_json(r#"{"accounts":[{"accountId":"1","roles":["A","A"]}]}"#).is_err()
        );
    }
}
