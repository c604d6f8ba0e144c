// Lit room shading, both eyes in one pass (multiview: `view_index` picks the eye).
// glTF metallic-roughness with the Khronos reference BRDF (glTF 2.0 spec,
// appendix B: GGX distribution, height-correlated Smith visibility, Schlick
// Fresnel, Lambert diffuse), textures with KHR_texture_transform, normal maps,
// occlusion, emission, alpha mask and blend; a window-masked sun, point and spot
// lamps, image-based ambient light from per-room irradiance probes (baked by
// src/scene/probe.rs), then exposure and a filmic curve. The colour
// attachment is sRGB, so the hardware does the final encode.

const MAX_POINT_LIGHTS: u32 = 8u;
const MAX_SPOT_LIGHTS: u32 = 8u;
const MAX_FOOTPRINTS: u32 = 16u;
// Probes the block holds (src/scene/probe.rs MAX_PROBES): one per room.
const MAX_PROBES: u32 = 4u;
const PI: f32 = 3.14159265;

const PATTERN_SKY: u32 = 1u;
const PATTERN_PLANKS: u32 = 2u;
const PATTERN_TILES: u32 = 3u;
const PATTERN_STRIPES: u32 = 4u;

struct PointLight {
    // xyz position in room space, w range in metres (light reaches 0 there).
    position_range: vec4<f32>,
    // rgb linear colour times intensity.
    color: vec4<f32>,
}

struct SpotLight {
    // xyz position, w range in metres.
    position_range: vec4<f32>,
    // xyz unit direction the light travels, w cosine of the outer cone angle.
    direction_cos_outer: vec4<f32>,
    // rgb linear colour times intensity, w cosine of the inner cone angle.
    color_cos_inner: vec4<f32>,
}

struct Frame {
    view_proj: array<mat4x4<f32>, 2>,
    eye: array<vec4<f32>, 2>,
    sky_ambient: vec4<f32>,
    ground_ambient: vec4<f32>,
    // xyz: unit vector towards the sun.
    sun_direction: vec4<f32>,
    sun_color: vec4<f32>,
    // The window the sun shines through: x0, y0, x1, y1 in the plane z = aperture_plane.x.
    aperture: vec4<f32>,
    // x: plane z, y: edge softness in metres, z: 1 when the aperture mask is on.
    aperture_plane: vec4<f32>,
    // Inner corners of the room; room_max.w = 1 turns the corner occlusion on.
    room_min: vec4<f32>,
    room_max: vec4<f32>,
    // x: exposure.
    params: vec4<f32>,
    // x: point lights in use, y: footprints, z: spot lights in use.
    counts: vec4<u32>,
    // Room space to the sun's shadow map (x, y in -1..1 across the map, z depth).
    sun_view_proj: mat4x4<f32>,
    // x: 1 when the shadow map is in use, y: one texel's width in metres.
    shadow: vec4<f32>,
    lights: array<PointLight, MAX_POINT_LIGHTS>,
    spots: array<SpotLight, MAX_SPOT_LIGHTS>,
    // Floor rectangles under furniture: min x, min z, max x, max z.
    footprints: array<vec4<f32>, MAX_FOOTPRINTS>,
}

// Texture slots, as bit positions in `Material.flags` and rows of `Material.uv`.
const SLOT_BASE: u32 = 0u;
const SLOT_METAL_ROUGH: u32 = 1u;
const SLOT_NORMAL: u32 = 2u;
const SLOT_OCCLUSION: u32 = 3u;
const SLOT_EMISSIVE: u32 = 4u;

const ALPHA_MASK: u32 = 1u;
const ALPHA_BLEND: u32 = 2u;

struct Material {
    // Linear RGBA base colour factor.
    base_color: vec4<f32>,
    // rgb emissive factor (strength folded in), w normal scale.
    emissive: vec4<f32>,
    // x roughness, y metallic, z occlusion strength, w alpha cutoff.
    params: vec4<f32>,
    // x pattern id, y alpha mode, z bit per slot: reads uv1, w bit per slot: textured.
    flags: vec4<u32>,
    // Per slot, two rows of the KHR_texture_transform matrix (xyz each).
    uv: array<vec4<f32>, 10>,
}

