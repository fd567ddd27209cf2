//! Recognizes the patterns that are one character class repeated over the whole string
//! (`^[A-Za-z0-9_-]+$`, `^[A-Z]{3}$`), so that validators check them with a plain loop
//! instead of a regex search. Anything else is left to the regex engine.

/// A pattern of the form `^[class]{min,max}$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CharClass {
    /// Inclusive character ranges (a single character is a range of one).
    pub ranges: Vec<(char, char)>,
    pub min: usize,
    pub max: Option<usize>,
}

pub fn char_class(pattern: &str) -> Option<CharClass> {
    let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
    let body = body.strip_prefix('[')?;
    let close = find_class_end(body)?;
    let (class, quantifier) = (&body[..close], &body[close + 1..]);
    if class.starts_with('^') || class.is_empty() {
        return None;
    }
    let ranges = parse_class(class)?;
    let (min, max) = match quantifier {
        "+" => (1, None),
        "*" => (0, None),
        "" => (1, Some(1)),
        q => {
            let inner = q.strip_prefix('{')?.strip_suffix('}')?;
            match inner.split_once(',') {
                None => {
                    let n = inner.parse().ok()?;
                    (n, Some(n))
                }
                Some((lo, "")) => (lo.parse().ok()?, None),
                Some((lo, hi)) => {
                    let (lo, hi): (usize, usize) = (lo.parse().ok()?, hi.parse().ok()?);
                    if lo > hi {
                        return None;
                    }
                    (lo, Some(hi))
                }
            }
        }
    };
    Some(CharClass { ranges, min, max })
}

/// The index of the `]` that closes a class, skipping escaped characters.
fn find_class_end(body: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match (escaped, c) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, ']') => return Some(i),
            (false, '[') => return None,
            _ => {}
        }
    }
    None
}

/// Literal characters, ranges `a-z` and the escapes `\-`, `\\`, `\]`, `\.`; a `-` first or
/// last is literal. Shorthand classes (`\d`, `\w`) and anything else are not handled here.
fn parse_class(class: &str) -> Option<Vec<(char, char)>> {
    let mut chars: Vec<char> = Vec::new();
    let mut iter = class.chars().peekable();
    while let Some(c) = iter.next() {
        if c == '\\' {
            let escaped = iter.next()?;
            if escaped.is_ascii_alphanumeric() {
                return None;
            }
            chars.push(escaped);
            // Mark escaped characters so that an escaped `-` is never a range.
            chars.push('\u{0}');
        } else {
            chars.push(c);
        }
    }
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\u{0}' {
            i += 1;
            continue;
        }
        let escaped = chars.get(i + 1) == Some(&'\u{0}');
        let next = if escaped { i + 2 } else { i + 1 };
        if !escaped
            && chars.get(next) == Some(&'-')
            && chars.get(next + 1).is_some_and(|e| *e != '\u{0}')
            && next + 1 < chars.len()
        {
            let end = chars[next + 1];
            if end < c || chars.get(next + 2) == Some(&'\u{0}') {
                return None;
            }
            ranges.push((c, end));
            i = next + 2;
        } else {
            ranges.push((c, c));
            i = next;
        }
    }
    if ranges.is_empty() {
        None
    } else {
        Some(ranges)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_single_class_patterns() {
        let id = char_class("^[A-Za-z0-9_-]+$").unwrap();
        assert_eq!(
            id.ranges,
            [('A', 'Z'), ('a', 'z'), ('0', '9'), ('_', '_'), ('-', '-')]
        );
        assert_eq!((id.min, id.max), (1, None));
        let currency = char_class("^[A-Z]{3}$").unwrap();
        assert_eq!((currency.min, currency.max), (3, Some(3)));
        let pin = char_class("^[0-9]{4,6}$").unwrap();
        assert_eq!((pin.min, pin.max), (4, Some(6)));
        assert_eq!(
            char_class(r"^[a\-z]*$").unwrap().ranges,
            [('a', 'a'), ('-', '-'), ('z', 'z')]
        );
        assert_eq!(
            char_class("^[a-]{2,}$").unwrap().ranges,
            [('a', 'a'), ('-', '-')]
        );
    }

    #[test]
    fn leaves_everything_else_to_the_regex_engine() {
        for pattern in [
            "[a-z]+",
            "^[a-z]+",
            "^[^a-z]+$",
            r"^[\d]+$",
            "^[a-z]+[0-9]$",
            "^$|^[a-z]+$",
            "^(ab)+$",
            "^[z-a]+$",
            "^[a-z]{3,1}$",
            "^[]$",
        ] {
            assert_eq!(char_class(pattern), None, "{pattern}");
        }
    }
}
