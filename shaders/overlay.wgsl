// In-scene overlay (the kiosk hint): flat-coloured triangles in room space,
// both eyes in one pass (multiview: `view_index` picks the eye's matrix).
// Colours are linear; the attachment is sRGB, so the hardware encodes.

struct Views {
    // One matrix per view of the pass. Where the renderer draws one eye per
    // pass, both entries hold that eye's matrix.
    view_proj: array<mat4x4<f32>, 2>,
}

var<immediate> views: Views;

struct VertexIn {
    @location(0) position: vec3<f32>,
    @location(1) color: vec4<f32>,
}

struct VertexOut {
    @builtin(position) clip: vec4<f32>,
    @location(0) color: vec4<f32>,
}

@vertex
fn vs_main(in: VertexIn, @builtin(view_index) view: u32) -> VertexOut {
    var out: VertexOut;
    out.clip = views.view_proj[min(view, 1u)] * vec4<f32>(in.position, 1.0);
    out.color = in.color;
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    return in.color;
}