// One room's irradiance probe: its interior box and 9 SH coefficients.
struct Probe {
    // xyz: smallest corner of the room's interior (floor level).
    box_min: vec4<f32>,
    // xyz: largest corner (ceiling level).
    box_max: vec4<f32>,
    // rgb: irradiance coefficients in the order of src/scene/sh.rs basis().
    sh: array<vec4<f32>, 9>,
}

// The scene's probes, written once at upload (no per-frame cost).
struct Probes {
    // x: probes in use (0: the hemisphere ambient of the frame block).
    count: vec4<u32>,
    probes: array<Probe, MAX_PROBES>,
}

// Per draw. `eye`: which eye view 0 is: 0 in the single multiview pass; 0
// then 1 where the renderer draws one eye per pass (drivers whose multiview
// is broken). The lamps whose range reaches the draw's bounds: `light_counts`
// bits 0-3 point lights, 4-7 spot lights; `points` and `spots` their indices
// into the frame's arrays, 4 bits each. Looping over only these keeps a lamp
// across the room from costing every pixel its BRDF (llvmpipe runs both sides
// of every branch on its SIMD lanes, but a loop only as often as its count).
// Bit 8 of `light_counts`: the draw reaches down to the floor, where the
// furniture's contact shadows fall.
struct DrawPush {
    eye: u32,
    light_counts: u32,
    points: u32,
    spots: u32,
}

@group(0) @binding(0) var<uniform> frame: Frame;
@group(1) @binding(0) var<uniform> material: Material;
@group(1) @binding(1) var base_texture: texture_2d<f32>;
@group(1) @binding(2) var metal_rough_texture: texture_2d<f32>;
@group(1) @binding(3) var normal_texture: texture_2d<f32>;
@group(1) @binding(4) var occlusion_texture: texture_2d<f32>;
@group(1) @binding(5) var emissive_texture: texture_2d<f32>;
@group(1) @binding(6) var base_sampler: sampler;
@group(1) @binding(7) var metal_rough_sampler: sampler;
@group(1) @binding(8) var normal_sampler: sampler;
@group(1) @binding(9) var occlusion_sampler: sampler;
@group(1) @binding(10) var emissive_sampler: sampler;
@group(1) @binding(11) var shadow_map: texture_depth_2d;
@group(1) @binding(12) var shadow_sampler: sampler_comparison;
@group(1) @binding(13) var<uniform> probes: Probes;
var<immediate> draw: DrawPush;

struct VertexIn {
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
}

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) world: vec3<f32>,
    @location(1) normal: vec3<f32>,
    @location(2) tangent: vec4<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
}

@vertex
fn vs_main(in: VertexIn, @builtin(view_index) view: u32) -> VertexOut {
    var out: VertexOut;
    out.clip = frame.view_proj[min(view + draw.eye, 1u)] * vec4<f32>(in.position, 1.0);
    out.world = in.position;
    out.normal = in.normal;
    out.tangent = in.tangent;
    out.uv0 = in.uv0;
    out.uv1 = in.uv1;
    out.color = in.color;
    return out;
}

// build.rs also compiles this file with TEXTURES false (room_plain.spv) for
// materials without textures: llvmpipe pays for every sampling site in a
// shader even when a uniform branch skips it (measured: the untextured room
// drew in 132 ms instead of 242 ms per 2x512^2 frame without them).
const TEXTURES: bool = true;
// build.rs also compiles this file with ALPHA_TEST false (room_opaque.spv and
// room_plain_opaque.spv) for opaque and blended materials: a shader that can
// `discard` makes llvmpipe write depth only after shading.
const ALPHA_TEST: bool = true;

fn textured(slot: u32) -> bool {
    return TEXTURES && ((material.flags.w >> slot) & 1u) != 0u;
}

