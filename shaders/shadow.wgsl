// Depth-only pass from the sun: room-space positions through the sun's
// orthographic view-projection (a push constant), no fragment stage.

struct ShadowPush {
    sun_view_proj: mat4x4<f32>,
}

var<immediate> push: ShadowPush;

@vertex
fn vs_main(@location(0) position: vec3<f32>) -> @builtin(position) vec4<f32> {
    return push.sun_view_proj * vec4<f32>(position, 1.0);
}
