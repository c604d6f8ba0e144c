//! Renders the bare room and a decorated one offscreen, with the Vulkan
//! validation layer on, and compares both eyes with reference pictures by a
//! perceptual tolerance. `UPDATE_REFERENCE=1` rewrites the references.

use std::path::PathBuf;

use ash::vk;
use glam::Vec3;
use roomwave::catalog::{CatalogLimits, LoadedCatalog, load_default_catalog};
use roomwave::render::{EyeView, Fov, Gpu, GpuOptions, render_offscreen};
use roomwave::scene::{House, Scene, build_scene, default_room};

/// The embedded catalog, every model loaded and every scene built.
fn catalog() -> LoadedCatalog {
    load_default_catalog(&CatalogLimits::default()).expect("the default catalog loads")
}

/// The bare house (`None`) or option `i` of the embedded catalog.
fn scene_of(catalog: &LoadedCatalog, option: Option<usize>) -> Scene {
    option.map_or_else(
        || catalog.bare.clone(),
        |i| catalog.options[i].scene.clone(),
    )
}

/// 160 x 160 per eye: lavapipe on 2 shared cores renders and reads this back
/// in well under a second with validation on, while the window, door,
/// furniture and lamp glow stay several pixels large.
const SIZE: u32 = 160;

/// CIE76 colour difference above which a pixel counts as different: 2.3 is
/// one just-noticeable difference; 5 is plainly visible side by side, yet
/// above float rounding between drivers (the shader's patterns use integer
/// hashes, so they do not depend on a GPU's `sin` precision).
const PIXEL_DELTA_E: f32 = 5.0;

/// Share of pixels allowed to differ by more than [`PIXEL_DELTA_E`]: 1.5 %
/// (about 380 of 25 600) absorbs rasterisation differences on silhouette
/// edges and thin seams across drivers, but a moved or missing object, a
/// wrong light or a wrong material changes far more pixels than that.
const MAX_DIFFERING_SHARE: f64 = 0.015;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/reference")
}

fn views() -> [EyeView; 2] {
    EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), 0.0, 0.063, Fov::symmetric(90.0))
}

fn srgb_to_lab(p: &image::Rgba<u8>) -> [f32; 3] {
    let lin = |c: u8| {
        let c = c as f32 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(p[0]), lin(p[1]), lin(p[2]));
    // sRGB (D65) to XYZ, normalised by the D65 white point.
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f32| {
        if t > 216.0 / 24389.0 {
            t.cbrt()
        } else {
            (24389.0 / 27.0 * t + 16.0) / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// Share of pixels whose CIE76 difference exceeds [`PIXEL_DELTA_E`].
fn differing_share(a: &image::RgbaImage, b: &image::RgbaImage) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions(), "image sizes differ");
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| {
            let (l1, l2) = (srgb_to_lab(p), srgb_to_lab(q));
            let d = (0..3).map(|i| (l1[i] - l2[i]).powi(2)).sum::<f32>().sqrt();
            d > PIXEL_DELTA_E
        })
        .count();
    differing as f64 / (a.width() * a.height()) as f64
}

/// Like [`differing_share`], comparing `right(x)` with `left(x + shift)`
/// where both exist.
fn shifted_share(left: &image::RgbaImage, right: &image::RgbaImage, shift: u32) -> f64 {
    let (w, h) = left.dimensions();
    let mut differing = 0usize;
    for y in 0..h {
        for x in 0..w - shift {
            let (l1, l2) = (
                srgb_to_lab(left.get_pixel(x + shift, y)),
                srgb_to_lab(right.get_pixel(x, y)),
            );
            let d = (0..3).map(|i| (l1[i] - l2[i]).powi(2)).sum::<f32>().sqrt();
            differing += usize::from(d > PIXEL_DELTA_E);
        }
    }
    differing as f64 / ((w - shift) * h) as f64
}

fn check_against_reference(name: &str, image: &image::RgbaImage) {
    let path = reference_dir().join(format!("{name}.png"));
    if std::env::var_os("UPDATE_REFERENCE").is_some() {
        std::fs::create_dir_all(reference_dir()).expect("create tests/reference");
        image.save(&path).expect("write reference");
        eprintln!("updated {}", path.display());
        return;
    }
    let reference = image::open(&path)
        .unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with UPDATE_REFERENCE=1 to create it)",
                path.display()
            )
        })
        .to_rgba8();
    let share = differing_share(image, &reference);
    if share > MAX_DIFFERING_SHARE {
        let failed = std::env::temp_dir().join(format!("roomwave-{name}-actual.png"));
        let _ = image.save(&failed);
        panic!(
            "{name}: {:.2} % of pixels differ from {} by more than ΔE {PIXEL_DELTA_E} \
             (allowed {:.2} %); this render is in {}",
            share * 100.0,
            path.display(),
            MAX_DIFFERING_SHARE * 100.0,
            failed.display()
        );
    }
}

fn render(gpu: &Gpu, option: Option<usize>) -> [image::RgbaImage; 2] {
    let scene = scene_of(&catalog(), option);
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let images = render_offscreen(gpu, &scene, &views(), extent).expect("offscreen render");
    // The room is closed, so the clear colour (exactly black) shows nowhere:
    // a driver that loses triangles in one view (lavapipe 22.3's multiview,
    // see `Gpu::per_eye_passes`) left 9 % of the right eye black. Lit
    // surfaces are never exactly 0, even black steel; 0.1 % allows a few
    // pixels of cracks between meshes.
    for (eye, image) in ["left", "right"].iter().zip(&images) {
        let holes = image
            .pixels()
            .filter(|p| p[0] == 0 && p[1] == 0 && p[2] == 0)
            .count();
        assert!(
            holes * 1000 <= (SIZE * SIZE) as usize,
            "{eye} eye of option {option:?} has {holes} unrendered (clear colour) pixels"
        );
    }
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    images
}