// The slot's UV set through its KHR_texture_transform.
fn slot_uv(slot: u32, in: VertexOut) -> vec2<f32> {
    var uv = in.uv0;
    if ((material.flags.z >> slot) & 1u) != 0u {
        uv = in.uv1;
    }
    let p = vec3<f32>(uv, 1.0);
    return vec2<f32>(dot(material.uv[slot * 2u].xyz, p), dot(material.uv[slot * 2u + 1u].xyz, p));
}

// Integer hash of a cell (PCG-style mixing), so every driver computes the
// same value: the usual fract(sin(x) * 43758) depends on each GPU's sin precision.
fn hash2(p: vec2<f32>) -> f32 {
    var h = bitcast<u32>(i32(p.x)) * 747796405u + bitcast<u32>(i32(p.y)) * 2891336453u;
    h = ((h >> ((h >> 28u) + 4u)) ^ h) * 277803737u;
    h = (h >> 22u) ^ h;
    return f32(h & 0xFFFFu) / 65535.0;
}

// Dark line of relative width `w` at integer crossings of `t`, filtered by the
// screen-space derivative so distant seams fade instead of aliasing.
fn seam(t: f32, w: f32) -> f32 {
    let f = abs(fract(t + 0.5) - 0.5);
    let aa = max(fwidth(t), 1e-4);
    return 1.0 - smoothstep(w, w + aa * 1.5, f) * (1.0 - step(0.25, aa));
}

fn sky(dir: vec3<f32>) -> vec3<f32> {
    let zenith = vec3<f32>(0.18, 0.36, 0.85);
    let horizon = vec3<f32>(0.75, 0.85, 0.95);
    let ground = vec3<f32>(0.22, 0.30, 0.16);
    if dir.y < 0.0 {
        return mix(horizon * 0.6, ground, clamp(-dir.y * 6.0, 0.0, 1.0));
    }
    return mix(horizon, zenith, pow(clamp(dir.y, 0.0, 1.0), 0.6));
}

fn albedo_at(p: vec3<f32>, n: vec3<f32>, base: vec3<f32>, pattern: u32) -> vec3<f32> {
    if pattern == PATTERN_PLANKS {
        // 0.16 m wide boards along x, 1.2 m long, staggered per row.
        let row = floor(p.z / 0.16);
        let along = p.x / 1.2 + hash2(vec2<f32>(row, 3.0));
        let board = floor(along);
        let tint = 0.82 + 0.36 * hash2(vec2<f32>(row, board));
        let grain = 0.96 + 0.04 * sin(p.x * 37.0 + hash2(vec2<f32>(board, row)) * 20.0);
        let gap = min(seam(p.z / 0.16, 0.025), seam(along, 0.004));
        return base * tint * grain * mix(0.55, 1.0, gap);
    }
    if pattern == PATTERN_TILES {
        // 0.6 m tiles with grout on whichever plane the surface lies in.
        var uv = p.xz;
        if abs(n.x) > 0.5 {
            uv = p.zy;
        } else if abs(n.z) > 0.5 {
            uv = p.xy;
        }
        let cell = floor(uv / 0.6);
        let tint = 0.93 + 0.14 * hash2(cell);
        let grout = min(seam(uv.x / 0.6, 0.008), seam(uv.y / 0.6, 0.008));
        return base * tint * mix(0.7, 1.0, grout);
    }
    if pattern == PATTERN_STRIPES {
        let s = 0.5 + 0.5 * sin(p.x * 18.0);
        return base * mix(0.7, 1.05, smoothstep(0.3, 0.7, s));
    }
    return base;
}

