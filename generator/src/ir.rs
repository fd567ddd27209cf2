//! The typed model of what gets emitted. Built by `lower`, verified by `check`, read by `emit`.
//! Nothing here is a YAML value or a string standing in for a kind.

use serde_json::Value;

pub(crate) mod query;

/// The checked string formats, shared with the runtime: the same file is compiled into
/// both, so the generator emits checks for exactly the formats the runtime knows.
mod shared_format {
    include!("../../generated/src/runtime/format.rs");
}
pub use shared_format::Format;

pub use query::Followed;

/// A named type of the module: an index into [`Module::types`], which is in emission order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

impl TypeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Everything generated from one spec: one Rust module.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// Every named type, indexed by [`TypeId`]; use [`Module::get`] and the other queries
    /// in `ir::query` rather than looking types up by name.
    pub types: Vec<TypeDef>,
    pub examples: Vec<Example>,
    pub servers: Vec<Server>,
    /// Indexed by [`SchemeId`].
    pub security_schemes: Vec<SecurityScheme>,
    /// The distinct security alternatives of the operations, in order of first appearance;
    /// indexed by [`CredentialId`]. Each is one `Credentials` variant.
    pub credentials: Vec<Credential>,
    pub operations: Vec<Operation>,
}

/// A security scheme: an index into [`Module::security_schemes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SchemeId(pub u32);

/// A security alternative: an index into [`Module::credentials`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialId(pub u32);

/// One security alternative (schemes sent together): one `Credentials` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    /// The variant (`ApiKey`), settled by the namer together with `constructor`.
    pub variant: String,
    /// Its constructor (`Credentials::api_key`).
    pub constructor: String,
    /// Each scheme with its field in the variant, unique within it; empty for HTTP Basic,
    /// whose fields are `username` and `password`.
    pub schemes: Vec<(SchemeId, String)>,
    /// Where the alternative first appears (a `security/{i}` entry).
    pub pointer: String,
}

/// A server of the spec: one `Environment` variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The variant name (from `x-paylinks-name`, else `Server{n}`).
    pub name: String,
    pub url: String,
    pub description: Option<String>,
}

/// A way to authenticate.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// The scheme's key in `components.securitySchemes`.
    pub key: String,
    /// The Rust field name of its credential.
    pub field: String,
    pub description: Option<String>,
    pub kind: SchemeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SchemeKind {
    /// An API key in a header (its name lowercase).
    Header {
        name: String,
    },
    /// An API key in the query string.
    Query {
        name: String,
    },
    /// An API key in a cookie.
    Cookie {
        name: String,
    },
    Basic,
    /// A token sent as `Authorization: Bearer …`, and what issues it.
    Bearer(TokenSource),
}

/// Where a bearer token comes from, for the docs: the client only sends it.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenSource {
    /// HTTP `bearer` scheme.
    Http,
    /// OAuth2: an access token from one of the spec's flows (its token URL, when it has one).
    OAuth2 { token_url: Option<String> },
    /// OpenID Connect: a token from the provider its discovery URL describes.
    OpenIdConnect { url: String },
}

/// One HTTP operation: one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The method name (snake_case).
    pub name: String,
    /// The prefix of the operation's own types (UpperCamelCase), e.g. `PgCreateLink`.
    pub type_name: String,
    pub method: HttpMethod,
    /// The path template as the spec wrote it, e.g. `/links/{link_id}` (for docs).
    pub path: String,
    /// The request plan's path: literal text and path parameters (indices into `params`), in
    /// order. Every path parameter appears, and only path parameters do.
    pub template: Vec<PathSegment>,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// The operation's first tag (its resource group).
    pub tag: Option<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The 2xx response body's type; `None` when it has no JSON body.
    pub success: Option<TypeExpr>,
    /// Documented error statuses, in the spec's order.
    pub errors: Vec<ErrorStatus>,
    /// Security alternatives; `None` is `{}`: no authentication.
    pub security: Vec<Option<CredentialId>>,
    /// The cargo feature of its resource group (its first tag), settled by the namer.
    pub feature: String,
}

/// A piece of an operation's path in its request plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as it is.
    Literal(String),
    /// The value of `Operation::params[i]`, checked and percent-encoded as one segment.
    Param(usize),
}

/// A piece of a URL template as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// `{name}`: a path parameter, by wire name. Several may share a segment
    /// (`/files/{name}.{ext}`).
    Param(String),
}