#[test]
fn bare_room_and_first_option_match_references_in_stereo() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let [bare_left, bare_right] = render(&gpu, None);
    let [deco_left, deco_right] = render(&gpu, Some(0));

    check_against_reference("bare_left", &bare_left);
    check_against_reference("bare_right", &bare_right);
    check_against_reference("option1_left", &deco_left);
    check_against_reference("option1_right", &deco_right);

    // The eyes are 63 mm apart, so the right eye sees the room shifted left:
    // at the far wall (2 m, focal length 80 px) by 80 * 0.063 / 2 = 2.5 px.
    // The best horizontal match must be at such a shift, not at zero.
    let stereo = differing_share(&deco_left, &deco_right);
    assert!(stereo > 0.01, "left and right eyes look the same");
    let best = (0..=8)
        .min_by(|&a, &b| {
            shifted_share(&deco_left, &deco_right, a).total_cmp(&shifted_share(
                &deco_left,
                &deco_right,
                b,
            ))
        })
        .unwrap_or(0);
    assert!(
        (2..=4).contains(&best),
        "right eye best matches the left shifted by {best} px"
    );
    // The option's furniture, finishes and lamps change about a quarter of
    // this view (24 % measured); an option drawn as the bare room changes none.
    let decorated = differing_share(&bare_left, &deco_left);
    assert!(
        decorated > 0.12,
        "decorating changed only {:.1} % of the picture",
        decorated * 100.0
    );
    assert!(gpu.validation_messages().is_empty());
}

#[test]
fn every_option_renders_cleanly_and_differently() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let pictures: Vec<_> = (0..catalog().options.len())
        .map(|i| render(&gpu, Some(i))[0].clone())
        .collect();
    for (i, a) in pictures.iter().enumerate() {
        // Not black, not blown out: mean luminance in a living-room range.
        let mean = a.pixels().map(|p| srgb_to_lab(p)[0] as f64).sum::<f64>() / (SIZE * SIZE) as f64;
        assert!(
            (25.0..90.0).contains(&mean),
            "option {} has mean lightness {mean:.1}",
            i + 1
        );
        for (j, b) in pictures.iter().enumerate().skip(i + 1) {
            let share = differing_share(a, b);
            assert!(
                share > 0.2,
                "options {} and {} look alike ({:.1} % differ)",
                i + 1,
                j + 1,
                share * 100.0
            );
        }
    }
}

fn roomwave(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_roomwave"));
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run roomwave")
}

