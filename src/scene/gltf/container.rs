//! Reading the file itself: a size-capped read, the GLB container checked against the
//! real file size before anything is sliced, and a JSON nesting check before parsing.

use super::error::{LoadError, Problem};
use super::limits::LoadLimits;
use std::io::Read;
use std::ops::Range;
use std::path::Path;

const GLB_MAGIC: &[u8; 4] = b"glTF";
const CHUNK_JSON: u32 = 0x4E4F_534A;
const CHUNK_BIN: u32 = 0x004E_4942;
const HEADER_LEN: usize = 12;
const CHUNK_HEADER_LEN: usize = 8;

/// The bytes of a `.gltf` or `.glb` file, split into its JSON and its GLB binary chunk.
pub(crate) struct Container {
    /// The whole file.
    pub(crate) bytes: Vec<u8>,
    /// Where the JSON text lies in `bytes`.
    pub(crate) json: Range<usize>,
    /// Where the GLB `BIN` chunk lies in `bytes`, if there is one.
    pub(crate) bin: Option<Range<usize>>,
}

impl Container {
    pub(crate) fn json(&self) -> &[u8] {
        &self.bytes[self.json.clone()]
    }
}

/// Reads at most `limit` bytes of `path`; a longer file is an error, not a truncation.
pub(crate) fn read_capped(
    path: &Path,
    limit: u64,
    field: &'static str,
) -> Result<Vec<u8>, LoadError> {
    let err = |p| LoadError::new(path, "file", p);
    let file = std::fs::File::open(path).map_err(|e| err(Problem::Io(e)))?;
    let size = file.metadata().map_err(|e| err(Problem::Io(e)))?.len();
    let over = |value| Problem::OverLimit {
        what: "file size in bytes",
        value,
        limit,
        field,
    };
    if size > limit {
        return Err(err(over(size)));
    }
    // The metadata size only sizes the first allocation; `take` is what bounds the read
    // (a file that grows while read, or a FIFO, reports another size).
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| err(Problem::Io(e)))?;
    if bytes.len() as u64 > limit {
        return Err(err(over(bytes.len() as u64)));
    }
    Ok(bytes)
}

/// Finds the JSON and binary chunk in the bytes of the model file `path`.
pub(crate) fn split_container(
    path: &Path,
    bytes: Vec<u8>,
    limits: &LoadLimits,
) -> Result<Container, LoadError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        let problem = Problem::OverLimit {
            what: "file size in bytes",
            value: bytes.len() as u64,
            limit: limits.max_file_bytes,
            field: "max_file_bytes",
        };
        return Err(LoadError::new(path, "file", problem));
    }
    if bytes.is_empty() {
        return Err(LoadError::new(
            path,
            "file",
            Problem::Json("the file is empty".into()),
        ));
    }
    if bytes.starts_with(GLB_MAGIC) {
        let (json, bin) = split_glb(&bytes)
            .map_err(|(place, msg)| LoadError::new(path, place, Problem::Glb(msg)))?;
        return Ok(Container { bytes, json, bin });
    }
    let json = 0..bytes.len();
    Ok(Container {
        bytes,
        json,
        bin: None,
    })
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

type GlbError = (String, String);

/// Splits a GLB file into its JSON and BIN chunk ranges.
///
/// Every length is compared with the bytes really present before it is used, so a
/// header claiming 4 GiB on a 52-byte file is an error here (the `gltf` crate
/// preallocates what the header claims).
pub(crate) fn split_glb(bytes: &[u8]) -> Result<(Range<usize>, Option<Range<usize>>), GlbError> {
    let e = |place: &str, msg: String| (place.to_string(), msg);
    if bytes.len() < HEADER_LEN {
        return Err(e(
            "GLB header",
            format!("the file has {} bytes, a GLB header needs 12", bytes.len()),
        ));
    }
    let version = u32_at(bytes, 4).unwrap_or(0);
    if version != 2 {
        return Err(e(
            "GLB header",
            format!("container version {version}, only version 2 (glTF 2.0) is supported"),
        ));
    }
    let declared = u32_at(bytes, 8).unwrap_or(0) as usize;
    if declared != bytes.len() {
        return Err(e(
            "GLB header",
            format!(
                "header says the file is {declared} bytes long, it is {} bytes",
                bytes.len()
            ),
        ));
    }
    let mut at = HEADER_LEN;
    let mut json = None;
    let mut bin = None;
    let mut index = 0usize;
    while at < bytes.len() {
        let place = format!("GLB chunk {index} (at byte {at})");
        let (Some(length), Some(kind)) = (u32_at(bytes, at), u32_at(bytes, at + 4)) else {
            return Err(e(
                &place,
                "the chunk header is cut short by the end of the file".into(),
            ));
        };
        let start = at + CHUNK_HEADER_LEN;
        let end = start
            .checked_add(length as usize)
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| {
                e(
                    &place,
                    format!(
                        "chunk length {length} runs past the end of the file ({} bytes left)",
                        bytes.len().saturating_sub(start)
                    ),
                )
            })?;
        match (index, kind) {
            (0, CHUNK_JSON) => json = Some(start..end),
            (0, _) => {
                return Err(e(
                    &place,
                    format!("the first chunk must be JSON, found type 0x{kind:08X}"),
                ));
            }
            (_, CHUNK_JSON) => return Err(e(&place, "a second JSON chunk".into())),
            (1, CHUNK_BIN) => bin = Some(start..end),
            (_, CHUNK_BIN) => {
                return Err(e(&place, "a second BIN chunk (only one is allowed)".into()));
            }
            // The spec says unknown chunk types are skipped.
            _ => {}
        }
        at = end;
        index += 1;
    }
    let json = json.ok_or_else(|| e("GLB header", "there is no JSON chunk".into()))?;
    Ok((json, bin))
}