/// Parses a path template: `{name}` is a parameter; a `{` or `}` outside one, an empty or
/// nested name, and a template not starting with `/` are errors.
pub fn parse_path_template(path: &str) -> Result<Vec<PathPart>, String> {
    if !path.starts_with('/') {
        return Err(format!("path `{path}` does not start with `/`"));
    }
    let parts = parse_template(path).map_err(|problem| format!("path `{path}` {problem}"))?;
    // The template's own text is pasted into the URL as written: a `?` or `#` would end the
    // path, a `\` is read as `/` by URL parsers, and spaces or controls are no URL at all.
    let bad = parts.iter().find_map(|part| match part {
        PathPart::Literal(text) => text
            .chars()
            .find(|c| matches!(c, '?' | '#' | '\\') || c.is_whitespace() || c.is_control()),
        PathPart::Param(_) => None,
    });
    match bad {
        Some(c) => Err(format!(
            "path `{}` holds {:?}, which a URL path cannot carry as written (`?` would start a query, `#` a fragment; `\\` reads as `/`)",
            path.escape_debug(),
            c
        )),
        None => Ok(parts),
    }
}

/// Splits a URL template (a path, a server URL) into literal text and `{name}`s; a `{` or
/// `}` outside one and an empty or nested name are errors (the text says which).
pub fn parse_template(text: &str) -> Result<Vec<PathPart>, &'static str> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '{' => {
                let mut name = String::new();
                let closed = loop {
                    match chars.next() {
                        Some('}') => break true,
                        Some('{') | None => break false,
                        Some(c) => name.push(c),
                    }
                };
                if !closed || name.is_empty() {
                    return Err("has a `{` that is not followed by a parameter name and a `}`");
                }
                if !literal.is_empty() {
                    parts.push(PathPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(PathPart::Param(name));
            }
            '}' => return Err("has a `}` that closes nothing"),
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    Ok(parts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeExpr,
    pub required: bool,
    pub docs: Option<String>,
    pub role: ParamRole,
    /// How the value is written on the wire.
    pub wire: WireForm,
}

/// How a parameter's value becomes text: the request plan's part for one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireForm {
    /// One value.
    Single(TextRule),
    /// An array whose items are joined with the separator (`form` unexploded: `,`;
    /// `spaceDelimited`: ` `; `pipeDelimited`: `|`; path and header arrays: `,`).
    Joined(TextRule, char),
    /// An array whose items are each sent as the parameter again (`form`, exploded).
    Repeated(TextRule),
    /// An object (or map) in the query, as pairs in its style: `form` exploded (each
    /// property a pair of its own), `form` unexploded (`name=k,v`), `deepObject`
    /// (`name[k]=v`, brackets at every level).
    Object(FormStyle),
}

impl WireForm {
    /// The rule for one value (the array's item for the array forms).
    pub fn rule(self) -> TextRule {
        match self {
            WireForm::Single(rule) | WireForm::Joined(rule, _) | WireForm::Repeated(rule) => rule,
            WireForm::Object(_) => TextRule::Json,
        }
    }
}

/// The one value→text rule, chosen by type ([`Module::text_rule`]) and used for every
/// parameter (path, query, header) and every text part of a multipart body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextRule {
    /// Text, sent as it is (also a schema without a type, which is taken as text).
    Text,
    /// A boolean, an integer, a float or an exact decimal: its shortest `Display` form.
    Number,
    /// A string enum: its wire value.
    EnumValue,
    /// RFC 3339, with the offset the value carries.
    DateTime,
    /// `YYYY-MM-DD`.
    Date,
    /// Unix seconds.
    UnixSeconds,
    /// An object, a union, a map or a nested array: its JSON text.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

/// How a parameter reaches the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamRole {
    /// A method argument.
    Argument,
    /// Always sent with this value (a header with a one-value `enum`, or a required header
    /// with a `default`, such as `x-api-version`).
    Pinned(String),
    /// `x-request-id`, from `RequestOptions`.
    RequestId,
    /// `x-idempotency-key`, from `RequestOptions`, with what the vendor does with it.
    IdempotencyKey(IdempotencyPolicy),
}

/// What the vendor does with an idempotency key (`x-paylinks-idempotency`; without it, the
/// key is honoured with every security alternative and nothing beyond 500 is replayed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdempotencyPolicy {
    /// The security alternatives (lists of scheme keys) under which the key is honoured;
    /// `None`: all of them.
    pub honoured_with: Option<Vec<Vec<String>>>,
    /// Statuses the vendor saves and replays for a repeated key.
    pub replayed: Vec<u16>,
    /// Where the extension is, for diagnostics; empty without one.
    pub pointer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub ty: TypeExpr,
    pub required: bool,
    pub media: BodyMedia,
}