#[test]
fn render_command_writes_both_eyes_and_explains_failures() {
    let out = std::env::temp_dir().join(format!("roomwave-render-cli-{}", std::process::id()));
    let out_str = out.to_str().expect("UTF-8 temp dir");
    let ok = roomwave(
        &[
            "render",
            "--option",
            "2",
            "--size",
            "64x48",
            "--at",
            "0.5,0.5",
            "--yaw",
            "-30",
            "--validation",
            "--out",
            out_str,
        ],
        &[],
    );
    assert!(
        ok.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for eye in ["left.png", "right.png"] {
        let image = image::open(out.join(eye)).expect("eye image written");
        assert_eq!((image.width(), image.height()), (64, 48));
    }
    let _ = std::fs::remove_dir_all(&out);

    // No Vulkan driver: exit 2 and say how to install one.
    let missing = roomwave(
        &["render", "--bare", "--size", "16x16", "--out", out_str],
        &[
            ("VK_DRIVER_FILES", "/nonexistent/icd.json"),
            ("VK_ICD_FILENAMES", "/nonexistent/icd.json"),
        ],
    );
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("apt-get install mesa-vulkan-drivers"),
        "{stderr}"
    );

    // Usage errors name the argument and the valid range.
    let bad = roomwave(&["render", "--option", "99", "--out", out_str], &[]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("--option 99 does not exist: choose 1 to"),
        "{stderr}"
    );
    let outside = roomwave(&["render", "--bare", "--at", "9,0", "--out", out_str], &[]);
    let stderr = String::from_utf8_lossy(&outside.stderr);
    assert_eq!(outside.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not inside a room"), "{stderr}");
}

/// The headset path: several targets, two frames in flight, scenes switched
/// and released, targets replaced; validation (with synchronization
/// validation) must stay silent and the last frame must match a one-shot render.
#[test]
fn frames_in_flight_switching_scenes_stay_valid() {
    use roomwave::render::{
        OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget, StereoRenderer,
    };
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let extent = vk::Extent2D {
        width: 96,
        height: 80,
    };
    let catalog = catalog();
    let bare = scene_of(&catalog, None);
    let first = scene_of(&catalog, Some(0));
    let second = scene_of(&catalog, Some(1));
    let mut targets: Vec<OffscreenTarget> = (0..3)
        .map(|_| OffscreenTarget::new(&gpu, extent).expect("target"))
        .collect();
    let mut renderer =
        StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    let images: Vec<_> = targets.iter().map(|t| t.image()).collect();
    renderer.set_targets(&gpu, &images, None).expect("targets");
    let ids = [bare, first, second].map(|s| renderer.upload_scene(&gpu, &s).expect("upload"));
    for frame in 0..12 {
        let yaw = frame as f32 * 3.0;
        let views =
            EyeView::stereo_pair(Vec3::new(0.0, 1.6, 0.0), yaw, 0.063, Fov::symmetric(90.0));
        renderer
            .render(&gpu, frame % 3, &views, ids[frame / 4])
            .expect("frame");
    }
    renderer
        .remove_scene(&gpu, ids[0])
        .expect("release the bare room");
    let err = renderer
        .render(&gpu, 0, &views(), ids[0])
        .expect_err("a released scene is refused");
    assert!(err.to_string().contains("not uploaded"), "{err}");
    let err = renderer
        .render(&gpu, 7, &views(), ids[1])
        .expect_err("no such target");
    assert!(err.to_string().contains("target image 7"), "{err}");
    // Replace the targets with the first one only and draw the second option.
    renderer
        .set_targets(&gpu, &images[..1], None)
        .expect("retarget");
    renderer.render(&gpu, 0, &views(), ids[2]).expect("frame");
    let [left, _] = targets[0].read_back(&gpu, &renderer).expect("read back");
    renderer.wait_idle(&gpu);
    drop(renderer);
    targets.truncate(0);
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    let [expected, _] = render_offscreen(&gpu, &scene_of(&catalog, Some(1)), &views(), extent)
        .expect("one-shot render");
    assert!(
        differing_share(&left, &expected) < 0.001,
        "the frame loop drew something else"
    );
}

#[test]
fn renderer_rejects_bad_requests_with_clear_errors() {
    use roomwave::render::{
        OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget, StereoRenderer,
    };
    use roomwave::scene::Draw;
    let gpu = Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device");
    let zero = vk::Extent2D {
        width: 0,
        height: 8,
    };
    let err = StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, zero)
        .err()
        .expect("zero-sized targets are refused");
    assert!(err.to_string().contains("zero side"), "{err}");
    let huge = vk::Extent2D {
        width: 100_000,
        height: 8,
    };
    let err = OffscreenTarget::new(&gpu, huge)
        .err()
        .expect("oversized target refused");
    assert!(err.to_string().contains("outside 1..="), "{err}");

    let extent = vk::Extent2D {
        width: 16,
        height: 16,
    };
    let target = OffscreenTarget::new(&gpu, extent).expect("target");
    let mut renderer =
        StereoRenderer::new(&gpu, OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, extent)
            .expect("renderer");
    let err = renderer
        .set_targets(&gpu, &[target.image()], Some(&[]))
        .expect_err("depth count must match");
    assert!(
        err.to_string()
            .contains("1 colour images but 0 depth images"),
        "{err}"
    );

    let mut scene = build_scene(&House::single_room(default_room()), None);
    scene.indices.push(u32::MAX);
    scene.indices.extend([0, 0]);
    let err = renderer
        .upload_scene(&gpu, &scene)
        .expect_err("index past the vertices");
    assert!(err.to_string().contains("past the last of"), "{err}");
    let mut scene = build_scene(&House::single_room(default_room()), None);
    scene.draws.push(Draw {
        first_index: 0,
        index_count: 3,
        material: 999,
    });
    let err = renderer
        .upload_scene(&gpu, &scene)
        .expect_err("unknown material");
    assert!(err.to_string().contains("material 999"), "{err}");
    let mut scene = build_scene(&House::single_room(default_room()), None);
    scene.vertices.clear();
    let err = renderer
        .upload_scene(&gpu, &scene)
        .expect_err("empty scene");
    assert!(err.to_string().contains("no geometry"), "{err}");
    drop(renderer);
    drop(target);
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
}

mod materials {
    //! A wall of test panels in front of the viewer: a textured, normal-mapped
    //! panel, an alpha-masked lattice, and two half-transparent panels over an
    //! opaque one (glTF BLEND, sorted back to front).

    use super::*;
    use glam::Mat4;
    use roomwave::scene::gltf::{
        Attributes, ColorSpace, Mesh, MeshInstance, MipLevel, Model, PbrMaterial, Primitive,
        Sampler, Texture, TextureImage, TextureRef, mip_chain,
    };
    use roomwave::scene::{AlphaMode, Finishes, LightingPreset, Scene, SceneBuilder};

    /// Panels stand in the plane z = -1.2, 1.2 m ahead of the eyes.
    pub const PANEL_Z: f32 = -1.2;

    fn image(space: ColorSpace, side: u32, texel: impl Fn(u32, u32) -> [u8; 4]) -> TextureImage {
        let mut rgba = Vec::new();
        for y in 0..side {
            for x in 0..side {
                rgba.extend_from_slice(&texel(x, y));
            }
        }
        let base = MipLevel {
            width: side,
            height: side,
            rgba,
        };
        TextureImage {
            name: None,
            color_space: space,
            levels: mip_chain(base, space),
            placeholder: false,
        }
    }

    fn texture_ref(texture: usize) -> Option<TextureRef> {
        Some(TextureRef {
            texture,
            tex_coord: 0,
            transform: Default::default(),
        })
    }

    /// A unit quad in the model's xy plane facing +z, UVs with v down (glTF).
    fn quad(material: usize) -> Primitive {
        Primitive {
            attributes: Attributes {
                positions: vec![
                    [0.0, 0.0, 0.0],
                    [1.0, 0.0, 0.0],
                    [1.0, 1.0, 0.0],
                    [0.0, 1.0, 0.0],
                ],
                normals: vec![[0.0, 0.0, 1.0]; 4],
                tangents: vec![[1.0, 0.0, 0.0, 1.0]; 4],
                tex_coords0: vec![[0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]],
                ..Default::default()
            },
            indices: vec![0, 1, 2, 0, 2, 3],
            material: Some(material),
            variant_materials: Vec::new(),
        }
    }

    fn dielectric(color: [f32; 4], roughness: f32) -> PbrMaterial {
        PbrMaterial {
            base_color_factor: color,
            metallic_factor: 0.0,
            roughness_factor: roughness,
            ..PbrMaterial::default()
        }
    }

