// The transition fade: one fullscreen triangle per view, drawn last in the
// stereo pass with alpha blending. No vertex buffer: the corners come from
// the vertex index. Multiview draws it into both eyes at once; the colour is
// the same in each, so `view_index` is not needed.

struct Fade {
    // Linear RGB of the fade colour; alpha is the amount (0 none, 1 all).
    color: vec4<f32>,
}

var<immediate> fade: Fade;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> @builtin(position) vec4<f32> {
    // (-1,-1), (3,-1), (-1,3): one triangle covering the whole viewport.
    let x = f32((index << 1u) & 2u) * 2.0 - 1.0;
    let y = f32(index & 2u) * 2.0 - 1.0;
    return vec4<f32>(x, y, 0.0, 1.0);
}

@fragment
fn fs_main() -> @location(0) vec4<f32> {
    return fade.color;
}
