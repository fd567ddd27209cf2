//! Check: problems that only show once the whole IR exists (recursion that cannot be
//! expressed, rules that name what is not there, keywords that contradict each other).
//! Check only reads the IR; it reports, never fixes.

use crate::diag::Code;
use std::collections::HashMap;

use crate::diag::Sink;
use crate::graph;
use crate::ir::{Field, Literal, Module, Predicate, Presence, TypeExpr, TypeKind};
use crate::load::LoadedSpec;

pub fn check(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    for id in graph::alias_cycles(module) {
        let t = module.get(id);
        sink.push(spec.error(
            Code::Inexpressible,
            &t.pointer,
            format!("schema `{}` refers to itself without an object in between, which no Rust type can express", t.name),
        ));
    }
    for id in graph::union_cycles(module) {
        let t = module.get(id);
        sink.push(spec.error(
            Code::Inexpressible,
            &t.pointer,
            format!("union `{}` includes itself without an object in between; reading a value would try it forever", t.name),
        ));
    }
    check_rules(module, spec, sink);
    crate::check_values::check_values(module, spec, sink);
    check_operation_names(module, spec, sink);
}

/// Client method names: unique, not a `Client` method, not another operation's `_with` twin.
fn check_operation_names(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    const RESERVED: [&str; 3] = ["new", "with_config", "base_url"];
    let mut seen: HashMap<String, &str> = HashMap::new();
    for op in &module.operations {
        if RESERVED.contains(&op.name.as_str()) {
            sink.push(spec.error(
                Code::Renamed,
                &op.pointer,
                format!(
                    "operation `{}` would shadow `Client::{}`; rename its operationId",
                    op.name, op.name
                ),
            ));
        }
        for name in [op.name.clone(), format!("{}_with", op.name)] {
            match seen.get(&name) {
                Some(earlier) => sink.push(spec.error(
                    Code::Renamed,
                    &op.pointer,
                    format!("operations at `#{earlier}` and `#{}` both need the method `{name}`; rename one operationId", op.pointer),
                )),
                None => {
                    seen.insert(name, &op.pointer);
                }
            }
        }
    }
}

/// What a rule operator can do with a field, after following aliases.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    Bool,
    Int,
    Float,
    Decimal,
    String,
    /// A string enum with its values.
    Enum(Vec<String>),
    UnixTime,
    DateTime,
    Date,
    Other,
}

impl Scalar {
    /// Numbers and times: what `less_than` and `at_most` compare.
    fn is_ordered(&self) -> bool {
        matches!(
            self,
            Scalar::Int
                | Scalar::Float
                | Scalar::Decimal
                | Scalar::UnixTime
                | Scalar::DateTime
                | Scalar::Date
        )
    }
}

pub(crate) fn scalar(module: &Module, ty: &TypeExpr) -> Scalar {
    match module.follow(ty).ty {
        TypeExpr::Bool => Scalar::Bool,
        TypeExpr::Int(_) => Scalar::Int,
        TypeExpr::Float(_) => Scalar::Float,
        TypeExpr::Decimal => Scalar::Decimal,
        TypeExpr::String => Scalar::String,
        TypeExpr::UnixTime => Scalar::UnixTime,
        TypeExpr::DateTime => Scalar::DateTime,
        TypeExpr::Date => Scalar::Date,
        TypeExpr::Named(id) => match &module.get(*id).kind {
            TypeKind::StringEnum(e) => {
                Scalar::Enum(e.variants.iter().map(|v| v.wire.clone()).collect())
            }
            _ => Scalar::Other,
        },
        _ => Scalar::Other,
    }
}

/// Checks that every `x-paylinks-rules` rule names existing properties and uses each
/// operator on a type it applies to.
fn check_rules(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    for t in &module.types {
        let TypeKind::Struct(s) = &t.kind else {
            continue;
        };
        for rule in &s.rules {
            let mut problems = Vec::new();
            let checker = RuleChecker {
                module,
                fields: &s.fields,
            };
            if checker.field(&rule.field).is_none() {
                problems.push((
                    "field".to_owned(),
                    format!(
                        "`field` names `{}`, which is not a property of `{}`",
                        rule.field, t.name
                    ),
                ));
            }
            if let Some(when) = &rule.when {
                checker.predicate(when, "if", &mut problems);
            }
            checker.predicate(&rule.then, "then", &mut problems);
            for (at, message) in problems {
                sink.push(spec.error(
                    Code::Extension,
                    &format!("{}/{at}", rule.pointer),
                    format!("rule `{}`: {message}", rule.id),
                ));
            }
        }
    }
}