    /// Where each panel sits: (material, lower-left corner x, y, z, size).
    pub const PANELS: [(usize, f32, f32, f32, f32); 6] = [
        // Textured and normal-mapped, upper left.
        (0, -1.05, 1.7, PANEL_Z, 0.9),
        // Masked lattice, upper right.
        (1, 0.15, 1.7, PANEL_Z, 0.9),
        // Opaque blue backing, lower left, behind the blended panels.
        (2, -1.05, 0.6, PANEL_Z - 0.1, 0.9),
        // Red at 50 %, nearest (and its centre nearest the eyes).
        (3, -0.8, 0.7, PANEL_Z + 0.05, 0.5),
        // Green at 50 %, between red and blue, under red's left half.
        (4, -1.05, 0.7, PANEL_Z - 0.05, 0.5),
        // Plain opaque grey, lower right: no texture, a reference for the BRDF.
        (5, 0.15, 0.6, PANEL_Z, 0.9),
    ];

    /// The test model; `normal_map` false leaves the first panel flat.
    pub fn model(normal_map: bool) -> Model {
        // 64 px brick-like checker in sRGB.
        let checker = image(ColorSpace::Srgb, 64, |x, y| {
            if (x / 16 + y / 16) % 2 == 0 {
                [200, 120, 80, 255]
            } else {
                [235, 225, 200, 255]
            }
        });
        // Ridges along u: normals tilt left and right in 8 px stripes.
        let ridges = image(ColorSpace::Linear, 64, |x, _| {
            if (x / 8) % 2 == 0 {
                [38, 128, 218, 255]
            } else {
                [218, 128, 218, 255]
            }
        });
        // A lattice: 4 x 4 cells whose centres are cut out (alpha 0).
        let lattice = image(ColorSpace::Srgb, 64, |x, y| {
            let (cx, cy) = (x % 16, y % 16);
            let hole = (4..12).contains(&cx) && (4..12).contains(&cy);
            [60, 170, 70, if hole { 0 } else { 255 }]
        });
        let mut textured = dielectric([1.0; 4], 0.6);
        textured.base_color_texture = texture_ref(0);
        if normal_map {
            textured.normal_texture = texture_ref(1);
        }
        let mut masked = dielectric([1.0; 4], 0.8);
        masked.base_color_texture = texture_ref(2);
        masked.alpha_mode = AlphaMode::Mask { cutoff: 0.5 };
        masked.double_sided = true;
        let mut red = dielectric([0.9, 0.02, 0.02, 0.5], 0.5);
        red.alpha_mode = AlphaMode::Blend;
        let mut green = dielectric([0.02, 0.9, 0.02, 0.5], 0.5);
        green.alpha_mode = AlphaMode::Blend;
        let sampler = Sampler::default();
        Model {
            meshes: (0..6)
                .map(|m| Mesh {
                    name: None,
                    primitives: vec![quad(m)],
                })
                .collect(),
            materials: vec![
                textured,
                masked,
                dielectric([0.02, 0.05, 0.8, 1.0], 0.7),
                red,
                green,
                dielectric([0.5, 0.5, 0.5, 1.0], 0.5),
            ],
            textures: (0..3).map(|image| Texture { image, sampler }).collect(),
            images: vec![checker, ridges, lattice],
            instances: PANELS
                .iter()
                .enumerate()
                .map(|(i, &(_, x, y, z, size))| MeshInstance {
                    mesh: i,
                    transform: Mat4::from_translation(Vec3::new(x, y, z))
                        * Mat4::from_scale(Vec3::splat(size)),
                    node: i,
                })
                .collect(),
            ..Default::default()
        }
    }

    /// A dark 0.8 m panel tilted 25 degrees in the panel plane, in front of
    /// the pale wall: long slanted silhouette edges, where aliasing shows.
    pub fn tilted_panel() -> Model {
        Model {
            meshes: vec![Mesh {
                name: None,
                primitives: vec![quad(0)],
            }],
            materials: vec![dielectric([0.01, 0.01, 0.012, 1.0], 0.9)],
            instances: vec![MeshInstance {
                mesh: 0,
                transform: Mat4::from_translation(Vec3::new(0.0, 1.6, PANEL_Z))
                    * Mat4::from_rotation_z(25f32.to_radians())
                    * Mat4::from_scale(Vec3::splat(0.8))
                    * Mat4::from_translation(Vec3::new(-0.5, -0.5, 0.0)),
                node: 0,
            }],
            ..Default::default()
        }
    }

    /// A level 0.5 m plate centred at `centre`, drawn from both sides.
    pub fn plate(centre: Vec3) -> Model {
        let mut material = dielectric([0.6, 0.6, 0.6, 1.0], 0.8);
        material.double_sided = true;
        Model {
            meshes: vec![Mesh {
                name: None,
                primitives: vec![quad(0)],
            }],
            materials: vec![material],
            instances: vec![MeshInstance {
                mesh: 0,
                transform: Mat4::from_translation(centre)
                    * Mat4::from_rotation_x(-std::f32::consts::FRAC_PI_2)
                    * Mat4::from_scale(Vec3::splat(0.5))
                    * Mat4::from_translation(Vec3::new(-0.5, -0.5, 0.0)),
                node: 0,
            }],
            ..Default::default()
        }
    }

