//! Compiles `shaders/*.wgsl` to SPIR-V with naga, so a fresh machine needs no
//! system shader compiler (see STACK.md: naga's WGSL front end knows
//! `@builtin(view_index)`, its GLSL one does not know `gl_ViewIndex`).

use std::path::{Path, PathBuf};

fn main() {
    if let Err(message) = compile_all() {
        // A build script reports failure through its exit status; the message
        // names the shader file and naga's located diagnostic.
        eprintln!("{message}");
        std::process::exit(1);
    }
}

fn compile_all() -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let shader_dir = Path::new("shaders");
    println!("cargo:rerun-if-changed={}", shader_dir.display());
    let entries = std::fs::read_dir(shader_dir)
        .map_err(|e| format!("{}: cannot list shaders: {e}", shader_dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("{}: {e}", shader_dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("wgsl") {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        let words = compile(&path)?;
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: file name is not UTF-8", path.display()))?;
        let out = out_dir.join(format!("{stem}.spv"));
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        std::fs::write(&out, bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(())
}

fn compile(path: &Path) -> Result<Vec<u32>, String> {
    use naga::back::spv;
    use naga::valid::{Capabilities, ValidationFlags, Validator};

    let source = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let name = path.display().to_string();
    let module = naga::front::wgsl::parse_str(&source).map_err(|e| {
        format!(
            "{name}: WGSL error:\n{}",
            e.emit_to_string_with_path(&source, &name)
        )
    })?;
    // MULTIVIEW for `@builtin(view_index)`, IMMEDIATES for the per-draw
    // material block (Vulkan push constants).
    let info = Validator::new(
        ValidationFlags::all(),
        Capabilities::MULTIVIEW | Capabilities::IMMEDIATES,
    )
    .validate(&module)
    .map_err(|e| {
        format!(
            "{name}: invalid shader:\n{}",
            e.emit_to_string_with_path(&source, &name)
        )
    })?;
    // SPIR-V 1.3 is the first with the MultiView capability in core and is
    // what Vulkan 1.1 accepts. ADJUST_COORDINATE_SPACE is off because it
    // flips Y, and the projection already targets Vulkan's Y-down clip space.
    let mut flags = spv::WriterFlags::LABEL_VARYINGS;
    if std::env::var("PROFILE").as_deref() == Ok("debug") {
        flags |= spv::WriterFlags::DEBUG;
    }
    let options = spv::Options {
        lang_version: (1, 3),
        flags,
        // With no binding map, naga writes `@group`/`@binding` as the Vulkan
        // descriptor set and binding, which is the layout the renderer builds.
        fake_missing_bindings: true,
        ..spv::Options::default()
    };
    spv::write_vec(&module, &info, &options, None)
        .map_err(|e| format!("{name}: SPIR-V generation failed: {e}"))
}