// How much of the sun reaches `p` through the window opening: the ray towards
// the sun must cross the opening's rectangle (a cheap, exact shadow of the
// wall around the window; furniture casts none until shadow maps).
fn aperture_mask(p: vec3<f32>, l: vec3<f32>) -> f32 {
    if frame.aperture_plane.z < 0.5 {
        return 1.0;
    }
    let plane_z = frame.aperture_plane.x;
    if abs(l.z) < 1e-4 || (plane_z - p.z) / l.z < -1e-3 {
        return 0.0;
    }
    let t = (plane_z - p.z) / l.z;
    let hit = p.xy + l.xy * t;
    let soft = frame.aperture_plane.y;
    let lo = smoothstep(frame.aperture.xy - soft, frame.aperture.xy + soft, hit);
    let hi = 1.0 - smoothstep(frame.aperture.zw - soft, frame.aperture.zw + soft, hit);
    return lo.x * lo.y * hi.x * hi.y;
}

// Ambient occlusion of the room's own corners: ambient light reaching a
// point falls off near each plane the surface is perpendicular to (floor
// meets wall, wall meets wall and ceiling), over about 30 cm. Analytic, so it
// costs no pass; furniture gets its occlusion with shadow maps later.
fn room_occlusion(p: vec3<f32>, n: vec3<f32>) -> f32 {
    if frame.room_max.w < 0.5 {
        return 1.0;
    }
    let across = vec3<f32>(1.0) - abs(n);
    let d_lo = max(p - frame.room_min.xyz, vec3<f32>(0.0));
    let d_hi = max(frame.room_max.xyz - p, vec3<f32>(0.0));
    // (1 - d / 0.6)^2 falls like exp(-d / 0.3) near the corner but costs
    // no transcendental: six exp() calls per pixel were measurable on lavapipe.
    let near_lo = clamp(vec3<f32>(1.0) - d_lo / 0.6, vec3<f32>(0.0), vec3<f32>(1.0));
    let near_hi = clamp(vec3<f32>(1.0) - d_hi / 0.6, vec3<f32>(0.0), vec3<f32>(1.0));
    let f = (vec3<f32>(1.0) - 0.5 * across * near_lo * near_lo)
        * (vec3<f32>(1.0) - 0.5 * across * near_hi * near_hi);
    return f.x * f.y * f.z;
}

// Contact shadow on the floor around and under furniture: light from the
// sky and lamps is blocked near a piece's footprint, fading over 35 cm.
// Analytic like the corner occlusion; only floor pixels pay for it.
fn floor_occlusion(p: vec3<f32>, n: vec3<f32>) -> f32 {
    if p.y > 0.02 || n.y < 0.9 {
        return 1.0;
    }
    var open = 1.0;
    // Draws that stay above the floor loop over no footprints at all.
    let count = min(select(0u, frame.counts.y, (draw.light_counts & 256u) != 0u), MAX_FOOTPRINTS);
    for (var i = 0u; i < count; i++) {
        let r = frame.footprints[i];
        let outside = max(max(r.xy - p.xz, p.xz - r.zw), vec2<f32>(0.0));
        let d = length(outside);
        let near = clamp(1.0 - d / 0.35, 0.0, 1.0);
        open *= 1.0 - 0.7 * near * near;
    }
    return open;
}

// How much sun reaches `p` past the scene's own geometry: the shadow map,
// looked up 1.5 texels out along the normal (against acne on surfaces at a
// grazing angle to the sun) with the sampler's 2x2 comparison filter.
fn sun_visibility(p: vec3<f32>, n: vec3<f32>) -> f32 {
    if frame.shadow.x < 0.5 {
        return 1.0;
    }
    let lifted = p + n * (frame.shadow.y * 1.5);
    let clip = frame.sun_view_proj * vec4<f32>(lifted, 1.0);
    let uv = clip.xy * 0.5 + vec2<f32>(0.5);
    if any(uv < vec2<f32>(0.0)) || any(uv > vec2<f32>(1.0)) || clip.z > 1.0 {
        return 1.0;
    }
    return textureSampleCompareLevel(shadow_map, shadow_sampler, uv, clip.z);
}

struct Surface {
    // Lambert colour: base colour with metals' share removed.
    diffuse: vec3<f32>,
    f0: vec3<f32>,
    // GGX alpha (perceptual roughness squared).
    alpha: f32,
}