    /// A level 0.8 m grille centred at `centre`, drawn from both sides: 2 x 2
    /// cells, each a frame around a square hole half the cell wide, cut out
    /// by an alpha mask (alpha 0 in the holes, cutoff 0.5).
    pub fn grille(centre: Vec3) -> Model {
        let texture = image(ColorSpace::Srgb, 64, |x, y| {
            let hole = (8..24).contains(&(x % 32)) && (8..24).contains(&(y % 32));
            [90, 90, 95, if hole { 0 } else { 255 }]
        });
        let mut material = dielectric([1.0; 4], 0.8);
        material.base_color_texture = texture_ref(0);
        material.alpha_mode = AlphaMode::Mask { cutoff: 0.5 };
        material.double_sided = true;
        let mut model = plate_of(centre, 0.8, material);
        model.textures = vec![Texture {
            image: 0,
            sampler: Sampler::default(),
        }];
        model.images = vec![texture];
        model
    }

    /// A level 0.5 m plate centred at `centre` of a blended material with
    /// alpha `alpha`, drawn from both sides.
    pub fn glass(centre: Vec3, alpha: f32) -> Model {
        let mut material = dielectric([0.6, 0.7, 0.8, alpha], 0.2);
        material.alpha_mode = AlphaMode::Blend;
        material.double_sided = true;
        plate_of(centre, 0.5, material)
    }

    /// A level square of `material`, `size` m wide, centred at `centre`.
    fn plate_of(centre: Vec3, size: f32, material: PbrMaterial) -> Model {
        Model {
            meshes: vec![Mesh {
                name: None,
                primitives: vec![quad(0)],
            }],
            materials: vec![material],
            instances: vec![MeshInstance {
                mesh: 0,
                transform: Mat4::from_translation(centre)
                    * Mat4::from_rotation_x(-std::f32::consts::FRAC_PI_2)
                    * Mat4::from_scale(Vec3::splat(size))
                    * Mat4::from_translation(Vec3::new(-0.5, -0.5, 0.0)),
                node: 0,
            }],
            ..Default::default()
        }
    }

    /// The bare room with `model` placed, or without any model.
    pub fn scene(model: Option<&Model>) -> Scene {
        let house = House::single_room(default_room());
        let mut builder = SceneBuilder::new();
        builder.add_house_shell(&house, &Finishes::bare());
        if let Some(model) = model {
            builder
                .add_model(model, Mat4::IDENTITY, None)
                .expect("the panels have geometry");
        }
        let mut lighting = LightingPreset::daylight();
        lighting.aperture = house.sun_aperture();
        builder.finish(lighting, house, Vec::new())
    }
}

/// The pixel of `eye` where room-space point `p` lands, at `SIZE` x `SIZE`.
fn pixel_of(eye: &EyeView, p: Vec3) -> (u32, u32) {
    let c = eye.view_projection() * p.extend(1.0);
    let (x, y) = (c.x / c.w, c.y / c.w);
    let to_px = |t: f32| (((t + 1.0) * 0.5 * SIZE as f32) as u32).min(SIZE - 1);
    (to_px(x), to_px(y))
}

fn delta_e(a: &image::Rgba<u8>, b: &image::Rgba<u8>) -> f32 {
    let (l1, l2) = (srgb_to_lab(a), srgb_to_lab(b));
    (0..3).map(|i| (l1[i] - l2[i]).powi(2)).sum::<f32>().sqrt()
}

#[test]
fn textures_normal_maps_alpha_mask_and_sorted_blend() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let eyes = views();
    let draw = |scene: &roomwave::scene::Scene| {
        render_offscreen(&gpu, scene, &eyes, extent).expect("offscreen render")
    };
    let full = draw(&materials::scene(Some(&materials::model(true))));
    let flat = draw(&materials::scene(Some(&materials::model(false))))[0].clone();
    let empty = draw(&materials::scene(None))[0].clone();
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    check_against_reference("materials_left", &full[0]);
    check_against_reference("materials_right", &full[1]);
    let left = &full[0];
    let at = |x: f32, y: f32, z: f32| pixel_of(&eyes[0], Vec3::new(x, y, z));
    let z = materials::PANEL_Z;

    // The normal map changes the shading of most of its panel's pixels; the
    // checker texture shows as two distinct colours on it.
    let (x0, y0) = at(-1.0, 2.55, z);
    let (x1, y1) = at(-0.2, 1.75, z);
    let (mut changed, mut total) = (0, 0);
    for y in y0..y1 {
        for x in x0..x1 {
            total += 1;
            changed += usize::from(delta_e(left.get_pixel(x, y), flat.get_pixel(x, y)) > 3.0);
        }
    }
    assert!(total > 100, "the panel covers {total} px");
    assert!(
        changed * 3 > total,
        "the normal map changed {changed} of {total} px"
    );
    // Cells of the checker (one eighth of 0.9 m wide each) alternate terracotta and cream.
    let cell = 0.9 / 4.0;
    let (tx, ty) = at(-1.05 + cell * 0.5, 2.6 - cell * 0.5, z);
    let (cx, cy) = at(-1.05 + cell * 1.5, 2.6 - cell * 0.5, z);
    let (terracotta, cream) = (flat.get_pixel(tx, ty), flat.get_pixel(cx, cy));
    assert!(
        terracotta[0] > terracotta[2] + 40 && delta_e(terracotta, cream) > 15.0,
        "checker cells {terracotta:?} and {cream:?}"
    );

    // Mask: a hole in the lattice shows the wall behind it as if the panel
    // were not there; the lattice's bars are green.
    let hole = at(0.15 + cell * 0.5, 2.6 - cell * 0.5, z);
    let bar = at(0.15 + cell * 0.05, 2.6 - cell * 0.5, z);
    let (hole_px, wall_px) = (
        left.get_pixel(hole.0, hole.1),
        empty.get_pixel(hole.0, hole.1),
    );
    assert!(
        delta_e(hole_px, wall_px) < 4.0,
        "a hole shows {hole_px:?}, the wall is {wall_px:?}"
    );
    let bar_px = left.get_pixel(bar.0, bar.1);
    assert!(
        bar_px[1] > bar_px[0] + 30 && bar_px[1] > bar_px[2] + 30,
        "a lattice bar is {bar_px:?}"
    );

    // Blend: red alone over blue is purple (both show); where green lies
    // between red and blue, red was drawn last (nearest) so red outweighs green.
    let red_only = at(-0.4, 0.95, z + 0.05);
    let both = at(-0.68, 0.95, z + 0.05);
    let p = left.get_pixel(red_only.0, red_only.1);
    assert!(
        p[0] > 60 && p[2] > 40 && p[1] < p[0].min(p[2]),
        "red over blue is {p:?}"
    );
    let q = left.get_pixel(both.0, both.1);
    assert!(
        q[0] > q[1] + 20,
        "red in front of green should dominate: {q:?}"
    );
}

