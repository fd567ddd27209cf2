//! The one query API over a module's types: every stage after lower reads types through
//! these (by [`TypeId`]), so none keeps its own name map or reference walk.

use super::{
    Credential, CredentialId, Module, SchemeId, SecurityScheme, TextRule, TypeDef, TypeExpr,
    TypeId, TypeKind,
};

/// Where following aliases from a type expression ended.
#[derive(Debug, Clone)]
pub struct Followed<'m> {
    /// The first expression that is not a named alias (or the last one reached when the
    /// chain is cyclic, which check reports).
    pub ty: &'m TypeExpr,
    /// The aliases passed through, in order (their own keywords apply to the value too).
    pub via: Vec<TypeId>,
}

impl Module {
    /// The definition of a type.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// A security scheme.
    pub fn scheme(&self, id: SchemeId) -> &SecurityScheme {
        &self.security_schemes[id.0 as usize]
    }

    /// A security alternative (a `Credentials` variant).
    pub fn credential(&self, id: CredentialId) -> &Credential {
        &self.credentials[id.0 as usize]
    }

    /// Whether a security alternative sends exactly the schemes `keys` name, in any order.
    pub fn credential_is(&self, id: CredentialId, keys: &[String]) -> bool {
        let schemes = &self.credential(id).schemes;
        schemes.len() == keys.len()
            && schemes
                .iter()
                .all(|(s, _)| keys.contains(&self.scheme(*s).key))
    }

    /// The Rust name of a type.
    pub fn name(&self, id: TypeId) -> &str {
        &self.get(id).name
    }

    /// Every type with its id, in emission order.
    pub fn iter_types(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.types
            .iter()
            .enumerate()
            .map(|(i, t)| (TypeId(i as u32), t))
    }

    /// The kind of the type an expression names, after aliases (`None` for an expression
    /// that is not a named type).
    pub fn kind_of(&self, ty: &TypeExpr) -> Option<&TypeKind> {
        match self.follow(ty).ty {
            TypeExpr::Named(id) => Some(&self.get(*id).kind),
            _ => None,
        }
    }

    /// How a value of `ty` becomes text in a parameter or a multipart part; `None` for file
    /// contents, which have no text form.
    pub fn text_rule(&self, ty: &TypeExpr) -> Option<TextRule> {
        text_rule(&self.types, ty)
    }

    /// Follows aliases (`Named` → `Alias(inner)` → …) to the expression a value really has.
    /// `Nullable` is not looked through. At most one step per type: a cycle (which check
    /// refuses) ends the walk instead of looping.
    pub fn follow<'m>(&'m self, ty: &'m TypeExpr) -> Followed<'m> {
        let mut current = ty;
        let mut via = Vec::new();
        while let TypeExpr::Named(id) = current {
            match &self.get(*id).kind {
                TypeKind::Alias(inner) if via.len() <= self.types.len() => {
                    via.push(*id);
                    current = inner;
                }
                _ => break,
            }
        }
        Followed { ty: current, via }
    }

    /// The types a definition refers to, anywhere inside it (fields, additional properties,
    /// union variants, alias targets; through `Vec`s, maps and `Nullable`).
    pub fn references(&self, id: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        self.get(id)
            .for_each_expr(&mut |ty| ty.named_inside(&mut out));
        out
    }

    /// The types a definition holds by value: reached without passing through a `Vec` or a
    /// map (which allocate). These are the edges recursion must box.
    pub fn direct_references(&self, id: TypeId) -> Vec<TypeId> {
        let mut out = Vec::new();
        match &self.get(id).kind {
            TypeKind::Struct(s) => out.extend(s.fields.iter().filter_map(|f| f.ty.direct_named())),
            TypeKind::Union(u) => out.extend(u.variants.iter().filter_map(|v| v.ty.direct_named())),
            TypeKind::Alias(ty) => out.extend(ty.direct_named()),
            TypeKind::StringEnum(_) => {}
        }
        out
    }

