//! Best-effort mapping from a JSON pointer to the line of a block-style YAML file, so that
//! diagnostics can say `file:line`. Inside a flow collection (`{a: 1}`, `[1, 2]`) the line
//! is the one the collection starts on, where the node almost always is.

/// Returns the 1-based line that the node at `pointer` starts on, if it can be found.
pub fn locate_line(text: &str, pointer: &str) -> Option<usize> {
    // A one-line document (minified JSON, a flow mapping) holds every node on line 1.
    if !text.trim_end().contains('\n') {
        return Some(1);
    }
    let lines: Vec<&str> = text.lines().collect();
    let tokens = pointer_tokens(pointer)?;
    if tokens.is_empty() {
        return Some(1);
    }
    let mut start = 0usize;
    let mut parent_indent: isize = -1;
    let mut include_start_line = false;
    let mut found_line = None;
    for token in &tokens {
        let (line, indent, is_item) =
            find_child(&lines, start, parent_indent, include_start_line, token)?;
        found_line = Some(line);
        if opens_flow(lines[line], is_item) {
            break;
        }
        if is_item {
            // `- key: value` puts the item's first key on the item's own line.
            start = line;
            include_start_line = true;
        } else {
            start = line + 1;
            include_start_line = false;
        }
        parent_indent = indent;
    }
    found_line.map(|l| l + 1)
}

fn pointer_tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(crate::diag::unescape_token).collect())
}

/// Finds `token` among the children of the node whose indentation is `parent_indent`,
/// scanning from `start`. Returns the line, the indentation of the found node, and whether
/// it was a sequence item.
fn find_child(
    lines: &[&str],
    start: usize,
    parent_indent: isize,
    include_start_line: bool,
    token: &str,
) -> Option<(usize, isize, bool)> {
    let index: Option<usize> = token.parse().ok();
    let mut items_seen = 0usize;
    let mut child_level: Option<isize> = None;
    for (offset, raw) in lines.iter().enumerate().skip(start) {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = (raw.len() - trimmed.len()) as isize;
        let first_line = include_start_line && offset == start;
        if !first_line && indent <= parent_indent {
            return None;
        }
        let (is_dash, content, effective) = match trimmed.strip_prefix("- ") {
            Some(after) if !first_line => (true, after, indent + 2),
            _ if trimmed == "-" && !first_line => (true, "", indent + 2),
            Some(after) => (false, after, indent + 2),
            None => (false, trimmed, indent),
        };
        if let Some(n) = index {
            if is_dash {
                let level = *child_level.get_or_insert(indent);
                if indent == level {
                    if items_seen == n {
                        return Some((offset, indent, true));
                    }
                    items_seen += 1;
                }
                continue;
            }
        }
        let level = *child_level.get_or_insert(effective);
        if effective == level && key_of(content) == Some(token) {
            return Some((offset, effective, false));
        }
    }
    None
}

/// Whether the node found on `line` is a flow collection, whose children are not on lines
/// of their own.
fn opens_flow(line: &str, is_item: bool) -> bool {
    let content = line.trim_start();
    let content = if is_item {
        content.trim_start_matches('-').trim_start()
    } else {
        content
    };
    let flow = |text: &str| text.starts_with('{') || text.starts_with('[');
    if flow(content) {
        return true;
    }
    // `key: {…}`; a quoted key may itself contain `:`, so the value follows the key.
    let after_key = match content.chars().next() {
        Some(quote @ ('\'' | '"')) => content[1..].split_once(quote).map(|(_, rest)| rest),
        _ => Some(content),
    };
    after_key
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(_, value)| flow(value.trim_start()))
}

/// The mapping key that a line's content starts with, unquoted.
fn key_of(content: &str) -> Option<&str> {
    let (key, rest) = if let Some(inner) = content.strip_prefix('\'') {
        let end = inner.find('\'')?;
        (&inner[..end], &inner[end + 1..])
    } else if let Some(inner) = content.strip_prefix('"') {
        let end = inner.find('"')?;
        (&inner[..end], &inner[end + 1..])
    } else {
        let end = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(|_| content.len() - 1))?;
        (&content[..end], &content[end..])
    };
    if rest.starts_with(':') {
        Some(key)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::locate_line;

    const DOC: &str = "a:\n  b:\n    - x: 1\n      y: 2\n    - x: 3\n  '200':\n    c: [1]\n";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        assert_eq!(locate_line(DOC, ""), Some(1));
        assert_eq!(locate_line(DOC, "/a/b"), Some(2));
        assert_eq!(locate_line(DOC, "/a/b/0/y"), Some(4));
        assert_eq!(locate_line(DOC, "/a/b/1/x"), Some(5));
        assert_eq!(locate_line(DOC, "/a/200/c"), Some(7));
    }

    #[test]
    fn inside_a_flow_collection_the_line_is_where_it_starts() {
        assert_eq!(locate_line(DOC, "/a/200/c/0"), Some(7));
        let doc = "paths:\n  /a: {get: {x: 1}}\n  /b:\n    - {name: id}\n";
        assert_eq!(locate_line(doc, "/paths/~1a/get/x"), Some(2));
        assert_eq!(locate_line(doc, "/paths/~1b/0/name"), Some(4));
    }

    #[test]
    fn unknown_paths_have_no_line() {
        assert_eq!(locate_line(DOC, "/a/b/0/z"), None);
        assert_eq!(locate_line(DOC, "/a/b/2"), None);
        assert_eq!(locate_line(DOC, "/nope"), None);
    }
}
