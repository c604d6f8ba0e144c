//! The catalog's error: which file, where in it (line, column and field), and what is wrong.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A place in a catalog file: line and column (from 1) and the field's path,
/// e.g. `options[2].items[0].variant`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// Line and column, from 1; `None` when the problem is not at one spot.
    pub position: Option<(usize, usize)>,
    /// The field's path ("" for the whole file).
    pub field: String,
}

impl Place {
    /// The place of the byte range `span` of `text`, for `field`.
    pub fn of(text: &str, span: Option<Range<usize>>, field: impl Into<String>) -> Self {
        Place {
            position: span.map(|s| line_column(text, s.start)),
            field: field.into(),
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        Ok(())
    }
}

/// Line and column (from 1, columns in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A catalog that cannot be used, or an option of it that cannot be shown.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}: {place}{problem}", file.display())]
pub struct CatalogError {
    /// The catalog file.
    pub file: PathBuf,
    /// Where in it.
    pub place: Place,
    /// What is wrong, and where it helps, what to do.
    pub problem: String,
}

impl CatalogError {
    /// An error at `place` in `file`.
    pub fn new(file: &Path, place: Place, problem: impl Into<String>) -> Self {
        CatalogError {
            file: file.to_path_buf(),
            place,
            problem: problem.into(),
        }
    }

    /// An error about the whole file (it cannot be read, it is too large).
    pub fn whole_file(file: &Path, problem: impl Into<String>) -> Self {
        Self::new(file, Place::default(), problem)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_count_lines_and_characters_from_one() {
        let text = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_column(text, 0), (1, 1));
        // "bé = " is 6 bytes but 5 characters before the string.
        assert_eq!(line_column(text, text.find('"').unwrap()), (2, 6));
        let e = CatalogError::new(
            Path::new("house.toml"),
            Place::of(text, Some(6..7), "options[0].name"),
            "empty",
        );
        assert_eq!(
            e.to_string(),
            "house.toml: line 2, column 1: options[0].name: empty"
        );
        assert_eq!(
            CatalogError::whole_file(Path::new("h.toml"), "cannot read it").to_string(),
            "h.toml: cannot read it"
        );
    }
}