/// How a request body travels. Of several media types an operation offers, the first of
/// JSON, form, multipart, text and bytes is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyMedia {
    Json,
    /// `multipart/form-data`: the body type is a struct whose properties are the parts.
    Multipart,
    /// `application/x-www-form-urlencoded`: the body type is a struct, sent as pairs; the
    /// properties the spec's `encoding` styles, with their style.
    Form(Vec<(String, FormStyle)>),
    /// A string sent as it is (`text/plain`, or a non-JSON type whose schema is a string,
    /// such as `application/jwt`), with that media type.
    Text(String),
    /// Bytes sent as they are (`application/octet-stream`, `*/*`, a binary schema), with
    /// that media type.
    Bytes(String),
}

/// How one property of a form body is written (OpenAPI `encoding`: style and explode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    Form { explode: bool },
    DeepObject,
    SpaceDelimited,
    PipeDelimited,
}

/// Which statuses an error response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX`: every status whose first digit is this one.
    Range(u16),
    /// `default`: every status not documented otherwise.
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ErrorStatus {
    pub status: StatusMatch,
    /// The error enum's variant name (`BadRequest`, `Status418`).
    pub variant: String,
    /// The body's type; `None` when the status documents no JSON body.
    pub ty: Option<TypeExpr>,
    pub description: String,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, already made a valid identifier).
    pub name: String,
    /// Where the schema is in the spec, as a JSON pointer.
    pub pointer: String,
    pub docs: Option<String>,
    pub kind: TypeKind,
    /// Keywords on the schema itself (for an alias: checked wherever the alias is used).
    pub constraints: Constraints,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(StructDef),
    StringEnum(StringEnumDef),
    Union(UnionDef),
    Alias(TypeExpr),
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub fields: Vec<Field>,
    /// Values of properties not listed (`additionalProperties` beside `properties`).
    pub additional: Option<TypeExpr>,
    /// Cross-field rules from `x-paylinks-rules`.
    pub rules: Vec<CustomRule>,
}

/// A rule that involves several fields or a condition, from `x-paylinks-rules`
/// (see `docs/x-paylinks-rules.md`).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRule {
    /// The stable rule kind reported in violations.
    pub id: String,
    /// The property (wire name) the violation is reported at.
    pub field: String,
    pub message: String,
    pub pointer: String,
    pub when: Option<Predicate>,
    pub then: Predicate,
}

/// A condition on the fields of one object. Property names are wire names.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    Present(String),
    Absent(String),
    /// The field (or, when absent, its `default`) equals the literal.
    Equals(String, Literal),
    OneOf(String, Vec<Literal>),
    /// Holds when either field is absent.
    LessThan(String, String),
    AtMost(String, String),
    /// Holds when the field is absent. The factor is the number as written.
    MultipleOf(String, String),
    /// The number property is at least the number (the spec's text); holds when absent.
    AtLeast(String, String),
    AtLeastAfterNow(String, Duration),
    AtMostAfterNow(String, Duration),
    Not(Box<Predicate>),
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
}

impl Predicate {
    /// The operator's name in `x-paylinks-rules` (also the pointer token of its argument).
    pub fn operator(&self) -> &'static str {
        match self {
            Predicate::Present(_) => "present",
            Predicate::Absent(_) => "absent",
            Predicate::Equals(..) => "equals",
            Predicate::OneOf(..) => "one_of",
            Predicate::LessThan(..) => "less_than",
            Predicate::AtMost(..) => "at_most",
            Predicate::MultipleOf(..) => "multiple_of",
            Predicate::AtLeast(..) => "at_least",
            Predicate::AtLeastAfterNow(..) => "at_least_after_now",
            Predicate::AtMostAfterNow(..) => "at_most_after_now",
            Predicate::Not(_) => "not",
            Predicate::All(_) => "all",
            Predicate::Any(_) => "any",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    String(String),
}

/// An ISO 8601 duration split into calendar months and seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Duration {
    pub text: String,
    pub months: u32,
    pub seconds: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire_name: String,
    /// The Rust field name (snake_case; a keyword is kept as it is and written as a raw
    /// identifier by the emitter).
    pub rust_name: String,
    pub pointer: String,
    pub ty: TypeExpr,
    pub presence: Presence,
    /// The field's type refers back to the struct that holds it, so it is stored boxed.
    pub boxed: bool,
    pub docs: Option<String>,
    pub default: Option<Value>,
    pub constraints: Constraints,
}

