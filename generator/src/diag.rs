//! Diagnostics: every problem names the file and the JSON pointer it is about.

use std::fmt;

/// How bad a diagnostic is. Errors stop the run; warnings are reported and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// What kind of problem a diagnostic reports: stable across releases and messages, so tools
/// (and `cargo xtask corpus --strict`) count problems by code, never by their wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Code {
    /// `codegen.yaml` is malformed or names something unusable.
    Config,
    /// A file the config names was not provided.
    MissingInput,
    /// The text is not YAML (or exceeds its limits).
    Yaml,
    /// A key written twice in one mapping, or twice once keys are normalized (`200:` and
    /// `'200':`).
    DuplicateKey,
    /// A YAML merge key (`<<`) that cannot be applied.
    MergeKey,
    /// A number JSON cannot hold: `.inf`, `.nan`, or an integer past 64 bits.
    UnrepresentableNumber,
    /// A node does not have the shape OpenAPI 3.0 gives it.
    Shape,
    /// Not an OpenAPI 3.0 document (Swagger 2.0, OpenAPI 3.1).
    Version,
    /// A malformed overlay document or action.
    Overlay,
    /// An overlay target that matches nothing.
    OverlayNoMatch,
    /// A `$ref` that is dangling, external, cyclic or of the wrong kind.
    Ref,
    /// A keyword that does not apply to its schema's type; ignored.
    IgnoredKeyword,
    /// A `pattern` the runtime's regex engine cannot run; it is left unchecked.
    Pattern,
    /// A `type` OpenAPI 3.0 does not have.
    UnknownType,
    /// A construct no Rust type can express as written (`not`, a self-including `allOf` or
    /// union, an alias cycle, an `allOf` of non-objects).
    Inexpressible,
    /// Keywords that contradict each other or their type (bounds, `multipleOf`, `enum`,
    /// `default`), or a limit that cannot be checked exactly.
    Contradiction,
    /// An `x-paylinks-rules`, `x-paylinks-idempotency` or `x-paylinks-name` problem.
    Extension,
    /// Two names that collide in generated code; one was renamed.
    Renamed,
    /// An operation that is not generated.
    OperationSkipped,
    /// A parameter that is not sent.
    ParameterSkipped,
    /// A security scheme (and the alternatives that need it) that is not supported.
    SchemeSkipped,
    /// A path template that does not match its parameters, or cannot be parsed.
    PathTemplate,
    /// A malformed parameter (declared twice, an invalid header name, …).
    Parameter,
    /// A security requirement that names an undeclared scheme; that alternative is skipped.
    Security,
    /// A server URL or variable problem.
    Server,
    /// A callback that is dropped.
    Callback,
    /// A response the client does not decode as documented: a second success body that
    /// differs from the first, or a success or error body that is not JSON.
    Response,
    /// An example that gets no round-trip test.
    Example,
}

impl Code {
    /// Every code, in the order of `docs/diagnostics.md`.
    pub const ALL: &'static [Code] = &[
        Code::Config,
        Code::MissingInput,
        Code::Yaml,
        Code::DuplicateKey,
        Code::MergeKey,
        Code::UnrepresentableNumber,
        Code::Shape,
        Code::Version,
        Code::Overlay,
        Code::OverlayNoMatch,
        Code::Ref,
        Code::IgnoredKeyword,
        Code::Pattern,
        Code::UnknownType,
        Code::Inexpressible,
        Code::Contradiction,
        Code::Extension,
        Code::Renamed,
        Code::OperationSkipped,
        Code::ParameterSkipped,
        Code::SchemeSkipped,
        Code::PathTemplate,
        Code::Parameter,
        Code::Security,
        Code::Server,
        Code::Callback,
        Code::Response,
        Code::Example,
    ];

    /// The stable code, e.g. `PL050`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Config => "PL001",
            Code::MissingInput => "PL002",
            Code::Yaml => "PL010",
            Code::DuplicateKey => "PL011",
            Code::MergeKey => "PL012",
            Code::UnrepresentableNumber => "PL013",
            Code::Shape => "PL014",
            Code::Version => "PL015",
            Code::Overlay => "PL020",
            Code::OverlayNoMatch => "PL021",
            Code::Ref => "PL030",
            Code::IgnoredKeyword => "PL040",
            Code::Pattern => "PL041",
            Code::UnknownType => "PL042",
            Code::Inexpressible => "PL043",
            Code::Contradiction => "PL044",
            Code::Extension => "PL045",
            Code::Renamed => "PL046",
            Code::OperationSkipped => "PL050",
            Code::ParameterSkipped => "PL051",
            Code::SchemeSkipped => "PL052",
            Code::PathTemplate => "PL053",
            Code::Parameter => "PL054",
            Code::Security => "PL055",
            Code::Server => "PL056",
            Code::Callback => "PL057",
            Code::Response => "PL058",
            Code::Example => "PL059",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// The input file, as the caller named it (for example `specs/cashfree/overlay.yaml`).
    pub file: String,
    /// RFC 6901 JSON pointer into that file; empty for the whole document.
    pub pointer: String,
    /// 1-based line, where it is known.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Error, code, file, pointer.into(), message.into())
    }

    pub fn warning(
        code: Code,
        file: &str,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(
            Severity::Warning,
            code,
            file,
            pointer.into(),
            message.into(),
        )
    }

    fn new(severity: Severity, code: Code, file: &str, pointer: String, message: String) -> Self {
        Self {
            severity,
            code,
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
        write!(f, "{level}[{}]: {}", self.code, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        // Keys and values quoted from a spec may hold a newline or an escape sequence: written
        // as they are, they would break the one-line form (or drive a terminal), so control
        // characters are shown escaped.
        f.write_str(" at #")?;
        write_escaped(f, &self.pointer)?;
        f.write_str(": ")?;
        write_escaped(f, &self.message)
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    for c in text.chars() {
        if c.is_control() {
            write!(f, "{}", c.escape_default())?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn every_code_is_documented_once_and_codes_are_distinct() {
        let doc = include_str!("../../docs/diagnostics.md");
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            let row = format!("| `{code}` | `{code:?}` |");
            assert_eq!(
                doc.matches(&row).count(),
                1,
                "docs/diagnostics.md lacks {row}"
            );
        }
    }
}