/// 4x MSAA against 1x on the same device, single-pass multiview with both
/// views equal (so lavapipe 22.3's multiview bug, which mixes the views up,
/// cannot change the left image): the panel's slanted edges get pixels of
/// partial coverage, between the panel's and the wall's lightness.
#[test]
fn msaa_smooths_silhouette_edges() {
    use roomwave::render::{
        OFFSCREEN_COLOR_FORMAT, OFFSCREEN_DEPTH_FORMAT, OffscreenTarget, StereoRenderer,
    };
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    gpu.override_per_eye_passes(false);
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let eye = views()[0];
    let scene = materials::scene(Some(&materials::tilted_panel()));
    let draw = |samples: u32| {
        let mut target = OffscreenTarget::new(&gpu, extent).expect("target");
        let mut renderer = StereoRenderer::with_samples(
            &gpu,
            OFFSCREEN_COLOR_FORMAT,
            OFFSCREEN_DEPTH_FORMAT,
            extent,
            samples,
        )
        .expect("renderer");
        renderer
            .set_targets(&gpu, &[target.image()], None)
            .expect("targets");
        let id = renderer.upload_scene(&gpu, &scene).expect("upload");
        renderer.render(&gpu, 0, &[eye, eye], id).expect("frame");
        let [left, _] = target.read_back(&gpu, &renderer).expect("read back");
        renderer.wait_idle(&gpu);
        (left, renderer.sample_count().as_raw())
    };
    let (aliased, one) = draw(1);
    let (smooth, four) = draw(4);
    assert_eq!(
        (one, four),
        (1, 4),
        "this device offers 4x MSAA with resolves"
    );
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    check_against_reference("msaa_left", &smooth);
    // Within the panel's bounds (its corners reach 0.53 m from its centre,
    // 1.2 m ahead), nearly every pixel 4x changes takes a lightness between
    // the extremes of its 1x neighbourhood (an edge, blended), and many lie
    // on the panel's outline (a neighbourhood with the dark panel, lightness
    // about 3, and the pale wall or window, above 40).
    let (lo, hi) = (
        pixel_of(&eye, Vec3::new(-0.56, 2.16, materials::PANEL_Z)),
        pixel_of(&eye, Vec3::new(0.56, 1.04, materials::PANEL_Z)),
    );
    let lightness =
        |image: &image::RgbaImage, x: u32, y: u32| srgb_to_lab(image.get_pixel(x, y))[0];
    let (mut changed, mut blended, mut silhouette) = (0, 0, 0);
    for y in lo.1..hi.1 {
        for x in lo.0..hi.0 {
            // Changes of lightness only: 4x also shows the window sill's 2 cm
            // underside, sub-pixel at 1x, which the irradiance probe lights
            // with the floor's warm colour at the wall's lightness, a change
            // of hue that a lightness test cannot place between neighbours.
            if (lightness(&aliased, x, y) - lightness(&smooth, x, y)).abs() <= 3.0 {
                continue;
            }
            changed += 1;
            let around = (y - 1..=y + 1).flat_map(|v| (x - 1..=x + 1).map(move |u| (u, v)));
            let (min, max) = around.fold((f32::MAX, f32::MIN), |(a, b), (u, v)| {
                let l = lightness(&aliased, u, v);
                (a.min(l), b.max(l))
            });
            let l = lightness(&smooth, x, y);
            let between = l > min + 1.0 && l < max - 1.0;
            blended += usize::from(between);
            silhouette += usize::from(between && min < 10.0 && max > 40.0);
        }
    }
    eprintln!("4x changed {changed} px: {blended} blended, {silhouette} on the outline");
    // The outline is about 4 x 60 px long, and the window frame's edges lie
    // within the bounds too: with 4 samples their pixels are partly covered.
    assert!(
        silhouette > 120 && blended * 10 >= changed * 9,
        "4x changed {changed} px: {blended} between their neighbours, {silhouette} on the panel's outline"
    );
    // Away from the edges the pictures agree: MSAA changes edges, not shading.
    assert!(differing_share(&aliased, &smooth) < 0.1);
}

/// Where the sun's ray through the lower left window pane meets the floor,
/// the point half-way along it, the sun's direction, and a view looking down
/// at the floor point from 1.6 m up, 1.5 m further into the room.
struct Sunbeam {
    towards: Vec3,
    floor_spot: Vec3,
    half_way: Vec3,
    view: EyeView,
}

