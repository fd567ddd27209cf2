//! Doc comments made safe, on the syntax tree of every emitted file: vendor prose can never
//! become a doctest, and no character that rustc refuses in a comment reaches one.
//!
//! Every `#[doc = "..."]` of an item, field or variant passes through here, whatever emitter
//! wrote it, so a new emitter cannot forget the rule.
//! - A fenced code block (```` ``` ```` or `~~~`, any info string: `rust`, `should_panic`,
//!   none) is opened as `text`, so rustdoc shows it and never compiles or runs it. A fence
//!   left open is closed at the end of the comment.
//! - Outside fences, whitespace runs become one space, so that indentation never makes an
//!   indented code block (a doctest too), not even inside a list item or a block quote; and
//!   a run of three or more backticks or tildes that does not start the line (`> ```rust`,
//!   `- ~~~`) is backslash-escaped, so it cannot open a fence inside those containers.
//! - A line that lazily continues a list item or a quote is joined to it (it reads the
//!   same, and clippy's `doc_lazy_continuation` asks for it).
//! - Control characters other than tab (a bare carriage return among them) and the Unicode
//!   bidirectional controls, which rustc rejects in comments, are written as `\u{..}` text.

use syn::visit_mut::VisitMut;
use syn::{Attribute, Expr, ExprLit, Lit, LitStr, Meta};

/// Makes every doc comment in `file` safe.
pub fn sanitize(file: &mut syn::File) {
    Sanitizer.visit_file_mut(file);
}

struct Sanitizer;

macro_rules! attrs_of {
    ($($method:ident($ty:ty) => $walk:path),* $(,)?) => {$(
        fn $method(&mut self, node: &mut $ty) {
            sanitize_attrs(&mut node.attrs);
            $walk(self, node);
        }
    )*};
}

impl VisitMut for Sanitizer {
    attrs_of!(
        visit_file_mut(syn::File) => syn::visit_mut::visit_file_mut,
        visit_item_struct_mut(syn::ItemStruct) => syn::visit_mut::visit_item_struct_mut,
        visit_item_enum_mut(syn::ItemEnum) => syn::visit_mut::visit_item_enum_mut,
        visit_item_fn_mut(syn::ItemFn) => syn::visit_mut::visit_item_fn_mut,
        visit_item_impl_mut(syn::ItemImpl) => syn::visit_mut::visit_item_impl_mut,
        visit_item_mod_mut(syn::ItemMod) => syn::visit_mut::visit_item_mod_mut,
        visit_item_type_mut(syn::ItemType) => syn::visit_mut::visit_item_type_mut,
        visit_item_const_mut(syn::ItemConst) => syn::visit_mut::visit_item_const_mut,
        visit_item_static_mut(syn::ItemStatic) => syn::visit_mut::visit_item_static_mut,
        visit_item_trait_mut(syn::ItemTrait) => syn::visit_mut::visit_item_trait_mut,
        visit_item_use_mut(syn::ItemUse) => syn::visit_mut::visit_item_use_mut,
        visit_field_mut(syn::Field) => syn::visit_mut::visit_field_mut,
        visit_variant_mut(syn::Variant) => syn::visit_mut::visit_variant_mut,
        visit_impl_item_fn_mut(syn::ImplItemFn) => syn::visit_mut::visit_impl_item_fn_mut,
        visit_impl_item_const_mut(syn::ImplItemConst) => syn::visit_mut::visit_impl_item_const_mut,
        visit_impl_item_type_mut(syn::ImplItemType) => syn::visit_mut::visit_impl_item_type_mut,
        visit_trait_item_fn_mut(syn::TraitItemFn) => syn::visit_mut::visit_trait_item_fn_mut,
        visit_local_mut(syn::Local) => syn::visit_mut::visit_local_mut,
    );
}

