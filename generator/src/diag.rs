//! Diagnostics: every problem names the file and the JSON pointer it is about.

use std::fmt;

/// How bad a diagnostic is. Errors stop the run; warnings are reported and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The input file, as the caller named it (for example `specs/cashfree/overlay.yaml`).
    pub file: String,
    /// RFC 6901 JSON pointer into that file; empty for the whole document.
    pub pointer: String,
    /// 1-based line, where it is known.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, pointer.into(), message.into())
    }

    pub fn warning(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, pointer.into(), message.into())
    }

    fn new(severity: Severity, file: &str, pointer: String, message: String) -> Self {
        Self {
            severity,
            file: file.to_owned(),
            pointer,
            line: None,
            message,
        }
    }

    pub fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, " at #{}: {}", self.pointer, self.message)
    }
}

/// All the diagnostics of a failed run, errors first, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Collects the diagnostics of one stage so that all of them are reported together.
#[derive(Debug, Default)]
pub struct Sink {
    items: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Ends a stage: `Err` with everything collected when any error was found.
    pub fn finish_stage(&mut self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            Err(Diagnostics(self.take_sorted()))
        } else {
            Ok(())
        }
    }

    pub fn take_sorted(&mut self) -> Vec<Diagnostic> {
        let mut items = std::mem::take(&mut self.items);
        // Errors first; within a severity keep the order of discovery, which follows the spec.
        items.sort_by_key(|d| std::cmp::Reverse(d.severity));
        items
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The text of one escaped reference token of a JSON pointer (RFC 6901): `~1` is `/`, `~0`
/// is `~` (in that order, so `~01` is `~1`).
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer.
pub fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
