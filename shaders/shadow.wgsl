// Depth-only passes from the sun: room-space positions through the sun's
// orthographic view-projection (a push constant). Opaque casters use
// `vs_main` with no fragment stage; cut-out casters (alpha-masked materials,
// and blended ones, which cast where alpha >= 0.5) use `vs_cutout` and
// `fs_cutout`, which discards where the base colour's alpha is below the
// cutoff, so a leaf's shadow has the leaf's shape.

struct ShadowPush {
    sun_view_proj: mat4x4<f32>,
    // x: base colour alpha factor, y: alpha cutoff, z: 1 when the base
    // texture reads uv1, w: 1 when the material has a base texture.
    alpha: vec4<f32>,
    // Two rows of the base texture's KHR_texture_transform (xyz each).
    uv_row0: vec4<f32>,
    uv_row1: vec4<f32>,
}

var<immediate> push: ShadowPush;

@group(0) @binding(0) var base_texture: texture_2d<f32>;
@group(0) @binding(1) var base_sampler: sampler;

@vertex
fn vs_main(@location(0) position: vec3<f32>) -> @builtin(position) vec4<f32> {
    return push.sun_view_proj * vec4<f32>(position, 1.0);
}

struct CutoutOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) alpha: f32,
}

@vertex
fn vs_cutout(
    @location(0) position: vec3<f32>,
    @location(3) uv0: vec2<f32>,
    @location(4) uv1: vec2<f32>,
    @location(5) color: vec4<f32>,
) -> CutoutOut {
    var out: CutoutOut;
    out.clip = push.sun_view_proj * vec4<f32>(position, 1.0);
    let uv = select(uv0, uv1, push.alpha.z > 0.5);
    let p = vec3<f32>(uv, 1.0);
    out.uv = vec2<f32>(dot(push.uv_row0.xyz, p), dot(push.uv_row1.xyz, p));
    out.alpha = color.a * push.alpha.x;
    return out;
}

@fragment
fn fs_cutout(in: CutoutOut) {
    var alpha = in.alpha;
    if push.alpha.w > 0.5 {
        alpha *= textureSample(base_texture, base_sampler, in.uv).a;
    }
    if alpha < push.alpha.y {
        discard;
    }
}