/// The text of a `#[doc = "..."]` (or `#![doc = ...]`) attribute.
fn doc_text(attr: &Attribute) -> Option<String> {
    match &attr.meta {
        Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

fn set_doc_text(attr: &mut Attribute, text: &str) {
    if let Meta::NameValue(nv) = &mut attr.meta {
        if let Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) = &mut nv.value
        {
            *s = LitStr::new(text, s.span());
        }
    }
}

/// An open fence: its character and length.
#[derive(Clone, Copy)]
pub(crate) struct Fence {
    marker: char,
    len: usize,
}

impl Fence {
    /// The fence that opens a block as `text`.
    pub(crate) fn opening_text(self) -> String {
        format!("{}text", self.marker.to_string().repeat(self.len))
    }

    /// The fence that closes it.
    pub(crate) fn closing(self) -> String {
        self.marker.to_string().repeat(self.len)
    }

    /// Whether the (trimmed) line closes this fence.
    pub(crate) fn is_closed_by(self, trimmed: &str) -> bool {
        fence_marker(trimmed).is_some_and(|f| {
            f.marker == self.marker && f.len >= self.len && trimmed.chars().all(|c| c == f.marker)
        })
    }
}

/// The fence a (trimmed) line opens, outside a fence: three or more backticks or tildes; a
/// backtick fence's info string cannot hold a backtick (that is inline code).
pub(crate) fn opening_fence(trimmed: &str) -> Option<Fence> {
    fence_marker(trimmed).filter(|f| !(f.marker == '`' && trimmed[f.len..].contains('`')))
}

/// One attribute list: the doc lines in order, with the fence state carried across lines.
fn sanitize_attrs(attrs: &mut Vec<Attribute>) {
    let mut open: Option<Fence> = None;
    let mut last_doc = None;
    for (i, attr) in attrs.iter_mut().enumerate() {
        let Some(text) = doc_text(attr) else {
            continue;
        };
        let mut lines: Vec<String> = Vec::new();
        let mut container = false;
        for line in text.split('\n') {
            let was_open = open.is_some();
            let safe = safe_line(line, &mut open);
            let prose = !was_open && open.is_none();
            let content = safe.trim_start();
            match lines.last_mut() {
                // A lazy continuation of a list item or quote: joined to it, which reads
                // the same and is what rustdoc's linter asks for.
                Some(last)
                    if prose && container && !content.is_empty() && !opens_container(content) =>
                {
                    last.push(' ');
                    last.push_str(content);
                    continue;
                }
                _ => {}
            }
            container = prose && opens_container(content);
            lines.push(safe);
        }
        let safe = lines.join("\n");
        if safe != text {
            set_doc_text(attr, &safe);
        }
        last_doc = Some(i);
    }
    if let (Some(fence), Some(i)) = (open, last_doc) {
        let mut closing = attrs[i].clone();
        set_doc_text(&mut closing, &format!(" {}", fence.closing()));
        attrs.insert(i + 1, closing);
    }
}

/// Whether a prose line starts a list item (`- `, `* `, `+ `, `1. `, `1) `) or a quote.
pub(crate) fn opens_container(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let after_number = &line[digits..];
    line.starts_with(['-', '*', '+']) && line[1..].starts_with(' ')
        || line.starts_with('>')
        || (digits > 0 && (after_number.starts_with(". ") || after_number.starts_with(") ")))
}

/// A line's fence marker and its length, when the line starts with three or more of one.
fn fence_marker(line: &str) -> Option<Fence> {
    let marker = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = line.chars().take_while(|c| *c == marker).count();
    (len >= 3).then_some(Fence { marker, len })
}

fn safe_line(line: &str, open: &mut Option<Fence>) -> String {
    let trimmed = line.trim();
    let out = match *open {
        Some(fence) => {
            if fence.is_closed_by(trimmed) {
                *open = None;
            }
            line.to_owned()
        }
        None => match opening_fence(trimmed) {
            Some(f) => {
                *open = Some(f);
                format!(" {}", f.opening_text())
            }
            None if trimmed.is_empty() => String::new(),
            None => format!(" {}", inert(trimmed)),
        },
    };
    escape_controls(&out)
}

/// A prose line that cannot start a code block in any container: whitespace runs become one
/// space (no indented code, also not inside a list item or block quote), and any run of
/// three or more backticks or tildes is backslash-escaped (no fence after `> `, `- `, `1. `).
fn inert(line: &str) -> String {
    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = collapsed.chars().collect();
    let mut out = String::with_capacity(collapsed.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|&&d| d == c).count();
        if (c == '`' || c == '~') && run >= 3 {
            for _ in 0..run {
                out.push('\\');
                out.push(c);
            }
        } else {
            out.extend(&chars[i..i + run]);
        }
        i += run;
    }
    out
}

/// Characters rustc refuses in comments, or that change how text is displayed around them,
/// written as `\u{..}`.
fn escape_controls(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:X}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2028}' | '\u{2029}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn docs_after(tokens: proc_macro2::TokenStream) -> Vec<String> {
        let mut file: syn::File = syn::parse2(tokens).unwrap();
        sanitize(&mut file);
        let syn::Item::Struct(item) = &file.items[0] else {
            panic!()
        };
        item.attrs.iter().filter_map(doc_text).collect()
    }

    #[test]
    fn every_fence_becomes_text_and_open_fences_are_closed() {
        let docs = docs_after(quote! {
            #[doc = " ```rust"]
            #[doc = " std::fs::write(\"pwned\", \"\").unwrap();"]
            #[doc = " ```"]
            #[doc = " ~~~should_panic"]
            #[doc = " ```"]
            #[doc = " ~~~"]
            #[doc = " ````"]
            #[doc = " ```not a close"]
            #[doc = "     indented"]
            struct S;
        });
        assert_eq!(
            docs,
            [
                " ```text",
                " std::fs::write(\"pwned\", \"\").unwrap();",
                " ```",
                " ~~~text",
                " ```",
                " ~~~",
                " ````text",
                " ```not a close",
                "     indented",
                " ````",
            ]
        );
    }

    #[test]
    fn indentation_outside_fences_is_dropped() {
        let docs = docs_after(quote! {
            #[doc = " Text"]
            #[doc = ""]
            #[doc = "        let x = 1;"]
            #[doc = " Inline ``` code ``` stays"]
            struct S;
        });
        assert_eq!(
            docs,
            [
                " Text",
                "",
                " let x = 1;",
                r" Inline \`\`\` code \`\`\` stays"
            ]
        );
    }

    #[test]
    fn fences_and_indentation_inside_quotes_and_lists_are_inert() {
        let docs = docs_after(quote! {
            #[doc = " > ```rust"]
            #[doc = " > std::fs::write(\"x\", \"\").unwrap();"]
            #[doc = " > ```"]
            #[doc = " -     std::process::exit(1);"]
            #[doc = " 1. ~~~should_panic"]
            #[doc = " * inline `` code `` stays"]
            struct S;
        });
        assert_eq!(
            docs,
            [
                " > \\`\\`\\`rust",
                " > std::fs::write(\"x\", \"\").unwrap();",
                " > \\`\\`\\`",
                " - std::process::exit(1);",
                " 1. \\~\\~\\~should_panic",
                " * inline `` code `` stays",
            ]
        );
    }

    #[test]
    fn controls_rustc_refuses_are_escaped() {
        let docs = docs_after(quote! {
            #[doc = " a\rb \u{202E}evil\u{2066} c\u{0} d\te"]
            struct S;
        });
        // A carriage return or tab in prose is whitespace, written as one space.
        assert_eq!(docs, [" a b \\u{202E}evil\\u{2066} c\\u{0} d e"]);
    }
}
