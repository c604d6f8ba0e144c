// Lit room shading, both eyes in one pass (multiview: `view_index` picks the eye).
// Linear-space Lambert + normalised Blinn-Phong with Schlick Fresnel, a window-
// masked sun, hemisphere ambient, then exposure and a filmic curve; the colour
// attachment is sRGB, so the hardware does the final encode.

const MAX_POINT_LIGHTS: u32 = 8u;
const MAX_FOOTPRINTS: u32 = 16u;
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
    // x: number of point lights in use, y: number of footprints.
    counts: vec4<u32>,
    lights: array<PointLight, MAX_POINT_LIGHTS>,
    // Floor rectangles under furniture: min x, min z, max x, max z.
    footprints: array<vec4<f32>, MAX_FOOTPRINTS>,
}

struct Material {
    // rgb linear albedo.
    base_color: vec4<f32>,
    // x roughness, y metallic, z emissive strength, w pattern id.
    params: vec4<f32>,
    // x: eye of view 0. 0 in the single multiview pass; 0 then 1 where the
    // renderer draws one eye per pass (drivers whose multiview is broken).
    eye: vec4<u32>,
}

@group(0) @binding(0) var<uniform> frame: Frame;
var<immediate> material: Material;

struct VertexIn {
    @location(0) position: vec3<f32>,
    @location(1) normal: vec3<f32>,
}

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) world: vec3<f32>,
    @location(1) normal: vec3<f32>,
}

@vertex
fn vs_main(in: VertexIn, @builtin(view_index) view: u32) -> VertexOut {
    var out: VertexOut;
    out.clip = frame.view_proj[min(view + material.eye.x, 1u)] * vec4<f32>(in.position, 1.0);
    out.world = in.position;
    out.normal = in.normal;
    return out;
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
    let count = min(frame.counts.y, MAX_FOOTPRINTS);
    for (var i = 0u; i < count; i++) {
        let r = frame.footprints[i];
        let outside = max(max(r.xy - p.xz, p.xz - r.zw), vec2<f32>(0.0));
        let d = length(outside);
        let near = clamp(1.0 - d / 0.35, 0.0, 1.0);
        open *= 1.0 - 0.7 * near * near;
    }
    return open;
}

struct Surface {
    albedo: vec3<f32>,
    f0: vec3<f32>,
    shininess: f32,
    metallic: f32,
}

fn shade_light(s: Surface, n: vec3<f32>, v: vec3<f32>, l: vec3<f32>, radiance: vec3<f32>) -> vec3<f32> {
    let ndl = max(dot(n, l), 0.0);
    if ndl <= 0.0 {
        return vec3<f32>(0.0);
    }
    let h = normalize(l + v);
    let ndh = max(dot(n, h), 0.0);
    let vdh = max(dot(v, h), 0.0);
    let m = 1.0 - vdh;
    let m2 = m * m;
    let fresnel = s.f0 + (vec3<f32>(1.0) - s.f0) * (m2 * m2 * m);
    // exp2(s * (x - 1) / ln 2) is pow(x, s) to first order near the peak
    // (x -> 1) and still falls to ~0 away from it: one exp2 instead of
    // log2 + exp2, about 10 % of the frame on lavapipe.
    let spec = fresnel * (s.shininess + 8.0) / (8.0 * PI) * exp2(s.shininess * 1.4427 * (ndh - 1.0));
    let diffuse = s.albedo * (1.0 - s.metallic) / PI;
    return (diffuse + spec) * radiance * ndl;
}

// Narkowicz's fit of the ACES filmic curve.
fn filmic(x: vec3<f32>) -> vec3<f32> {
    let a = x * (2.51 * x + 0.03);
    let b = x * (2.43 * x + 0.59) + 0.14;
    return clamp(a / b, vec3<f32>(0.0), vec3<f32>(1.0));
}

@fragment
fn fs_main(in: VertexOut, @builtin(view_index) view: u32, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
    let eye = frame.eye[min(view + material.eye.x, 1u)].xyz;
    let v = normalize(eye - in.world);
    let pattern = u32(material.params.w + 0.5);
    let exposure = frame.params.x;
    if pattern == PATTERN_SKY {
        return vec4<f32>(filmic(sky(-v) * material.params.z * exposure), 1.0);
    }
    var n = normalize(in.normal);
    if !front {
        n = -n;
    }
    let roughness = clamp(material.params.x, 0.05, 1.0);
    let metallic = clamp(material.params.y, 0.0, 1.0);
    let albedo = albedo_at(in.world, n, material.base_color.rgb, pattern);
    var s: Surface;
    s.albedo = albedo;
    s.metallic = metallic;
    s.f0 = mix(vec3<f32>(0.04), albedo, metallic);
    // Blinn-Phong exponent equivalent to a GGX roughness (Walter et al.).
    let a2 = roughness * roughness * roughness * roughness;
    s.shininess = clamp(2.0 / a2 - 2.0, 1.0, 2048.0);

    let hemi = mix(frame.ground_ambient.rgb, frame.sky_ambient.rgb, n.y * 0.5 + 0.5);
    let contact = floor_occlusion(in.world, n);
    var color = hemi * albedo * (1.0 - 0.5 * metallic) * room_occlusion(in.world, n) * contact;
    color += albedo * material.params.z;

    let sun_l = frame.sun_direction.xyz;
    let sun = aperture_mask(in.world, sun_l);
    if sun > 0.0 {
        color += shade_light(s, n, v, sun_l, frame.sun_color.rgb * sun);
    }
    let count = min(frame.counts.x, MAX_POINT_LIGHTS);
    for (var i = 0u; i < count; i++) {
        let light = frame.lights[i];
        let to_light = light.position_range.xyz - in.world;
        let d2 = max(dot(to_light, to_light), 1e-4);
        let range = light.position_range.w;
        let fade = clamp(1.0 - (d2 * d2) / (range * range * range * range), 0.0, 1.0);
        let radiance = light.color.rgb * (fade * fade / (d2 + 0.01));
        color += shade_light(s, n, v, to_light * inverseSqrt(d2), radiance * contact);
    }
    return vec4<f32>(filmic(color * exposure), 1.0);
}
