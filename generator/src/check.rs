//! Check: problems that only show once the whole IR exists (names that collide after case
//! conversion, recursion that needs a box or cannot be expressed). Marks recursive fields as
//! boxed so that emitters only ever see types Rust can represent.

use std::collections::{HashMap, HashSet};

use crate::diag::Sink;
use crate::ir::{Field, Literal, Module, Predicate, Presence, TypeExpr, TypeKind};
use crate::load::LoadedSpec;

pub fn check(module: &mut Module, spec: &LoadedSpec, sink: &mut Sink) {
    check_type_names(module, spec, sink);
    for t in &module.types {
        match &t.kind {
            TypeKind::Struct(s) => {
                let mut names: Vec<(&str, &str, &str)> = s
                    .fields
                    .iter()
                    .map(|f| {
                        (
                            f.rust_name.as_str(),
                            f.wire_name.as_str(),
                            f.pointer.as_str(),
                        )
                    })
                    .collect();
                if s.additional.is_some() {
                    names.push((
                        "additional_properties",
                        "additionalProperties",
                        t.pointer.as_str(),
                    ));
                }
                report_collisions(&names, "properties", "field", spec, sink);
            }
            TypeKind::StringEnum(e) => {
                let names: Vec<(&str, &str, &str)> = e
                    .variants
                    .iter()
                    .map(|v| (v.rust_name.as_str(), v.wire.as_str(), t.pointer.as_str()))
                    .collect();
                report_collisions(&names, "enum values", "variant", spec, sink);
            }
            TypeKind::Union(_) | TypeKind::Alias(_) => {}
        }
    }
    check_alias_cycles(module, spec, sink);
    check_union_cycles(module, spec, sink);
    check_rules(module, spec, sink);
    crate::check_values::check_values(module, spec, sink);
    check_operation_names(module, spec, sink);
    mark_boxes(module);
}

fn check_type_names(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for t in &module.types {
        if let Some(earlier) = first.get(t.name.as_str()) {
            sink.push(spec.error(
                &t.pointer,
                format!(
                    "schemas `#{earlier}` and `#{}` both become the Rust type `{}`",
                    t.pointer, t.name
                ),
            ));
        } else {
            first.insert(&t.name, &t.pointer);
        }
    }
}

/// `names` are (rust name, spec name, pointer) triples.
fn report_collisions(
    names: &[(&str, &str, &str)],
    what: &str,
    kind: &str,
    spec: &LoadedSpec,
    sink: &mut Sink,
) {
    let mut first: HashMap<&str, &str> = HashMap::new();
    for (rust, wire, pointer) in names {
        match first.get(rust) {
            Some(earlier) => sink.push(spec.error(
                pointer,
                format!("{what} `{earlier}` and `{wire}` both become the {kind} `{rust}`"),
            )),
            None => {
                first.insert(rust, wire);
            }
        }
    }
}

/// Named types a type refers to, anywhere inside it.
fn all_named(ty: &TypeExpr, out: &mut Vec<String>) {
    match ty {
        TypeExpr::Named(n) => out.push(n.clone()),
        TypeExpr::Vec(element) | TypeExpr::Map(element) => all_named(&element.ty, out),
        TypeExpr::Nullable(inner) => all_named(inner, out),
        _ => {}
    }
}

/// A type alias cannot refer to itself, even through a `Vec`: Rust has no recursive aliases.
fn check_alias_cycles(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    let aliases: HashMap<&str, &TypeExpr> = module
        .types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Alias(ty) => Some((t.name.as_str(), ty)),
            _ => None,
        })
        .collect();
    for t in &module.types {
        let TypeKind::Alias(ty) = &t.kind else {
            continue;
        };
        let mut stack = Vec::new();
        all_named(ty, &mut stack);
        let mut seen = HashSet::new();
        while let Some(name) = stack.pop() {
            if name == t.name {
                sink.push(spec.error(
                    &t.pointer,
                    format!("schema `{}` refers to itself without an object in between, which no Rust type can express", t.name),
                ));
                break;
            }
            if seen.insert(name.clone()) {
                if let Some(next) = aliases.get(name.as_str()) {
                    all_named(next, &mut stack);
                }
            }
        }
    }
}

