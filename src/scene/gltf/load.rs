//! The loading pipeline: file, JSON, extensions, validation, buffers, hierarchy,
//! meshes, materials and textures, each step bounded before it allocates.

use super::accessor::{AccessorReader, Buffers};
use super::container::{Container, check_json_depth, line_column, read_capped, split_container};
use super::error::{LoadError, Place, Problem, guard, shorten};
use super::limits::LoadLimits;
use super::material::{self, Materials};
use super::model::{Bounds, ColorSpace, MipLevel, Model, TextureImage};
use super::nodes;
use super::primitive::MeshContext;
use super::raw::{IMPLEMENTED_EXTENSIONS, RawRoot};
use super::skin;
use super::source::{AssetSource, FolderSource};
use super::texture::{decode_rgba8, mip_chain, placeholder};
use super::uri;
use ::gltf::json;
use glam::Vec3;
use std::borrow::Cow;
use std::path::Path;

/// Loads a `.gltf` (with its `.bin` and images beside it, or `data:` URIs) or a `.glb`.
///
/// Everything the file asks for is checked against `limits` before it is allocated;
/// URIs resolve only inside the file's folder. Broken images give a warning and a
/// placeholder; everything else that is wrong gives a [`LoadError`].
pub fn load_model(path: &Path, limits: &LoadLimits) -> Result<Model, LoadError> {
    let bytes = read_capped(path, limits.max_file_bytes, "max_file_bytes")?;
    let asset_dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    load_model_from_bytes(path, bytes, &FolderSource::new(asset_dir), limits)
}

/// Loads a model from the bytes of its `.gltf` or `.glb`; its URIs are read from
/// `source`. `path` names the model in errors and log lines. This is [`load_model`]
/// without the file system, for fuzzing and for models that arrive in memory.
pub fn load_model_from_bytes(
    path: &Path,
    bytes: Vec<u8>,
    source: &dyn AssetSource,
    limits: &LoadLimits,
) -> Result<Model, LoadError> {
    // The steps below guard the dependency calls known to panic; this outer guard is
    // for the ones not yet known, so a station reports the file instead of dying.
    guard("loading the model", || {
        load_unguarded(path, bytes, source, limits)
    })
    .map_err(|p| LoadError::new(path, "file", p))?
}

fn load_unguarded(
    path: &Path,
    bytes: Vec<u8>,
    source: &dyn AssetSource,
    limits: &LoadLimits,
) -> Result<Model, LoadError> {
    let at = |place: Place, problem| LoadError::new(path, place, problem);
    let container = split_container(path, bytes, limits)?;
    let mut warnings = Vec::new();
    let (root, raw) = parse_json(path, &container, limits, &mut warnings)?;
    check_version(&root).map_err(|p| at(Place::root("asset.version"), p))?;
    raw.check_required().map_err(|(place, p)| at(place, p))?;
    let doc = validate(root).map_err(|(place, p)| LoadError::new(path, place, p))?;
    let fallbacks = raw.fallback_extensions();
    if !fallbacks.is_empty() {
        let line = format!(
            "drawn with core metallic-roughness materials, without {}",
            fallbacks.join(", ")
        );
        tracing::info!(file = %path.display(), "{line}");
        warnings.push(line);
    }
    let buffers =
        load_buffers(&doc, &container, source, limits).map_err(|(place, p)| at(place, p))?;
    let root = doc.as_json();
    let placed = nodes::flatten(root, limits).map_err(|p| at(Place::root("nodes"), p))?;
    let textures = guard("reading textures", || material::textures(&doc))
        .map_err(|p| at(Place::root("textures"), p))?;
    let Materials {
        materials,
        image_space,
        warnings: material_warnings,
    } = guard("reading materials", || {
        material::materials(&doc, &raw, &textures, root.images.len())
    })
    .map_err(|p| at(Place::root("materials"), p))?
    .map_err(|(place, p)| at(place, p))?;
    warnings.extend(material_warnings);
    let variants = raw.variants().map_err(|(place, p)| at(place, p))?;
    let reader = AccessorReader {
        root,
        buffers: &buffers,
        limits,
    };
    reader
        .check_all()
        .map_err(|(place, p)| LoadError::new(path, place, p))?;
    let normal_map_set: Vec<Option<u32>> = materials
        .iter()
        .map(|m| m.normal_texture.map(|t| t.tex_coord))
        .collect();
    let mut meshes = Vec::with_capacity(root.meshes.len());
    let mut ctx = MeshContext {
        reader: &reader,
        normal_map_set: &normal_map_set,
        total_vertices: 0,
        warnings: Vec::new(),
    };
    for (i, mesh) in root.meshes.iter().enumerate() {
        let mut built = ctx.build_mesh(i, mesh).map_err(|(place, p)| at(place, p))?;
        for (p, primitive) in built.primitives.iter_mut().enumerate() {
            if let Some(m) = primitive.material.filter(|&m| m >= materials.len()) {
                let place = Place::root("meshes")
                    .index(i)
                    .field("primitives")
                    .index(p)
                    .field("material");
                return Err(at(
                    place,
                    Problem::OutOfBounds(format!("material {m} does not exist")),
                ));
            }
            primitive.variant_materials = raw
                .mappings(i, p, variants.len(), materials.len())
                .map_err(|(place, p)| at(place, p))?;
        }
        meshes.push(built);
    }
    warnings.append(&mut ctx.warnings);
    let mut total_vertices = ctx.total_vertices;
    let mut placed = placed;
    skin::pose_skinned_instances(
        &reader,
        &placed.world,
        &mut placed.instances,
        &placed.skins,
        &mut meshes,
        &mut total_vertices,
    )
    .map_err(|(place, p)| at(place, p))?;
    let images = load_images(&doc, &buffers, source, &image_space, limits, &mut warnings)
        .map_err(|(place, p)| at(place, p))?;
    let mut model = Model {
        meshes,
        materials,
        textures,
        images,
        instances: placed.instances,
        lights: placed.lights,
        variants,
        bounds: None,
        warnings,
    };
    model.bounds = world_bounds(&model);
    for w in &model.warnings {
        tracing::debug!(file = %path.display(), "{w}");
    }
    Ok(model)
}

