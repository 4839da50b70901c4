//! One error type for the whole program. Every failure a user can meet is a
//! `Error` carrying what went wrong (naming the file, profile or URL), the
//! chain of causes, and at most one hint with the exact command to run.
//! `main` is the only place that turns it into an exit code.

use crate::text::printable;
use std::fmt;

/// How a failure maps onto the exit code (design: 0 ok, 1 runtime, 2 usage/config).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Bad arguments or a bad/missing config: exit 2.
    Config,
    /// Anything that went wrong while running (network, login, cache): exit 1.
    Runtime,
    /// `exec` could not find the command: exit 127 (as a shell does).
    CommandNotFound,
    /// `exec` could not run the command (not executable): exit 126.
    CommandNotExecutable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub(crate) kind: Kind,
    pub(crate) message: String,
    pub(crate) causes: Vec<String>,
    /// Lines listed under the message (choices, a table): each its own line.
    pub(crate) details: Vec<String>,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            causes: Vec::new(),
            details: Vec::new(),
            hint: None,
        }
    }
    /// A configuration or usage problem (exit 2).
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(Kind::Config, message)
    }
    /// A runtime failure (exit 1).
    pub(crate) fn runtime(message: impl Into<String>) -> Self {
        Self::new(Kind::Runtime, message)
    }
    /// Add a `caused by:` line.
    pub fn cause(mut self, cause: impl fmt::Display) -> Self {
        self.causes.push(cause.to_string());
        self
    }
    /// Add lines listed under the message (each shown escaped, on its own line).
    pub(crate) fn details(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.details.extend(lines);
        self
    }
    /// Set the one `hint:` line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    pub fn exit_code(&self) -> i32 {
        match self.kind {
            Kind::Config => 2,
            Kind::Runtime => 1,
            Kind::CommandNotFound => 127,
            Kind::CommandNotExecutable => 126,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages carry outside text (profile names, server answers, file
        // contents): control characters are shown escaped, never sent to the
        // terminal raw. Line breaks inside a part are escaped too, so a name
        // cannot forge a `hint:` line.
        write!(f, "ssoenv: {}", printable(&self.message))?;
        for d in &self.details {
            write!(f, "\n{}", printable(d))?;
        }
        for c in &self.causes {
            write!(f, "\n  caused by: {}", printable(c))?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\nhint: {}", printable(h))?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_lists_causes_then_one_hint() {
        let e = Error::config("could not read /x/config")
            .cause("No such file or directory")
            .hint("run `aws configure sso`");
        assert_eq!(
            e.to_string(),
            "ssoenv: could not read /x/config\n  caused by: No such file or directory\nhint: run `aws configure sso`"
        );
        assert_eq!(e.exit_code(), 2);
        assert_eq!(Error::runtime("x").exit_code(), 1);
    }
}