fn sunbeam() -> Sunbeam {
    use glam::Quat;
    use roomwave::scene::LightingPreset;
    let towards = LightingPreset::daylight()
        .sun
        .expect("daylight has a sun")
        .towards
        .normalize();
    let window = House::single_room(default_room())
        .sun_aperture()
        .expect("the room has a window");
    let size = window.max - window.min;
    let pane = window.min + size * glam::Vec2::new(0.25, 0.35);
    let through = Vec3::new(pane.x, pane.y, window.plane_z);
    let to_floor = through.y / towards.y;
    let floor_spot = through - towards * to_floor;
    let eye = Vec3::new(floor_spot.x, 1.6, floor_spot.z + 1.5);
    let dir = (floor_spot - eye).normalize();
    let orientation =
        Quat::from_rotation_y((-dir.x).atan2(-dir.z)) * Quat::from_rotation_x(dir.y.asin());
    Sunbeam {
        towards,
        floor_spot,
        half_way: through - towards * (to_floor * 0.5),
        view: EyeView {
            position: eye,
            orientation,
            fov: Fov::symmetric(90.0),
        },
    }
}

/// Cut-out shadows: an alpha-masked grille in the sunbeam casts a shadow
/// with its holes lit (the mask, not the quad, casts); a blended pane casts
/// a shadow at alpha 0.7 and none at 0.3 (the 0.5 threshold).
#[test]
fn cut_outs_cast_shadows_with_holes_and_blended_panes_by_alpha() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    let beam = sunbeam();
    let view = beam.view;
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let draw = |scene: &roomwave::scene::Scene| {
        render_offscreen(&gpu, scene, &[view, view], extent).expect("offscreen render")[0].clone()
    };
    let grille = draw(&materials::scene(Some(&materials::grille(beam.half_way))));
    let dense = draw(&materials::scene(Some(&materials::glass(
        beam.half_way,
        0.7,
    ))));
    let faint = draw(&materials::scene(Some(&materials::glass(
        beam.half_way,
        0.3,
    ))));
    let open = draw(&materials::scene(None));
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    check_against_reference("cutout_shadow_left", &grille);
    let lightness = |image: &image::RgbaImage, p: Vec3| {
        let (x, y) = pixel_of(&view, p);
        srgb_to_lab(image.get_pixel(x, y))[0]
    };
    // A point of the level grille (plate coordinates u, v in 0..1 along x
    // and -z) and where its shadow falls on the floor.
    let on_floor = |u: f32, v: f32| {
        let p = beam.half_way + Vec3::new((u - 0.5) * 0.8, 0.0, -(v - 0.5) * 0.8);
        p - beam.towards * (p.y / beam.towards.y)
    };
    for (u, v) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
        let hole = on_floor(u, v);
        let (lit, here) = (lightness(&open, hole), lightness(&grille, hole));
        assert!(
            (lit - here).abs() < 5.0,
            "the sun through the grille's hole at ({u}, {v}): lightness {here:.1}, {lit:.1} without it"
        );
    }
    for (u, v) in [(0.5, 0.25), (0.25, 0.5), (0.5, 0.5), (0.05, 0.75)] {
        let bar = on_floor(u, v);
        let (lit, here) = (lightness(&open, bar), lightness(&grille, bar));
        assert!(
            here < lit - 15.0,
            "the grille's bar at ({u}, {v}): lightness {here:.1}, {lit:.1} without it"
        );
    }
    let spot = beam.floor_spot;
    let lit = lightness(&open, spot);
    let (d, f) = (lightness(&dense, spot), lightness(&faint, spot));
    assert!(
        d < lit - 15.0,
        "under the 70 % pane: {d:.1}, {lit:.1} without it"
    );
    assert!(
        (f - lit).abs() < 5.0,
        "under the 30 % pane: {f:.1}, {lit:.1} without it"
    );
}

/// The sun's shadow map: a plate hung in the sunbeam from the window darkens
/// the floor where its shadow falls, and leaves the rest of the sunlit patch.
#[test]
fn a_plate_in_the_sunbeam_casts_a_shadow_on_the_floor() {
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    // Hang the plate half-way along the sun's ray through a pane, so its
    // shadow falls around the ray's floor point.
    let Sunbeam {
        towards,
        floor_spot,
        half_way: plate_at,
        view,
    } = sunbeam();
    // A sunlit floor point beside the shadow (0.6 m across the ray).
    let beside = floor_spot + towards.cross(Vec3::Y).normalize() * 0.6;
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let draw = |scene: &roomwave::scene::Scene| {
        render_offscreen(&gpu, scene, &[view, view], extent).expect("offscreen render")[0].clone()
    };
    let shaded = draw(&materials::scene(Some(&materials::plate(plate_at))));
    let open = draw(&materials::scene(None));
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    check_against_reference("shadow_left", &shaded);
    let lightness = |image: &image::RgbaImage, p: Vec3| {
        let (x, y) = pixel_of(&view, p);
        srgb_to_lab(image.get_pixel(x, y))[0]
    };
    let (lit, dark) = (lightness(&open, floor_spot), lightness(&shaded, floor_spot));
    assert!(
        dark < lit - 15.0,
        "the floor under the plate: lightness {dark:.1} with it, {lit:.1} without"
    );
    let (a, b) = (lightness(&open, beside), lightness(&shaded, beside));
    assert!(
        (a - b).abs() < 3.0 && a > dark + 15.0,
        "sunlit floor beside the shadow: {b:.1} with the plate, {a:.1} without"
    );
}

/// A closed room (no window, no door) with a saturated floor and white walls
/// and ceiling, lit by its hemisphere ambient alone (no sun, no lamps), and a
/// white box hung at eye height: what lights the box is the probe.
mod ibl {
    use super::*;
    use glam::Mat4;
    use roomwave::scene::gltf::{Attributes, Mesh, MeshInstance, Model, PbrMaterial, Primitive};
    use roomwave::scene::{Finishes, LightingPreset, Material, Pattern, SceneBuilder};

    /// The box's corners.
    pub const BOX_MIN: Vec3 = Vec3::new(-0.35, 1.3, -1.0);
    pub const BOX_MAX: Vec3 = Vec3::new(0.35, 1.8, -0.4);