fn parse_json(
    path: &Path,
    container: &Container,
    limits: &LoadLimits,
    warnings: &mut Vec<String>,
) -> Result<(json::Root, RawRoot), LoadError> {
    let mut text = container.json();
    const BOM: &[u8] = b"\xEF\xBB\xBF";
    if let Some(rest) = text.strip_prefix(BOM) {
        // The spec forbids a byte order mark; dropping it loses nothing.
        warnings.push(
            "the JSON starts with a UTF-8 byte order mark, which glTF forbids (ignored)".into(),
        );
        text = rest;
    }
    check_json_depth(text, limits.max_json_depth).map_err(|(at, msg)| {
        let (line, column) = line_column(text, at);
        LoadError::new(
            path,
            format!("JSON line {line} column {column}"),
            Problem::Json(msg),
        )
    })?;
    let json_err = |e: serde_json::Error| {
        let place = if e.line() > 0 {
            format!("JSON line {} column {}", e.line(), e.column())
        } else {
            "JSON".into()
        };
        LoadError::new(path, place, Problem::Json(strip_position(&e.to_string())))
    };
    let root: json::Root = guard("parsing the JSON", || serde_json::from_slice(text))
        .map_err(|p| LoadError::new(path, "JSON", p))?
        .map_err(json_err)?;
    let raw: RawRoot = serde_json::from_slice(text).map_err(json_err)?;
    Ok((root, raw))
}

/// serde_json appends " at line L column C"; the place already says it.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn check_version(root: &json::Root) -> Result<(), Problem> {
    let major = |v: &str| v.split('.').next().and_then(|m| m.parse::<u32>().ok());
    let version = &root.asset.version;
    if major(version) != Some(2) {
        return Err(Problem::Invalid(format!(
            "glTF version {:?}; only glTF 2.x files load",
            shorten(version)
        )));
    }
    if let Some(min) = &root.asset.min_version
        && min.as_str() > "2.0"
    {
        return Err(Problem::Invalid(format!(
            "needs at least glTF {:?}; roomwave reads 2.0",
            shorten(min)
        )));
    }
    Ok(())
}