// The Khronos reference BRDF (glTF 2.0 spec, appendix B) times the cosine.
fn shade_light(s: Surface, n: vec3<f32>, v: vec3<f32>, l: vec3<f32>, radiance: vec3<f32>) -> vec3<f32> {
    let ndl = dot(n, l);
    if ndl <= 0.0 {
        return vec3<f32>(0.0);
    }
    let ndv = max(abs(dot(n, v)), 1e-4);
    let h = normalize(l + v);
    let ndh = max(dot(n, h), 0.0);
    let vdh = max(dot(v, h), 0.0);
    let m = 1.0 - vdh;
    let m2 = m * m;
    let fresnel = s.f0 + (vec3<f32>(1.0) - s.f0) * (m2 * m2 * m);
    let a2 = s.alpha * s.alpha;
    let d_denom = ndh * ndh * (a2 - 1.0) + 1.0;
    let d = a2 / (PI * d_denom * d_denom);
    let vis_denom = ndl * sqrt(ndv * ndv * (1.0 - a2) + a2) + ndv * sqrt(ndl * ndl * (1.0 - a2) + a2);
    let vis = 0.5 / max(vis_denom, 1e-5);
    let diffuse = (vec3<f32>(1.0) - fresnel) * s.diffuse / PI;
    return (diffuse + fresnel * (d * vis)) * radiance * ndl;
}

// Specular share of uniform ambient light: Karis' analytic fit of the
// split-sum environment BRDF (Unreal, "Physically Based Shading on Mobile"),
// so rough and smooth surfaces keep their Fresnel rim without a lookup table.
fn ambient_specular(f0: vec3<f32>, roughness: f32, ndv: f32) -> vec3<f32> {
    let c0 = vec4<f32>(-1.0, -0.0275, -0.572, 0.022);
    let c1 = vec4<f32>(1.0, 0.0425, 1.04, -0.04);
    let r = roughness * c0 + c1;
    let a004 = min(r.x * r.x, exp2(-9.28 * ndv)) * r.x + r.y;
    let ab = vec2<f32>(-1.04, 1.04) * a004 + r.zw;
    return f0 * ab.x + ab.y;
}

// The order-2 SH basis at unit d, as src/scene/sh.rs basis().
struct ShBasis {
    // Y00, Y1-1 (y), Y10 (z), Y11 (x).
    low: vec4<f32>,
    // Y2-2 (xy), Y2-1 (yz), Y20, Y21 (xz).
    high: vec4<f32>,
    // Y22 (x^2 - y^2).
    last: f32,
}

// The basis at unit d with band l scaled by bands[l].
fn sh_basis(d: vec3<f32>, bands: vec3<f32>) -> ShBasis {
    var y: ShBasis;
    y.low = vec4<f32>(0.282095 * bands.x, 0.488603 * bands.y * vec3<f32>(d.y, d.z, d.x));
    y.high = bands.z * vec4<f32>(
        1.092548 * d.x * d.y,
        1.092548 * d.y * d.z,
        0.315392 * (3.0 * d.z * d.z - 1.0),
        1.092548 * d.x * d.z,
    );
    y.last = bands.z * 0.546274 * (d.x * d.x - d.y * d.y);
    return y;
}

// Nine RGB coefficients.
struct Sh9 {
    c0: vec3<f32>, c1: vec3<f32>, c2: vec3<f32>,
    c3: vec3<f32>, c4: vec3<f32>, c5: vec3<f32>,
    c6: vec3<f32>, c7: vec3<f32>, c8: vec3<f32>,
}