/// How a property may appear on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and never null: a plain `T`.
    Required,
    /// Required but may be null: `Option<T>`, serialized as `null` when `None`.
    RequiredNullable,
    /// May be absent: `Option<T>`, left out when `None`.
    Optional,
    /// May be absent or null: `Option<Option<T>>` (absent, `null`, value).
    OptionalNullable,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnumDef {
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps values this version does not know.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub wire: String,
    pub rust_name: String,
}

/// `oneOf` / `anyOf`: an untagged enum, tried in the spec's order.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub variants: Vec<UnionVariant>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub pointer: String,
    pub ty: TypeExpr,
    pub boxed: bool,
}

/// The type of a value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    Bool,
    Int(IntKind),
    Float(FloatKind),
    /// An exact decimal that travels as a JSON number (`format: decimal`).
    Decimal,
    String,
    /// RFC 3339 date-time with offset (`format: date-time`).
    DateTime,
    /// Calendar date (`format: date`).
    Date,
    /// Unix seconds where 0 means unset (`format: unix-time`).
    UnixTime,
    /// File contents (`type: string, format: binary`).
    Binary,
    /// Any JSON value (a schema without a type).
    Any,
    Named(TypeId),
    Vec(Box<Element>),
    Map(Box<Element>),
    /// A value that may be `null` inside an array, map or union.
    Nullable(Box<TypeExpr>),
}

/// The items of an array or the values of a map, with their own keywords.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub ty: TypeExpr,
    pub constraints: Constraints,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    I32,
    I64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatKind {
    F32,
    F64,
}

/// Validation keywords, collected now and enforced by the validators.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub multiple_of: Option<Num>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub min_properties: Option<usize>,
    pub max_properties: Option<usize>,
    /// A string `format` that validation checks (other formats choose a type or are
    /// documentation only).
    pub format: Option<Format>,
    /// `enum` on a non-string schema (string enums become Rust enums instead).
    pub enum_values: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub value: f64,
    /// The limit as exact text (an integer's digits as written; a number's shortest form).
    pub text: String,
    pub exclusive: bool,
}

impl Bound {
    pub fn int(value: i64, exclusive: bool) -> Self {
        Bound {
            value: value as f64,
            text: value.to_string(),
            exclusive,
        }
    }

    pub fn float(value: f64, exclusive: bool) -> Self {
        Bound {
            value,
            text: Num::float(value).text,
            exclusive,
        }
    }
}

/// A number of the spec, kept as exact text beside its `f64`.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    pub value: f64,
    pub text: String,
}

impl Num {
    pub fn int(value: i64) -> Self {
        Num {
            value: value as f64,
            text: value.to_string(),
        }
    }

    /// `f64`'s `Display` is the shortest text that reads back as the same value.
    pub fn float(value: f64) -> Self {
        Num {
            value,
            text: format!("{value}"),
        }
    }
}

/// An `example` of the spec, to be round-tripped through its generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// A unique snake_case name for the test.
    pub test_name: String,
    pub ty: TypeId,
    pub pointer: String,
    pub value: Value,
}

impl TypeExpr {
    /// The named type reached without going through a `Vec` or a map, if any.
    pub fn direct_named(&self) -> Option<TypeId> {
        match self {
            TypeExpr::Named(id) => Some(*id),
            TypeExpr::Nullable(inner) => inner.direct_named(),
            _ => None,
        }
    }
}

/// The parts of `Decimal::from_parts` for a number's text (`-12.5`, `1e-7`, `3E+2`), or
/// `None` when a 96-bit mantissa with a scale of at most 28 cannot hold it exactly.
pub fn exact_decimal(text: &str) -> Option<(u32, u32, u32, bool, u32)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (significand, exponent) = match unsigned.split_once(['e', 'E']) {
        Some((s, e)) => (s, e.parse::<i32>().ok()?),
        None => (unsigned, 0),
    };
    let (whole, fraction) = significand.split_once('.').unwrap_or((significand, ""));
    let mut digits = format!("{whole}{fraction}");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut scale = i64::try_from(fraction.len()).ok()? - i64::from(exponent);
    while scale < 0 {
        digits.push('0');
        scale += 1;
        if digits.len() > 40 {
            return None;
        }
    }
    let scale = u32::try_from(scale).ok().filter(|s| *s <= 28)?;
    let mantissa: u128 = digits.parse().ok().filter(|m| *m < (1u128 << 96))?;
    Some((
        (mantissa & 0xffff_ffff) as u32,
        ((mantissa >> 32) & 0xffff_ffff) as u32,
        (mantissa >> 64) as u32,
        negative,
        scale,
    ))
}
