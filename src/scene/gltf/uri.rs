//! Resolving the URIs a glTF file names: `data:` URIs decoded in memory, relative paths
//! only inside the asset's own folder. Nothing absolute, no `..`, no `file://`, no network.

use super::error::{Problem, shorten};
use super::source::AssetSource;
use base64::Engine as _;
use std::path::{Component, Path, PathBuf};

/// The bytes a URI names, and the media type a `data:` URI declares.
pub(crate) struct Resource {
    pub(crate) bytes: Vec<u8>,
    pub(crate) mime_type: Option<String>,
}

fn refused(uri: &str, reason: &'static str) -> Problem {
    Problem::UriRefused {
        uri: shorten(uri),
        reason,
    }
}

/// Reads what `uri` names from `source`, at most `limit` bytes.
pub(crate) fn load(source: &dyn AssetSource, uri: &str, limit: u64) -> Result<Resource, Problem> {
    if let Some(rest) = uri.strip_prefix("data:") {
        return decode_data_uri(uri, rest, limit);
    }
    let relative = relative_path(uri)?;
    let bytes = source.read(&relative, limit).map_err(|p| match p {
        Problem::UriRefused { reason, .. } => refused(uri, reason),
        other => other,
    })?;
    Ok(Resource {
        bytes,
        mime_type: None,
    })
}

/// The plain relative path a URI names, or why it is refused: no scheme, nothing
/// absolute, no `..`.
pub(crate) fn relative_path(uri: &str) -> Result<PathBuf, Problem> {
    if uri.is_empty() {
        return Err(refused(uri, "it is empty"));
    }
    let decoded = percent_decode(uri).ok_or_else(|| refused(uri, "bad %-escape or not UTF-8"))?;
    // A scheme (`http:`, `file:`, or a Windows drive `C:`) sits before the first `/`;
    // RFC 3986 relative references cannot contain `:` there.
    let first_segment = uri.split(['/', '?', '#']).next().unwrap_or("");
    if first_segment.contains(':') {
        return Err(refused(
            uri,
            "only relative paths inside the asset's folder and data: URIs are loaded (no network, no file://)",
        ));
    }
    let relative = Path::new(&decoded);
    if decoded.starts_with(['/', '\\']) || relative.is_absolute() {
        return Err(refused(uri, "absolute paths are not loaded"));
    }
    for part in decoded.split(['/', '\\']) {
        if part == ".." {
            return Err(refused(uri, "`..` would leave the asset's folder"));
        }
    }
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return Err(refused(uri, "only plain relative paths are loaded"));
    }
    Ok(relative.to_path_buf())
}

fn percent_decode(uri: &str) -> Option<String> {
    let bytes = uri.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn decode_data_uri(uri: &str, rest: &str, limit: u64) -> Result<Resource, Problem> {
    let (header, payload) = rest
        .split_once(',')
        .ok_or_else(|| refused(uri, "a data: URI needs a comma before its payload"))?;
    let Some(media) = header.strip_suffix(";base64") else {
        return Err(refused(uri, "glTF data: URIs must be base64-encoded"));
    };
    // RFC 2397: `type/subtype` then `;name=value` parameters, none of them empty.
    let mut parts = media.split(';');
    let mime = parts.next().unwrap_or("");
    if (!mime.is_empty() && !mime.contains('/')) || parts.any(|p| !p.contains('=')) {
        return Err(refused(uri, "malformed media type in the data: URI"));
    }
    // Decoded size is at most 3/4 of the text: check it before the decoder allocates.
    let decoded_max = (payload.len() as u64).div_ceil(4) * 3;
    if decoded_max > limit {
        return Err(Problem::OverLimit {
            what: "decoded data: URI size in bytes",
            value: decoded_max,
            limit,
            field: "max_resource_bytes",
        });
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = engine
        .decode(payload)
        .map_err(|e| Problem::Invalid(format!("data: URI is not valid base64: {e}")))?;
    Ok(Resource {
        bytes,
        mime_type: (!mime.is_empty()).then(|| mime.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::gltf::source::{FolderSource, MemorySource};

    fn refusal(uri: &str) -> String {
        match relative_path(uri) {
            Err(Problem::UriRefused { reason, .. }) => reason.to_string(),
            other => panic!(
                "{uri}: expected a refusal, got {:?}",
                other.map(|p| p.display().to_string())
            ),
        }
    }

    #[test]
    fn escaping_absolute_and_remote_uris_are_refused() {
        assert!(refusal("../../../../etc/passwd").contains(".."));
        assert!(refusal("textures/../../x.png").contains(".."));
        assert!(refusal("%2e%2e/secret.bin").contains(".."));
        assert!(refusal("/etc/passwd").contains("absolute"));
        assert!(refusal("file:///etc/passwd").contains("no file://"));
        assert!(refusal("http://example.com/a.bin").contains("no network"));
        assert!(refusal(":").contains("no network"));
        assert!(refusal("").contains("empty"));
    }

    #[test]
    fn a_relative_file_inside_the_folder_resolves() {
        let dir = std::env::temp_dir().join(format!("roomwave-uri-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("tex")).expect("temp dir");
        std::fs::write(dir.join("tex/a b.bin"), [1u8, 2, 3]).expect("write");
        let source = FolderSource::new(&dir);
        let resource = load(&source, "tex/a%20b.bin", 16).expect("loads");
        assert_eq!(resource.bytes, [1, 2, 3]);
        assert!(matches!(
            load(&source, "tex/a%20b.bin", 2),
            Err(Problem::OverLimit { .. })
        ));
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn data_uris_decode_and_bad_ones_are_errors() {
        let r = load(
            &MemorySource::default(),
            "data:application/octet-stream;base64,AQID",
            16,
        )
        .expect("ok");
        assert_eq!(r.bytes, [1, 2, 3]);
        assert_eq!(r.mime_type.as_deref(), Some("application/octet-stream"));
        assert!(matches!(
            load(&MemorySource::default(), "data:;base64,@@@@", 16),
            Err(Problem::Invalid(_))
        ));
        let odd = load(
            &MemorySource::default(),
            "data:application/octet-stream;;base64,AA==",
            16,
        );
        assert!(matches!(odd, Err(Problem::UriRefused { .. })));
        assert!(matches!(
            load(&MemorySource::default(), "data:;base64,AAAAAAAA", 4),
            Err(Problem::OverLimit { .. })
        ));
    }
}