// The four probes' coefficients weighted by w: straight-line code reading
// the block at constant offsets.
fn blend_probes(w: vec4<f32>) -> Sh9 {
    var c: Sh9;
    c.c0 = probes.probes[0].sh[0].rgb * w.x + probes.probes[1].sh[0].rgb * w.y + probes.probes[2].sh[0].rgb * w.z + probes.probes[3].sh[0].rgb * w.w;
    c.c1 = probes.probes[0].sh[1].rgb * w.x + probes.probes[1].sh[1].rgb * w.y + probes.probes[2].sh[1].rgb * w.z + probes.probes[3].sh[1].rgb * w.w;
    c.c2 = probes.probes[0].sh[2].rgb * w.x + probes.probes[1].sh[2].rgb * w.y + probes.probes[2].sh[2].rgb * w.z + probes.probes[3].sh[2].rgb * w.w;
    c.c3 = probes.probes[0].sh[3].rgb * w.x + probes.probes[1].sh[3].rgb * w.y + probes.probes[2].sh[3].rgb * w.z + probes.probes[3].sh[3].rgb * w.w;
    c.c4 = probes.probes[0].sh[4].rgb * w.x + probes.probes[1].sh[4].rgb * w.y + probes.probes[2].sh[4].rgb * w.z + probes.probes[3].sh[4].rgb * w.w;
    c.c5 = probes.probes[0].sh[5].rgb * w.x + probes.probes[1].sh[5].rgb * w.y + probes.probes[2].sh[5].rgb * w.z + probes.probes[3].sh[5].rgb * w.w;
    c.c6 = probes.probes[0].sh[6].rgb * w.x + probes.probes[1].sh[6].rgb * w.y + probes.probes[2].sh[6].rgb * w.z + probes.probes[3].sh[6].rgb * w.w;
    c.c7 = probes.probes[0].sh[7].rgb * w.x + probes.probes[1].sh[7].rgb * w.y + probes.probes[2].sh[7].rgb * w.z + probes.probes[3].sh[7].rgb * w.w;
    c.c8 = probes.probes[0].sh[8].rgb * w.x + probes.probes[1].sh[8].rgb * w.y + probes.probes[2].sh[8].rgb * w.z + probes.probes[3].sh[8].rgb * w.w;
    return c;
}

// The coefficients c against the basis values y.
fn sh_eval(c: Sh9, y: ShBasis) -> vec3<f32> {
    return c.c0 * y.low.x + c.c1 * y.low.y + c.c2 * y.low.z + c.c3 * y.low.w
        + c.c4 * y.high.x + c.c5 * y.high.y + c.c6 * y.high.z + c.c7 * y.high.w
        + c.c8 * y.last;
}

// How much of probe i's light reaches p: 1 a quarter metre inside its
// room's walls, 0 a quarter metre outside, so light blends over half a metre
// across a doorway (the wall between two rooms is 0.15 m) without a seam.
// p is first moved 0.2 m along the normal, so a wall takes the light of the
// room it faces, not of the room behind it.
fn probe_weight(i: u32, p: vec3<f32>) -> f32 {
    let lo = probes.probes[i].box_min.xz;
    let hi = probes.probes[i].box_max.xz;
    let inside = min(min(p.x - lo.x, hi.x - p.x), min(p.z - lo.y, hi.y - p.z));
    return clamp((inside + 0.25) * 2.0, 0.0, 1.0);
}

struct AmbientLight {
    // Irradiance on the surface (facing n).
    irradiance: vec3<f32>,
    // Radiance arriving along the reflection vector, prefiltered by roughness.
    specular: vec3<f32>,
}