    /// Rewrites every type reference of the module (types, operations, examples) with `map`.
    pub fn remap_types(&mut self, map: &dyn Fn(TypeId) -> TypeId) {
        let mut visit = |ty: &mut TypeExpr| ty.remap(map);
        for t in &mut self.types {
            t.for_each_expr_mut(&mut visit);
        }
        for op in &mut self.operations {
            for p in &mut op.params {
                visit(&mut p.ty);
            }
            if let Some(body) = &mut op.body {
                visit(&mut body.ty);
            }
            if let Some(ty) = &mut op.success {
                visit(ty);
            }
            for e in &mut op.errors {
                if let Some(ty) = &mut e.ty {
                    visit(ty);
                }
            }
        }
        for e in &mut self.examples {
            e.ty = map(e.ty);
        }
    }
}

impl TypeDef {
    /// Calls `f` on every type expression directly in this definition.
    pub fn for_each_expr(&self, f: &mut dyn FnMut(&TypeExpr)) {
        match &self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|field| f(&field.ty));
                if let Some(additional) = &s.additional {
                    f(additional);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Alias(ty) => f(ty),
            TypeKind::StringEnum(_) => {}
        }
    }

    fn for_each_expr_mut(&mut self, f: &mut dyn FnMut(&mut TypeExpr)) {
        match &mut self.kind {
            TypeKind::Struct(s) => {
                s.fields.iter_mut().for_each(|field| f(&mut field.ty));
                if let Some(additional) = &mut s.additional {
                    f(additional);
                }
            }
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Alias(ty) => f(ty),
            TypeKind::StringEnum(_) => {}
        }
    }
}

impl TypeExpr {
    /// Every named type inside this expression (through `Vec`s, maps and `Nullable`).
    pub fn named_inside(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeExpr::Named(id) => out.push(*id),
            TypeExpr::Vec(element) | TypeExpr::Map(element) => element.ty.named_inside(out),
            TypeExpr::Nullable(inner) => inner.named_inside(out),
            _ => {}
        }
    }

    fn remap(&mut self, map: &dyn Fn(TypeId) -> TypeId) {
        match self {
            TypeExpr::Named(id) => *id = map(*id),
            TypeExpr::Vec(element) | TypeExpr::Map(element) => element.ty.remap(map),
            TypeExpr::Nullable(inner) => inner.remap(map),
            _ => {}
        }
    }
}

/// [`Module::text_rule`] over types still being lowered (every type `ty` reaches is complete).
pub(crate) fn text_rule(types: &[TypeDef], ty: &TypeExpr) -> Option<TextRule> {
    let current = follow_aliases(types, ty);
    if let TypeExpr::Named(id) = current {
        return match &types.get(id.index())?.kind {
            TypeKind::StringEnum(_) => Some(TextRule::EnumValue),
            // An alias still here ends a cyclic chain, which check refuses.
            TypeKind::Struct(_) | TypeKind::Union(_) | TypeKind::Alias(_) => Some(TextRule::Json),
        };
    }
    Some(match current {
        TypeExpr::String | TypeExpr::Any => TextRule::Text,
        TypeExpr::Bool | TypeExpr::Int(_) | TypeExpr::Float(_) | TypeExpr::Decimal => {
            TextRule::Number
        }
        TypeExpr::DateTime => TextRule::DateTime,
        TypeExpr::Date => TextRule::Date,
        TypeExpr::UnixTime => TextRule::UnixSeconds,
        TypeExpr::Binary => return None,
        TypeExpr::Named(_) | TypeExpr::Vec(_) | TypeExpr::Map(_) | TypeExpr::Nullable(_) => {
            TextRule::Json
        }
    })
}

/// Aliases followed over types still being lowered (bounded: a cycle stops the walk).
pub(crate) fn follow_aliases<'t>(types: &'t [TypeDef], ty: &'t TypeExpr) -> &'t TypeExpr {
    let mut current = ty;
    for _ in 0..=types.len() {
        match current {
            TypeExpr::Named(id) => match types.get(id.index()).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => current = inner,
                _ => break,
            },
            _ => break,
        }
    }
    current
}