/// Fails when arrays and objects in `json` nest deeper than `limit`.
///
/// Runs over the raw text before any parser recurses into it, so a 100,000-deep file
/// costs one linear scan, never a deep stack.
pub(crate) fn check_json_depth(json: &[u8], limit: u32) -> Result<(), (usize, String)> {
    let mut depth = 0u32;
    let mut in_string = false;
    let mut escaped = false;
    for (at, &b) in json.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Err((
                        at,
                        format!(
                            "arrays and objects nest deeper than {limit} levels (raise `max_json_depth` in the load limits if the file is trusted)"
                        ),
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Line and column (both from 1) of byte `at` in `text`, as serde_json reports them.
pub(crate) fn line_column(text: &[u8], at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glb(declared_total: Option<u32>, chunks: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(GLB_MAGIC);
        out.extend_from_slice(&2u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        for (len, kind, data) in chunks {
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(&kind.to_le_bytes());
            out.extend_from_slice(data);
        }
        let total = declared_total.unwrap_or(out.len() as u32);
        out[8..12].copy_from_slice(&total.to_le_bytes());
        out
    }

    #[test]
    fn a_well_formed_glb_splits_into_json_and_bin() {
        let bytes = glb(
            None,
            &[(4, CHUNK_JSON, b"{}  "), (4, CHUNK_BIN, &[1, 2, 3, 4])],
        );
        let (json, bin) = split_glb(&bytes).expect("valid");
        assert_eq!(&bytes[json], b"{}  ");
        assert_eq!(&bytes[bin.expect("bin")], &[1, 2, 3, 4]);
    }

    #[test]
    fn lying_lengths_are_errors_before_any_allocation() {
        let header = glb(Some(u32::MAX), &[(4, CHUNK_JSON, b"{}  ")]);
        let (place, msg) = split_glb(&header).expect_err("header length lies");
        assert_eq!(place, "GLB header");
        assert!(msg.contains("4294967295"), "{msg}");
        let chunk = glb(None, &[(0xFFFF_FFF0, CHUNK_JSON, b"{}  ")]);
        let (place, msg) = split_glb(&chunk).expect_err("chunk length lies");
        assert!(place.starts_with("GLB chunk 0"), "{place}");
        assert!(msg.contains("runs past the end"), "{msg}");
    }

    #[test]
    fn chunk_order_and_duplicates_are_checked() {
        let bin_first = glb(None, &[(4, CHUNK_BIN, &[0; 4])]);
        assert!(
            split_glb(&bin_first)
                .expect_err("bin first")
                .1
                .contains("first chunk must be JSON")
        );
        let two_bins = glb(
            None,
            &[
                (4, CHUNK_JSON, b"{}  "),
                (4, CHUNK_BIN, &[0; 4]),
                (4, CHUNK_BIN, &[0; 4]),
            ],
        );
        assert!(
            split_glb(&two_bins)
                .expect_err("two bins")
                .1
                .contains("second BIN")
        );
        let truncated = &glb(None, &[(4, CHUNK_JSON, b"{}  ")])[..16];
        let mut truncated = truncated.to_vec();
        truncated[8..12].copy_from_slice(&16u32.to_le_bytes());
        assert!(
            split_glb(&truncated)
                .expect_err("cut")
                .1
                .contains("cut short")
        );
    }

    #[test]
    fn nesting_is_bounded_without_recursion_and_strings_do_not_count() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let (at, _) = check_json_depth(deep.as_bytes(), 64).expect_err("too deep");
        assert_eq!(at, 64);
        assert!(check_json_depth(br#"{"a": "[[[[[[[[\"[[[[", "b": [[1]]}"#, 3).is_ok());
    }

    #[test]
    fn serde_json_recursion_limit_holds_for_a_100k_deep_file() {
        // The backstop behind `check_json_depth`: serde_json refuses depth > 128 with an
        // error, not a stack overflow, even when handed the whole 100k-deep text.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let err = serde_json::from_str::<serde_json::Value>(&deep).expect_err("limit");
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }

    #[test]
    fn line_and_column_count_from_one() {
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column(b"ab", 0), (1, 1));
    }
}