    /// An axis-aligned white box from `min` to `max`, faces outward.
    fn white_box(min: Vec3, max: Vec3) -> Model {
        let mut a = Attributes::default();
        let mut indices = Vec::new();
        for axis in 0..3 {
            for side in [-1.0f32, 1.0] {
                let mut n = Vec3::ZERO;
                n[axis] = side;
                // Two directions across the face, ordered so (u x v) = n.
                let (u, v) = (
                    Vec3::from_array(std::array::from_fn(|i| {
                        f32::from(u8::from(i == (axis + 1) % 3))
                    })),
                    Vec3::from_array(std::array::from_fn(|i| {
                        f32::from(u8::from(i == (axis + 2) % 3))
                    })),
                );
                let (u, v) = if side > 0.0 { (u, v) } else { (v, u) };
                let centre = (min + max) * 0.5 + n * (max - min) * 0.5;
                let half = (max - min) * 0.5;
                let base = a.positions.len() as u32;
                for (su, sv) in [(-1.0, -1.0), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)] {
                    let p = centre + u * half * su + v * half * sv;
                    a.positions.push(p.to_array());
                    a.normals.push(n.to_array());
                }
                indices.extend([base, base + 1, base + 2, base, base + 2, base + 3]);
            }
        }
        Model {
            meshes: vec![Mesh {
                name: None,
                primitives: vec![Primitive {
                    attributes: a,
                    indices,
                    material: Some(0),
                    variant_materials: Vec::new(),
                }],
            }],
            materials: vec![PbrMaterial {
                base_color_factor: [0.8, 0.8, 0.8, 1.0],
                metallic_factor: 0.0,
                roughness_factor: 0.9,
                ..PbrMaterial::default()
            }],
            instances: vec![MeshInstance {
                mesh: 0,
                transform: Mat4::IDENTITY,
                node: 0,
            }],
            ..Default::default()
        }
    }

    /// The room with a floor of `floor` (sRGB hex) and the box.
    pub fn scene(floor: u32) -> roomwave::scene::Scene {
        let mut house = House::single_room(default_room());
        house.openings.clear();
        let finishes = Finishes {
            floor: Material::srgb(floor, 0.8).with_pattern(Pattern::Plain),
            walls: Material::srgb(0xF0F0F0, 0.9),
            ceiling: Material::srgb(0xF0F0F0, 0.9),
            ..Finishes::bare()
        };
        let mut builder = SceneBuilder::new();
        builder.add_house_shell(&house, &finishes);
        builder
            .add_model(&white_box(BOX_MIN, BOX_MAX), Mat4::IDENTITY, None)
            .expect("the box has geometry");
        let lighting = LightingPreset {
            sky_ambient: Vec3::splat(0.5),
            ground_ambient: Vec3::splat(0.5),
            sun: None,
            points: Vec::new(),
            spots: Vec::new(),
            exposure: 1.0,
            aperture: None,
        };
        builder.finish(lighting, house, Vec::new())
    }
}

/// Image-based ambient light: under a grey, direction-less ambient, the
/// underside of a white box over a red floor is red (the probe sees the
/// floor below), its top is not, and over a grey floor the underside is
/// grey. The hemisphere ambient this replaced lit both faces grey.
#[test]
fn a_white_box_over_a_red_floor_takes_the_floors_colour_underneath() {
    use glam::Quat;
    let gpu =
        Gpu::offscreen(&GpuOptions { validation: true }).expect("a Vulkan device with validation");
    // Low in the room, looking up at the box: its underside and front show.
    let eye = Vec3::new(0.0, 0.8, 0.5);
    let target = (ibl::BOX_MIN + ibl::BOX_MAX) * 0.5;
    let dir = (target - eye).normalize();
    let view = EyeView {
        position: eye,
        orientation: Quat::from_rotation_y((-dir.x).atan2(-dir.z))
            * Quat::from_rotation_x(dir.y.asin()),
        fov: Fov::symmetric(90.0),
    };
    let extent = vk::Extent2D {
        width: SIZE,
        height: SIZE,
    };
    let draw = |scene: &roomwave::scene::Scene| {
        render_offscreen(&gpu, scene, &[view, view], extent).expect("offscreen render")[0].clone()
    };
    let red = draw(&ibl::scene(0xC01818));
    let grey = draw(&ibl::scene(0x808080));
    let messages = gpu.validation_messages();
    assert!(
        messages.is_empty(),
        "validation layer reported:\n{}",
        messages.join("\n")
    );
    check_against_reference("ibl_left", &red);
    let (lo, hi) = (ibl::BOX_MIN, ibl::BOX_MAX);
    // The middle of the underside, and of the front face's upper part.
    let under = Vec3::new(0.0, lo.y, (lo.z + hi.z) * 0.5);
    let front = Vec3::new(0.0, hi.y - 0.1, hi.z);
    let at = |image: &image::RgbaImage, p: Vec3| {
        let (x, y) = pixel_of(&view, p);
        *image.get_pixel(x, y)
    };
    let (u, f, g) = (at(&red, under), at(&red, front), at(&grey, under));
    assert!(
        u[0] as i32 > u[1] as i32 + 25 && u[0] as i32 > u[2] as i32 + 25,
        "underside over the red floor is {u:?}"
    );
    assert!(
        (g[0] as i32 - g[1] as i32).abs() < 8,
        "underside over the grey floor is {g:?}"
    );
    // The front faces the white wall behind the eye; it is far less red.
    let redness = |p: image::Rgba<u8>| p[0] as f32 / (p[1] as f32).max(1.0);
    assert!(
        redness(f) < redness(u) * 0.8,
        "front {f:?} is about as red as the underside {u:?}"
    );
}