/// Checks the accessor references the crate's validation indexes without checking
/// (`gltf-json` 1.4.1 `primitive_validate_hook` panics on a POSITION index out of range).
fn check_attribute_references(root: &json::Root) -> Result<(), (Place, Problem)> {
    let count = root.accessors.len();
    for (m, mesh) in root.meshes.iter().enumerate() {
        for (p, primitive) in mesh.primitives.iter().enumerate() {
            let place = Place::root("meshes").index(m).field("primitives").index(p);
            let targets = primitive
                .targets
                .iter()
                .flatten()
                .flat_map(|t| [t.positions, t.normals, t.tangents].into_iter().flatten());
            let attributes = primitive.attributes.values().copied();
            for index in attributes.chain(primitive.indices).chain(targets) {
                if index.value() >= count {
                    return Err((
                        place,
                        Problem::OutOfBounds(format!(
                            "names accessor {}, there are {count} accessors",
                            index.value()
                        )),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Runs the `gltf` crate's validation (references in range, required fields, enums).
fn validate(mut root: json::Root) -> Result<::gltf::Document, (Place, Problem)> {
    check_attribute_references(&root)?;
    // Our own check already accepted every required extension; the crate would reject
    // those it does not model (KHR_materials_variants, the fallback material ones).
    root.extensions_required.retain(|e| {
        !IMPLEMENTED_EXTENSIONS.contains(&e.as_str()) && !e.starts_with("KHR_materials_")
    });
    let result = guard("validating the document", || {
        ::gltf::Document::from_json(root)
    })
    .map_err(|p| (Place::root("document"), p))?;
    match result {
        Ok(doc) => Ok(doc),
        Err(::gltf::Error::Validation(errors)) => {
            let Some((path, first)) = errors.first() else {
                return Err((
                    Place::root("document"),
                    Problem::Invalid("failed validation".into()),
                ));
            };
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more problems)", n - 1),
            };
            Err((
                Place::root(&path.to_string()),
                Problem::Invalid(format!("{first}{more}")),
            ))
        }
        Err(other) => Err((Place::root("document"), Problem::Invalid(other.to_string()))),
    }
}

fn load_buffers<'a>(
    doc: &::gltf::Document,
    container: &'a Container,
    source: &dyn AssetSource,
    limits: &LoadLimits,
) -> Result<Buffers<'a>, (Place, Problem)> {
    let mut data = Vec::with_capacity(doc.buffers().len());
    let mut total = 0u64;
    for buffer in doc.buffers() {
        let place = Place::root("buffers").index(buffer.index());
        let length = buffer.length() as u64;
        total = total.saturating_add(length);
        if total > limits.max_total_buffer_bytes {
            return Err((
                place.field("byteLength"),
                Problem::OverLimit {
                    what: "total buffer size in bytes",
                    value: total,
                    limit: limits.max_total_buffer_bytes,
                    field: "max_total_buffer_bytes",
                },
            ));
        }
        let bytes: Cow<'a, [u8]> = match buffer.source() {
            ::gltf::buffer::Source::Bin => {
                let range = container
                    .bin
                    .clone()
                    .filter(|_| buffer.index() == 0)
                    .ok_or_else(|| {
                        (
                            place.clone(),
                            Problem::Invalid(
                                "has no uri, but there is no GLB binary chunk for it".into(),
                            ),
                        )
                    })?;
                Cow::Borrowed(&container.bytes[range])
            }
            ::gltf::buffer::Source::Uri(u) => Cow::Owned(
                uri::load(source, u, limits.max_resource_bytes)
                    .map_err(|p| (place.field("uri"), p))?
                    .bytes,
            ),
        };
        if (bytes.len() as u64) < length {
            return Err((
                place.field("byteLength"),
                Problem::OutOfBounds(format!(
                    "byteLength is {length}, but the data has {} bytes",
                    bytes.len()
                )),
            ));
        }
        data.push(match bytes {
            Cow::Borrowed(b) => Cow::Borrowed(&b[..length as usize]),
            Cow::Owned(mut b) => {
                b.truncate(length as usize);
                Cow::Owned(b)
            }
        });
    }
    Ok(Buffers { data })
}

fn load_images(
    doc: &::gltf::Document,
    buffers: &Buffers<'_>,
    source: &dyn AssetSource,
    image_space: &[ColorSpace],
    limits: &LoadLimits,
    warnings: &mut Vec<String>,
) -> Result<Vec<TextureImage>, (Place, Problem)> {
    let mut images = Vec::with_capacity(doc.images().len());
    let mut budget = limits.max_total_texture_bytes;
    for image in doc.images() {
        let i = image.index();
        let place = Place::root("images").index(i);
        let space = image_space.get(i).copied().unwrap_or(ColorSpace::Linear);
        let name = image.name().map(str::to_string);
        // Read from the JSON, not `Image::source()`: that unwraps a missing mimeType
        // or a missing uri and panics on such a file.
        let json = &doc.as_json().images[i];
        let mime_type = json.mime_type.as_ref().map(|m| m.0.clone());
        let encoded: Result<(Cow<[u8]>, Option<String>), Problem> =
            match (json.buffer_view, json.uri.as_deref()) {
                (Some(view), _) => image_view_bytes(doc, buffers, view.value())
                    .map(|b| (Cow::Borrowed(b), mime_type)),
                (None, Some(u)) => uri::load(source, u, limits.max_resource_bytes)
                    .map(|r| (Cow::Owned(r.bytes), r.mime_type.or(mime_type))),
                (None, None) => Err(Problem::Invalid("has neither uri nor bufferView".into())),
            };
        let decoded = encoded
            .map_err(|p| p.to_string())
            .and_then(|(bytes, mime)| {
                guard("decoding an image", || {
                    decode_rgba8(
                        &bytes,
                        mime.as_deref(),
                        limits.max_texture_dimension,
                        budget,
                    )
                })
                .map_err(|p| p.to_string())?
            });
        match decoded {
            Ok((width, height, rgba)) => {
                let levels = mip_chain(
                    MipLevel {
                        width,
                        height,
                        rgba,
                    },
                    space,
                );
                let bytes: u64 = levels.iter().map(|l| l.rgba.len() as u64).sum();
                budget = budget.saturating_sub(bytes);
                images.push(TextureImage {
                    name,
                    color_space: space,
                    levels,
                    placeholder: false,
                });
            }
            Err(why) => {
                // The manifest's rule for broken textures: warn and draw a placeholder, so
                // one bad picture does not lose the whole piece of furniture.
                let line = format!("{place}: image not loaded, placeholder used: {why}");
                tracing::warn!("{line}");
                warnings.push(line);
                images.push(placeholder(name, space));
            }
        }
    }
    Ok(images)
}

/// The bytes of an image stored in a buffer view (GLB textures), checked against its buffer.
fn image_view_bytes<'a>(
    doc: &::gltf::Document,
    buffers: &'a Buffers<'_>,
    view: usize,
) -> Result<&'a [u8], Problem> {
    let v = doc
        .views()
        .nth(view)
        .ok_or_else(|| Problem::OutOfBounds(format!("bufferViews[{view}] does not exist")))?;
    let buffer = buffers.data.get(v.buffer().index()).ok_or_else(|| {
        Problem::OutOfBounds(format!("buffers[{}] does not exist", v.buffer().index()))
    })?;
    let start = v.offset();
    start
        .checked_add(v.length())
        .and_then(|end| buffer.get(start..end))
        .ok_or_else(|| {
            Problem::OutOfBounds(format!(
                "bufferViews[{view}] runs past the end of its buffer"
            ))
        })
}