// Ambient light at p from the blended probes of the rooms around it. The
// specular part is the SH at the reflection vector, its bands scaled from
// radiance (a smooth surface sees the order-2 environment) towards
// irradiance / pi (a rough lobe is about as wide as the cosine) by roughness.
// The radiance bands carry a Hann window (1, 0.75, 0.25; Sloan, "Stupid
// Spherical Harmonics Tricks", 2008): unwindowed, an order-2 fit of a room
// with a bright window rings below zero, and brass trim in the window's
// reveal rendered pure black.
fn probe_ambient(p: vec3<f32>, n: vec3<f32>, r: vec3<f32>, roughness: f32) -> AmbientLight {
    var out: AmbientLight;
    let count = min(probes.count.x, MAX_PROBES);
    if count == 0u {
        let hemi = mix(frame.ground_ambient.rgb, frame.sky_ambient.rgb, n.y * 0.5 + 0.5);
        out.irradiance = hemi * PI;
        out.specular = mix(frame.ground_ambient.rgb, frame.sky_ambient.rgb, r.y * 0.5 + 0.5);
        return out;
    }
    // Windowed 1 / A_l, with A_l = pi, 2 pi / 3, pi / 4 (Ramamoorthi and
    // Hanrahan 2001).
    let to_radiance = vec3<f32>(1.0, 1.5 * 0.75, 4.0 * 0.25) / PI;
    let q = p + n * 0.2;
    let used = vec4<f32>(vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(count));
    var w = vec4<f32>(probe_weight(0u, q), probe_weight(1u, q), probe_weight(2u, q), probe_weight(3u, q)) * used;
    let total = w.x + w.y + w.z + w.w;
    // Outside every room (the reveal of an opening, the outside of a
    // wall): the first room's light.
    w = select(vec4<f32>(1.0, 0.0, 0.0, 0.0), w / total, total >= 1e-3);
    let c = blend_probes(w);
    // An order-2 fit of an uneven room can dip below zero.
    out.irradiance = max(sh_eval(c, sh_basis(n, vec3<f32>(1.0))), vec3<f32>(0.0));
    let yr = sh_basis(r, mix(to_radiance, vec3<f32>(1.0 / PI), roughness));
    out.specular = max(sh_eval(c, yr), vec3<f32>(0.0));
    return out;
}

// Range window of KHR_lights_punctual's recommended falloff, with the
// inverse square softened by 1 cm so a lamp's own shade does not blow out.
fn falloff(d2: f32, range: f32) -> f32 {
    let fade = clamp(1.0 - (d2 * d2) / (range * range * range * range), 0.0, 1.0);
    return fade * fade / (d2 + 0.01);
}

// Aces (Narkowicz's fit) rather than Khronos PBR Neutral: the lighting presets
// were tuned under it, its toe gives the contrast interiors need at the low
// exposures of lamp-lit rooms, and it is one rational per channel on lavapipe.
// Narkowicz's fit of the ACES filmic curve.
fn filmic(x: vec3<f32>) -> vec3<f32> {
    let a = x * (2.51 * x + 0.03);
    let b = x * (2.43 * x + 0.59) + 0.14;
    return clamp(a / b, vec3<f32>(0.0), vec3<f32>(1.0));
}

