//! Light presets: hemisphere ambient, a sun through the window, lamps and spots.

use glam::Vec3;

/// A lamp: light from a point, falling off with distance.
#[derive(Clone, Debug, PartialEq)]
pub struct PointLight {
    /// Position in room space, metres.
    pub position: Vec3,
    /// Linear colour times intensity (radiant intensity, arbitrary scale).
    pub color: Vec3,
    /// Distance in metres where the light has faded to zero.
    pub range: f32,
}

/// A spot: a point light limited to a cone (KHR_lights_punctual's spot).
#[derive(Clone, Debug, PartialEq)]
pub struct SpotLight {
    /// Position in room space, metres.
    pub position: Vec3,
    /// Unit vector along which the light travels (the cone's axis).
    pub direction: Vec3,
    /// Linear colour times intensity, on the scale of [`PointLight::color`].
    pub color: Vec3,
    /// Distance in metres where the light has faded to zero.
    pub range: f32,
    /// Full intensity within this angle from the axis, radians.
    pub inner_cone: f32,
    /// No light beyond this angle from the axis, radians (at most pi/2).
    pub outer_cone: f32,
}

/// Sunlight: parallel rays from one direction.
#[derive(Clone, Debug, PartialEq)]
pub struct DirectionalLight {
    /// Unit vector pointing towards the sun.
    pub towards: Vec3,
    /// Linear colour times irradiance.
    pub color: Vec3,
}

/// The rectangle the sun shines through: the window opening, in the plane
/// `z = plane_z` (the inner face of the window wall).
#[derive(Clone, Debug, PartialEq)]
pub struct WindowAperture {
    /// z of the plane.
    pub plane_z: f32,
    /// Lower-left corner (x, y).
    pub min: glam::Vec2,
    /// Upper-right corner (x, y).
    pub max: glam::Vec2,
}

/// Everything that lights a room.
#[derive(Clone, Debug, PartialEq)]
pub struct LightingPreset {
    /// Ambient light from above (linear colour).
    pub sky_ambient: Vec3,
    /// Ambient light from below (linear colour).
    pub ground_ambient: Vec3,
    /// The sun through the window.
    pub sun: Option<DirectionalLight>,
    /// Lamps (the renderer uses the first 8).
    pub points: Vec<PointLight>,
    /// Spot lights (the renderer uses the first 8; empty in the built-in options).
    pub spots: Vec<SpotLight>,
    /// Multiplier before tone mapping.
    pub exposure: f32,
    /// Where the sun enters; set by [`crate::scene::build_scene`] from the room.
    pub aperture: Option<WindowAperture>,
}

impl LightingPreset {
    /// The bare room's light: a bright afternoon through the window and one ceiling light.
    pub fn daylight() -> Self {
        LightingPreset {
            sky_ambient: Vec3::new(0.34, 0.36, 0.40),
            ground_ambient: Vec3::new(0.3, 0.29, 0.28),
            sun: Some(DirectionalLight {
                towards: Vec3::new(-0.35, 0.55, -0.76).normalize(),
                color: Vec3::new(5.2, 4.7, 4.0),
            }),
            points: vec![PointLight {
                position: Vec3::new(0.0, 2.55, 0.0),
                color: Vec3::new(1.6, 1.5, 1.35),
                range: 7.0,
            }],
            spots: Vec::new(),
            exposure: 1.0,
            aperture: None,
        }
    }
}