/// A union that reaches itself through unions and aliases alone (`U: oneOf [U, …]`) would
/// try itself on the same value forever when deserialized (a stack overflow in every
/// client that reads it). Through a struct field, an array or a map the value gets smaller
/// at each step, so those cycles are fine.
fn check_union_cycles(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    let by_name: HashMap<&str, &TypeKind> = module
        .types
        .iter()
        .map(|t| (t.name.as_str(), &t.kind))
        .collect();
    // The named types a union or alias tries on the same value.
    let direct = |kind: &TypeKind| -> Vec<String> {
        match kind {
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| v.ty.direct_named().map(str::to_owned))
                .collect(),
            TypeKind::Alias(ty) => ty.direct_named().map(str::to_owned).into_iter().collect(),
            _ => Vec::new(),
        }
    };
    for t in &module.types {
        if !matches!(t.kind, TypeKind::Union(_)) {
            continue;
        }
        let mut stack = direct(&t.kind);
        let mut seen = HashSet::new();
        while let Some(name) = stack.pop() {
            if name == t.name {
                sink.push(spec.error(
                    &t.pointer,
                    format!("union `{}` includes itself without an object in between; reading a value would try it forever", t.name),
                ));
                break;
            }
            if seen.insert(name.clone()) {
                if let Some(kind) = by_name.get(name.as_str()) {
                    stack.extend(direct(kind));
                }
            }
        }
    }
}

/// Boxes every field and variant whose type leads back to its owner without passing through
/// a `Vec` or a map (which already allocate): exactly the direct edges inside one strongly
/// connected component of the type graph. Linear in the number of types and edges.
fn mark_boxes(module: &mut Module) {
    let index: HashMap<&str, usize> = module
        .types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let targets = |t: &crate::ir::TypeDef| -> Vec<usize> {
        let names: Vec<&str> = match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| f.ty.direct_named())
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| v.ty.direct_named())
                .collect(),
            TypeKind::Alias(ty) => ty.direct_named().into_iter().collect(),
            TypeKind::StringEnum(_) => Vec::new(),
        };
        names
            .into_iter()
            .filter_map(|n| index.get(n).copied())
            .collect()
    };
    let edges: Vec<Vec<usize>> = module.types.iter().map(targets).collect();
    let component = strongly_connected_components(&edges);
    let same = |from: usize, to: &str| {
        index
            .get(to)
            .is_some_and(|&t| component[t] == component[from])
    };
    let flags: Vec<Vec<bool>> = module
        .types
        .iter()
        .enumerate()
        .map(|(ti, t)| match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| f.ty.direct_named().is_some_and(|n| same(ti, n)))
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .map(|v| v.ty.direct_named().is_some_and(|n| same(ti, n)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (t, boxed) in module.types.iter_mut().zip(flags) {
        match &mut t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter_mut()
                .zip(boxed)
                .for_each(|(f, b)| f.boxed = b),
            TypeKind::Union(u) => u
                .variants
                .iter_mut()
                .zip(boxed)
                .for_each(|(v, b)| v.boxed = b),
            _ => {}
        }
    }
}