fn world_bounds(model: &Model) -> Option<Bounds> {
    let mut min = Vec3::splat(f32::INFINITY);
    let mut max = Vec3::splat(f32::NEG_INFINITY);
    for instance in &model.instances {
        let Some(mesh) = model.meshes.get(instance.mesh) else {
            continue;
        };
        for p in &mesh.primitives {
            for &position in &p.attributes.positions {
                let v = instance.transform.transform_point3(Vec3::from(position));
                min = min.min(v);
                max = max.max(v);
            }
        }
    }
    (min.x <= max.x).then_some(Bounds { min, max })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::gltf::source::MemorySource;

    fn triangle(uri: &str) -> Vec<u8> {
        format!(
            r#"{{"asset": {{"version": "2.0"}}, "nodes": [{{"mesh": 0, "translation": [0, 2, 0]}}],
            "meshes": [{{"primitives": [{{"attributes": {{"POSITION": 0}}}}]}}],
            "buffers": [{{"uri": "{uri}", "byteLength": 36}}],
            "bufferViews": [{{"buffer": 0, "byteLength": 36}}],
            "accessors": [{{"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
                "min": [0, 0, 0], "max": [1, 1, 0]}}]}}"#
        )
        .into_bytes()
    }

    #[test]
    fn a_model_loads_from_memory_with_its_uris_served_from_memory() {
        let mut source = MemorySource::default();
        let positions: Vec<u8> = [0.0f32, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
            .iter()
            .flat_map(|f| f.to_le_bytes())
            .collect();
        source.files.insert("data/mesh.bin".into(), positions);
        let limits = LoadLimits::default();
        let name = Path::new("memory.gltf");
        let model = load_model_from_bytes(name, triangle("data/mesh.bin"), &source, &limits)
            .expect("loads");
        let primitive = &model.meshes[0].primitives[0];
        assert_eq!(primitive.indices, [0, 1, 2], "non-indexed becomes indexed");
        assert_eq!(
            primitive.attributes.normals,
            [[0.0, 0.0, 1.0]; 3],
            "flat normals"
        );
        let bounds = model.bounds.expect("drawn");
        assert_eq!(
            (bounds.min.y, bounds.max.y),
            (2.0, 3.0),
            "node translation applied"
        );

        let err = load_model_from_bytes(name, triangle("../mesh.bin"), &source, &limits)
            .expect_err("escapes");
        assert_eq!(err.place, "buffers[0].uri");
        let err = load_model_from_bytes(name, triangle("missing.bin"), &source, &limits)
            .expect_err("missing");
        assert!(err.to_string().contains("missing.bin"), "{err}");
    }
}