struct RuleChecker<'a> {
    module: &'a Module,
    fields: &'a [Field],
}

impl RuleChecker<'_> {
    fn field(&self, wire: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.wire_name == wire)
    }

    /// The field's scalar kind, or a problem when it does not exist.
    fn scalar_of(
        &self,
        wire: &str,
        at: &str,
        problems: &mut Vec<(String, String)>,
    ) -> Option<Scalar> {
        match self.field(wire) {
            Some(f) => Some(scalar(self.module, &f.ty)),
            None => {
                problems.push((
                    at.to_owned(),
                    format!("`{wire}` is not a property of this object"),
                ));
                None
            }
        }
    }

    fn predicate(&self, p: &Predicate, at: &str, problems: &mut Vec<(String, String)>) {
        let at = format!("{at}/{}", p.operator());
        let op = p.operator();
        match p {
            Predicate::Present(f) | Predicate::Absent(f) => match self.field(f) {
                Some(field) if field.presence == Presence::Required => problems.push((
                    at,
                    format!("`{f}` is required, so `{op}` is decided by the type"),
                )),
                Some(_) => {}
                None => {
                    self.scalar_of(f, &at, problems);
                }
            },
            Predicate::Equals(f, lit) => self.literals(f, std::slice::from_ref(lit), &at, problems),
            Predicate::OneOf(f, lits) => self.literals(f, lits, &at, problems),
            Predicate::LessThan(a, b) | Predicate::AtMost(a, b) => {
                let (x, y) = (
                    self.scalar_of(a, &at, problems),
                    self.scalar_of(b, &at, problems),
                );
                if let (Some(x), Some(y)) = (x, y) {
                    if x != y || !x.is_ordered() {
                        problems.push((
                            at,
                            format!("`{a}` and `{b}` must be numbers or times of the same type"),
                        ));
                    }
                }
            }
            Predicate::MultipleOf(f, _) | Predicate::AtLeast(f, _) => {
                let scalar = self.scalar_of(f, &at, problems);
                if scalar
                    .is_some_and(|s| !matches!(s, Scalar::Int | Scalar::Float | Scalar::Decimal))
                {
                    problems.push((at, format!("`{f}` is not a number")));
                }
            }
            Predicate::AtLeastAfterNow(f, _) | Predicate::AtMostAfterNow(f, _) => {
                let scalar = self.scalar_of(f, &at, problems);
                if scalar.is_some_and(|s| !matches!(s, Scalar::UnixTime | Scalar::DateTime)) {
                    problems.push((
                        at,
                        format!("`{f}` is not a timestamp (format unix-time or date-time)"),
                    ));
                }
            }
            Predicate::Not(inner) => self.predicate(inner, &at, problems),
            Predicate::All(items) | Predicate::Any(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.predicate(item, &format!("{at}/{i}"), problems);
                }
            }
        }
    }

    fn literals(&self, f: &str, lits: &[Literal], at: &str, problems: &mut Vec<(String, String)>) {
        let Some(s) = self.scalar_of(f, at, problems) else {
            return;
        };
        for lit in lits {
            let fits = match (&s, lit) {
                (Scalar::Bool, Literal::Bool(_))
                | (Scalar::Int, Literal::Int(_))
                | (Scalar::String, Literal::String(_)) => true,
                (Scalar::Enum(values), Literal::String(v)) => {
                    if !values.contains(v) {
                        problems.push((
                            at.to_owned(),
                            format!("`{v}` is not one of `{f}`'s values ({})", values.join(", ")),
                        ));
                    }
                    true
                }
                _ => false,
            };
            if !fits {
                problems.push((
                    at.to_owned(),
                    format!("{} cannot be compared with `{f}`", describe(lit)),
                ));
            }
        }
    }
}

fn describe(lit: &Literal) -> String {
    match lit {
        Literal::Bool(b) => format!("the boolean {b}"),
        Literal::Int(n) => format!("the integer {n}"),
        Literal::String(s) => format!("the string `{s}`"),
    }
}