/// Tarjan's algorithm, iterative (no recursion depth limit): the component of every node.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut counter = 0;
    let mut components = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to look at)
        let mut work = vec![(root, 0usize)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut next)) = work.last_mut() {
            if let Some(&target) = edges[node].get(*next) {
                *next += 1;
                if order[target] == UNSEEN {
                    order[target] = counter;
                    low[target] = counter;
                    counter += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = components;
                    if member == node {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

/// Client method names: unique, not a `Client` method, not another operation's `_with` twin.
fn check_operation_names(module: &Module, spec: &LoadedSpec, sink: &mut Sink) {
    const RESERVED: [&str; 3] = ["new", "with_config", "base_url"];
    let mut seen: HashMap<String, &str> = HashMap::new();
    for op in &module.operations {
        if RESERVED.contains(&op.name.as_str()) {
            sink.push(spec.error(
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

pub(crate) fn scalar(module: &Module, ty: &TypeExpr) -> Scalar {
    scalar_within(module, ty, module.types.len())
}

/// `scalar`, following at most `steps` aliases: a cycle of aliases (reported by
/// `check_alias_cycles`) ends the walk instead of looping.
fn scalar_within(module: &Module, ty: &TypeExpr, steps: usize) -> Scalar {
    match ty {
        TypeExpr::Bool => Scalar::Bool,
        TypeExpr::Int(_) => Scalar::Int,
        TypeExpr::Float(_) => Scalar::Float,
        TypeExpr::Decimal => Scalar::Decimal,
        TypeExpr::String => Scalar::String,
        TypeExpr::UnixTime => Scalar::UnixTime,
        TypeExpr::DateTime => Scalar::DateTime,
        TypeExpr::Date => Scalar::Date,
        TypeExpr::Named(name) => match module
            .types
            .iter()
            .find(|t| &t.name == name)
            .map(|t| &t.kind)
        {
            Some(TypeKind::StringEnum(e)) => {
                Scalar::Enum(e.variants.iter().map(|v| v.wire.clone()).collect())
            }
            Some(TypeKind::Alias(inner)) if steps > 0 => scalar_within(module, inner, steps - 1),
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
        let numeric = |s: &Scalar| {
            matches!(
                s,
                Scalar::Int
                    | Scalar::Float
                    | Scalar::Decimal
                    | Scalar::UnixTime
                    | Scalar::DateTime
                    | Scalar::Date
            )
        };
        match p {
            Predicate::Present(f) | Predicate::Absent(f) => {
                let op = if matches!(p, Predicate::Present(_)) {
                    "present"
                } else {
                    "absent"
                };
                if let Some(field) = self.field(f) {
                    if field.presence == Presence::Required {
                        problems.push((
                            format!("{at}/{op}"),
                            format!("`{f}` is required, so `{op}` is decided by the type"),
                        ));
                    }
                } else {
                    self.scalar_of(f, &format!("{at}/{op}"), problems);
                }
            }
            Predicate::Equals(f, lit) => self.literals(
                f,
                std::slice::from_ref(lit),
                &format!("{at}/equals"),
                problems,
            ),
            Predicate::OneOf(f, lits) => self.literals(f, lits, &format!("{at}/one_of"), problems),
            Predicate::LessThan(a, b) | Predicate::AtMost(a, b) => {
                let op = if matches!(p, Predicate::LessThan(..)) {
                    "less_than"
                } else {
                    "at_most"
                };
                let at = format!("{at}/{op}");
                if let (Some(x), Some(y)) = (
                    self.scalar_of(a, &at, problems),
                    self.scalar_of(b, &at, problems),
                ) {
                    if x != y || !numeric(&x) {
                        problems.push((
                            at,
                            format!("`{a}` and `{b}` must be numbers or times of the same type"),
                        ));
                    }
                }
            }
            Predicate::MultipleOf(f, _) | Predicate::AtLeast(f, _) => {
                let op = if matches!(p, Predicate::AtLeast(..)) {
                    "at_least"
                } else {
                    "multiple_of"
                };
                let at = format!("{at}/{op}");
                if let Some(s) = self.scalar_of(f, &at, problems) {
                    if !matches!(s, Scalar::Int | Scalar::Float | Scalar::Decimal) {
                        problems.push((at, format!("`{f}` is not a number")));
                    }
                }
            }
            Predicate::AtLeastAfterNow(f, _) | Predicate::AtMostAfterNow(f, _) => {
                let op = if matches!(p, Predicate::AtLeastAfterNow(..)) {
                    "at_least_after_now"
                } else {
                    "at_most_after_now"
                };
                let at = format!("{at}/{op}");
                if let Some(s) = self.scalar_of(f, &at, problems) {
                    if !matches!(s, Scalar::UnixTime | Scalar::DateTime) {
                        problems.push((
                            at,
                            format!("`{f}` is not a timestamp (format unix-time or date-time)"),
                        ));
                    }
                }
            }
            Predicate::Not(inner) => self.predicate(inner, &format!("{at}/not"), problems),
            Predicate::All(items) | Predicate::Any(items) => {
                let op = if matches!(p, Predicate::All(_)) {
                    "all"
                } else {
                    "any"
                };
                for (i, item) in items.iter().enumerate() {
                    self.predicate(item, &format!("{at}/{op}/{i}"), problems);
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