@fragment
fn fs_main(in: VertexOut, @builtin(view_index) view: u32, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
    let eye = frame.eye[min(view + draw.eye, 1u)].xyz;
    let v = normalize(eye - in.world);
    let pattern = material.flags.x;
    let exposure = frame.params.x;
    let emissive_factor = material.emissive.rgb;
    if pattern == PATTERN_SKY {
        let glow = max(emissive_factor.r, max(emissive_factor.g, emissive_factor.b));
        return vec4<f32>(filmic(sky(-v) * glow * exposure), 1.0);
    }
    var base = material.base_color * in.color;
    if textured(SLOT_BASE) {
        base *= textureSample(base_texture, base_sampler, slot_uv(SLOT_BASE, in));
    }
    let alpha_mode = material.flags.y;
    if ALPHA_TEST && alpha_mode == ALPHA_MASK && base.a < material.params.w {
        discard;
    }
    var roughness = material.params.x;
    var metallic = material.params.y;
    if textured(SLOT_METAL_ROUGH) {
        let mr = textureSample(metal_rough_texture, metal_rough_sampler, slot_uv(SLOT_METAL_ROUGH, in));
        roughness *= mr.g;
        metallic *= mr.b;
    }
    roughness = clamp(roughness, 0.05, 1.0);
    metallic = clamp(metallic, 0.0, 1.0);
    // Back faces (double-sided materials) are lit from their own side: the
    // whole tangent frame flips (glTF 2.0, 3.9.5).
    let side = select(-1.0, 1.0, front);
    var n = normalize(in.normal) * side;
    if textured(SLOT_NORMAL) {
        let t = normalize(in.tangent.xyz - n * dot(n, in.tangent.xyz)) * side;
        let b = cross(n, t) * in.tangent.w;
        let scale = material.emissive.w;
        let m = textureSample(normal_texture, normal_sampler, slot_uv(SLOT_NORMAL, in)).xyz * 2.0 - 1.0;
        n = normalize(t * (m.x * scale) + b * (m.y * scale) + n * m.z);
    }
    var occlusion = 1.0;
    if textured(SLOT_OCCLUSION) {
        let o = textureSample(occlusion_texture, occlusion_sampler, slot_uv(SLOT_OCCLUSION, in)).r;
        occlusion = 1.0 + material.params.z * (o - 1.0);
    }
    var emissive = emissive_factor;
    if textured(SLOT_EMISSIVE) {
        emissive *= textureSample(emissive_texture, emissive_sampler, slot_uv(SLOT_EMISSIVE, in)).rgb;
    }
    let albedo = albedo_at(in.world, n, base.rgb, pattern);
    var s: Surface;
    s.diffuse = albedo * (1.0 - metallic);
    s.f0 = mix(vec3<f32>(0.04), albedo, metallic);
    s.alpha = roughness * roughness;

    let ndv = max(abs(dot(n, v)), 1e-4);
    let contact = floor_occlusion(in.world, n);
    let ao = occlusion * room_occlusion(in.world, n) * contact;
    let ambient = probe_ambient(in.world, n, reflect(-v, n), roughness);
    var color = ambient.irradiance * s.diffuse * (ao / PI);
    // Specular occlusion is the ambient occlusion itself: Lagarde's fit
    // (pow and exp2 of roughness) cost three transcendentals per pixel.
    color += ambient.specular * ambient_specular(s.f0, roughness, ndv) * ao;
    color += emissive;

    let sun_l = frame.sun_direction.xyz;
    var sun = aperture_mask(in.world, sun_l);
    if sun > 0.0 {
        sun *= sun_visibility(in.world, n);
    }
    if sun > 0.0 {
        color += shade_light(s, n, v, sun_l, frame.sun_color.rgb * sun);
    }
    let count = min(draw.light_counts & 15u, MAX_POINT_LIGHTS);
    for (var i = 0u; i < count; i++) {
        let light = frame.lights[min((draw.points >> (4u * i)) & 15u, MAX_POINT_LIGHTS - 1u)];
        let to_light = light.position_range.xyz - in.world;
        let d2 = max(dot(to_light, to_light), 1e-4);
        let radiance = light.color.rgb * falloff(d2, light.position_range.w);
        color += shade_light(s, n, v, to_light * inverseSqrt(d2), radiance * contact);
    }
    let spots = min((draw.light_counts >> 4u) & 15u, MAX_SPOT_LIGHTS);
    for (var i = 0u; i < spots; i++) {
        let light = frame.spots[min((draw.spots >> (4u * i)) & 15u, MAX_SPOT_LIGHTS - 1u)];
        let to_light = light.position_range.xyz - in.world;
        let d2 = max(dot(to_light, to_light), 1e-4);
        let l = to_light * inverseSqrt(d2);
        // KHR_lights_punctual's cone: smooth from the outer to the inner angle.
        let cos_outer = light.direction_cos_outer.w;
        let cos_inner = light.color_cos_inner.w;
        let cd = dot(light.direction_cos_outer.xyz, -l);
        let cone = clamp((cd - cos_outer) / max(cos_inner - cos_outer, 1e-4), 0.0, 1.0);
        let radiance = light.color_cos_inner.rgb * (falloff(d2, light.position_range.w) * cone * cone);
        color += shade_light(s, n, v, l, radiance * contact);
    }
    var alpha = 1.0;
    if alpha_mode == ALPHA_BLEND {
        alpha = base.a;
    }
    return vec4<f32>(filmic(color * exposure), alpha);
}
