//! Text to a checked [`Catalog`]: TOML with spans, then every rule a file can break,
//! each error naming its line, column and field. Never touches the disk.

use super::entries::{Catalog, ItemEntry, OptionEntry};
use super::error::{CatalogError, Place};
use super::limits::CatalogLimits;
use super::schema::*;
use crate::audio::ambience::{ALL_AMBIENCES, Ambience};
use crate::audio::soundscape::AmbienceSource;
use crate::scene::{
    DirectionalLight, Finishes, House, LightingPreset, Material, Opening, OpeningKind, Pattern,
    PointLight, Room, RoomDimensions, SpotLight, Start, WALL_THICKNESS, Wall,
};
use glam::{Mat4, Quat, Vec2, Vec3};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// Parses and checks a catalog's text. `file` names it in errors and is where
/// model paths are relative to; nothing is read from the disk.
///
/// A file that cannot be read as a whole (TOML syntax, unknown fields, a bad
/// house, counts over the limits) is an error. An option that breaks a rule of
/// its own (an item outside its room, a bad colour, a repeated name) is left
/// out and listed in [`Catalog::rejected`], so the others can still be shown.
pub fn parse_catalog(
    text: &str,
    file: &Path,
    limits: &CatalogLimits,
) -> Result<Catalog, CatalogError> {
    if text.len() as u64 > limits.max_catalog_bytes {
        return Err(CatalogError::whole_file(
            file,
            format!(
                "the catalog is {} bytes, over the limit of {} (raise `max_catalog_bytes`)",
                text.len(),
                limits.max_catalog_bytes
            ),
        ));
    }
    let ctx = Ctx { text, file, limits };
    let raw = ctx.deserialize()?;
    ctx.check_counts(&raw)?;
    let house = ctx.house(&raw)?;
    let mut options: Vec<OptionEntry> = Vec::with_capacity(raw.options.len());
    let mut rejected = Vec::new();
    for (i, spec) in raw.options.iter().enumerate() {
        let option = ctx.option(i, spec, &house).and_then(|option| {
            if options.iter().any(|o| o.name == option.name) {
                return Err(ctx.err(
                    spec.get_ref().name.span(),
                    format!("options[{i}].name"),
                    format!(
                        "option name {:?} is used twice: every option needs its own name",
                        option.name
                    ),
                ));
            }
            Ok(option)
        });
        match option {
            Ok(option) => options.push(option),
            Err(e) => rejected.push(e),
        }
    }
    let catalog = Catalog {
        file: file.to_path_buf(),
        house,
        options,
        rejected,
    };
    let models = catalog.model_paths().len();
    if models > limits.max_models {
        return Err(CatalogError::whole_file(
            file,
            format!(
                "the options name {models} model files, over the limit of {} (raise `max_models`)",
                limits.max_models
            ),
        ));
    }
    Ok(catalog)
}

struct Ctx<'a> {
    text: &'a str,
    file: &'a Path,
    limits: &'a CatalogLimits,
}

impl Ctx<'_> {
    fn err(
        &self,
        span: Range<usize>,
        field: impl Into<String>,
        problem: impl Into<String>,
    ) -> CatalogError {
        CatalogError::new(self.file, self.place(span, field), problem)
    }

    fn place(&self, span: Range<usize>, field: impl Into<String>) -> Place {
        Place::of(self.text, Some(span), field)
    }

    fn deserialize(&self) -> Result<CatalogFile, CatalogError> {
        let de = toml::Deserializer::parse(self.text).map_err(|e| self.toml_error(&e, ""))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            // `Spanned` fields appear in the path as `.value`; the user never wrote that.
            let field = e
                .path()
                .iter()
                .filter(|s| !matches!(s, serde_path_to_error::Segment::Map { key } if key.starts_with("$__serde_spanned_private")))
                .fold(String::new(), |mut path, s| {
                    match s {
                        serde_path_to_error::Segment::Seq { index } => {
                            path.push_str(&format!("[{index}]"))
                        }
                        other => {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(&other.to_string());
                        }
                    }
                    path
                });
            self.toml_error(e.inner(), &field)
        })
    }

    fn toml_error(&self, e: &toml::de::Error, field: &str) -> CatalogError {
        let message = e.message().trim_end().replace('\n', " ");
        CatalogError::new(self.file, Place::of(self.text, e.span(), field), message)
    }

    fn check_counts(&self, raw: &CatalogFile) -> Result<(), CatalogError> {
        let l = self.limits;
        let over = |what: &str, n: usize, limit: usize, field: &str| {
            (n > limit).then(|| {
                CatalogError::whole_file(
                    self.file,
                    format!("{n} {what}, over the limit of {limit} (raise `{field}`)"),
                )
            })
        };
        let mut problems = vec![
            over("rooms", raw.rooms.len(), l.max_rooms, "max_rooms"),
            over(
                "openings",
                raw.openings.len(),
                l.max_openings,
                "max_openings",
            ),
            over("options", raw.options.len(), l.max_options, "max_options"),
        ];
        for (i, o) in raw.options.iter().enumerate() {
            let o = o.get_ref();
            let field = format!("options[{i}]");
            problems.push(over(
                &format!("items in {field}"),
                o.items.len(),
                l.max_items_per_option,
                "max_items_per_option",
            ));
            problems.push(over(
                &format!("lights in {field}"),
                o.lighting.lights.len(),
                l.max_lights_per_option,
                "max_lights_per_option",
            ));
        }
        match problems.into_iter().flatten().next() {
            Some(e) => Err(e),
            None if raw.rooms.is_empty() => Err(self.whole("the catalog has no [[rooms]]")),
            None if raw.options.is_empty() => Err(self.whole("the catalog has no [[options]]")),
            None => Ok(()),
        }
    }

    fn whole(&self, problem: &str) -> CatalogError {
        CatalogError::whole_file(self.file, problem)
    }

    fn finite<const N: usize>(
        &self,
        values: [f32; N],
        span: &Range<usize>,
        field: &str,
    ) -> Result<[f32; N], CatalogError> {
        if values.iter().all(|v| v.is_finite()) {
            Ok(values)
        } else {
            Err(self.err(span.clone(), field, "must be a finite number"))
        }
    }

    fn room_index(
        &self,
        rooms: &[Room],
        name: &Spanned<String>,
        field: &str,
    ) -> Result<usize, CatalogError> {
        rooms
            .iter()
            .position(|r| &r.name == name.get_ref())
            .ok_or_else(|| {
                let known: Vec<_> = rooms.iter().map(|r| r.name.as_str()).collect();
                self.err(
                    name.span(),
                    field,
                    format!(
                        "unknown room {:?} (rooms: {})",
                        name.get_ref(),
                        known.join(", ")
                    ),
                )
            })
    }

    fn house(&self, raw: &CatalogFile) -> Result<House, CatalogError> {
        let mut rooms: Vec<Room> = Vec::with_capacity(raw.rooms.len());
        for (i, spec) in raw.rooms.iter().enumerate() {
            let (span, r) = (spec.span(), spec.get_ref());
            let field = format!("rooms[{i}]");
            let [w, d, h] = self.finite(r.size, &span, &format!("{field}.size"))?;
            if !((0.5..=50.0).contains(&w)
                && (0.5..=50.0).contains(&d)
                && (1.8..=10.0).contains(&h))
            {
                return Err(self.err(
                    span,
                    format!("{field}.size"),
                    format!(
                        "{w} x {d} x {h} m is not a room: width and depth must be 0.5 to 50 m, height 1.8 to 10 m"
                    ),
                ));
            }
            let centre = Vec2::from(self.finite(r.centre, &span, &format!("{field}.centre"))?);
            if rooms.iter().any(|o| o.name == *r.name.get_ref()) {
                return Err(self.err(
                    r.name.span(),
                    format!("{field}.name"),
                    format!("room name {:?} is used twice", r.name.get_ref()),
                ));
            }
            let room = Room {
                name: r.name.get_ref().clone(),
                centre,
                size: RoomDimensions {
                    width: w,
                    depth: d,
                    height: h,
                },
            };
            // Interiors must be at least a wall apart, or walls would stand in a room.
            if let Some(other) = rooms.iter().find(|o| {
                let (a0, a1) = (
                    room.min() - WALL_THICKNESS + 1e-3,
                    room.max() + WALL_THICKNESS - 1e-3,
                );
                a0.cmplt(o.max()).all() && o.min().cmplt(a1).all()
            }) {
                return Err(self.err(
                    span,
                    field,
                    format!(
                        "room {:?} overlaps room {:?}: interiors must be at least a wall ({WALL_THICKNESS} m) apart",
                        room.name, other.name
                    ),
                ));
            }
            rooms.push(room);
        }
        let start_span = raw.start.span();
        let s = raw.start.get_ref();
        let start_room = self.room_index(&rooms, &s.room, "start.room")?;
        let [px, pz] = self.finite(s.position, &start_span, "start.position")?;
        let position = rooms[start_room].centre + Vec2::new(px, pz);
        if !rooms[start_room].contains(position, 0.2) || !s.facing_deg.is_finite() {
            return Err(self.err(
                start_span,
                "start",
                "the start must be inside its room, 20 cm from the walls, with a finite facing_deg",
            ));
        }
        let mut house = House {
            rooms,
            openings: Vec::with_capacity(raw.openings.len()),
            start: Start {
                room: start_room,
                position,
                yaw_deg: s.facing_deg,
            },
        };
        for (i, spec) in raw.openings.iter().enumerate() {
            let opening = self.opening(i, spec, &house)?;
            house.openings.push(opening);
        }
        Ok(house)
    }

    fn opening(
        &self,
        i: usize,
        spec: &Spanned<OpeningSpec>,
        house: &House,
    ) -> Result<Opening, CatalogError> {
        let (span, o) = (spec.span(), spec.get_ref());
        let field = format!("openings[{i}]");
        let room = self.room_index(&house.rooms, &o.room, &format!("{field}.room"))?;
        let wall = match o.wall {
            WallSpec::North => Wall::North,
            WallSpec::South => Wall::South,
            WallSpec::East => Wall::East,
            WallSpec::West => Wall::West,
        };
        let kind = match (o.kind, &o.to) {
            (OpeningKindSpec::Doorway, Some(to)) => {
                let to_room = self.room_index(&house.rooms, to, &format!("{field}.to"))?;
                OpeningKind::Doorway { to: to_room }
            }
            (OpeningKindSpec::Doorway, None) => {
                return Err(self.err(
                    span,
                    format!("{field}.to"),
                    "a doorway needs `to`, the room on the other side",
                ));
            }
            (_, Some(to)) => {
                return Err(self.err(
                    to.span(),
                    format!("{field}.to"),
                    "only a doorway leads to another room",
                ));
            }
            (OpeningKindSpec::Window, None) => OpeningKind::Window,
            (OpeningKindSpec::Door, None) => OpeningKind::Door,
        };
        let [offset, width, sill, top] =
            self.finite([o.offset, o.width, o.sill, o.top], &span, &field)?;
        let r = &house.rooms[room];
        let half = r.wall_length(wall) * 0.5;
        let opening = Opening {
            kind,
            room,
            wall,
            x0: offset - width * 0.5,
            x1: offset + width * 0.5,
            y0: sill,
            y1: top,
        };
        // Casings (7 cm) must fit beside the opening on the wall.
        let fits = width >= 0.3
            && opening.x0 >= -half + 0.1
            && opening.x1 <= half - 0.1
            && sill >= 0.0
            && top - sill >= 0.3
            && top <= r.size.height - 0.1;
        if !fits {
            return Err(self.err(
                span,
                field,
                format!(
                    "the opening ({width} m wide, {sill} to {top} m high, centred {offset} m along the wall) does not fit its {} x {} m wall with 10 cm to spare",
                    2.0 * half,
                    r.size.height
                ),
            ));
        }
        if !matches!(kind, OpeningKind::Window) && sill != 0.0 {
            return Err(self.err(
                span,
                format!("{field}.sill"),
                "doors and doorways start at the floor (sill = 0)",
            ));
        }
        let across = house.neighbour(room, wall);
        match (kind, across) {
            (OpeningKind::Doorway { to }, Some((n, lo, hi)))
                if n == to && (opening.x0 < lo + 0.1 || opening.x1 > hi - 0.1) =>
            {
                return Err(self.err(
                    span,
                    field,
                    "the doorway must lie where the two rooms share the wall, 10 cm from its ends",
                ));
            }
            (OpeningKind::Doorway { to }, Some((n, _, _))) if n == to => {}
            (OpeningKind::Doorway { to }, _) => {
                return Err(self.err(
                    span,
                    format!("{field}.wall"),
                    format!(
                        "room {:?} is not across the {:?} wall of {:?}: joined rooms' interiors are {WALL_THICKNESS} m apart",
                        house.rooms[to].name, wall, r.name
                    ),
                ));
            }
            (_, Some((n, lo, hi))) if opening.x1 > lo && opening.x0 < hi => {
                return Err(self.err(
                    span,
                    format!("{field}.wall"),
                    format!(
                        "a window or door here would open into room {:?}: use a doorway",
                        house.rooms[n].name
                    ),
                ));
            }
            _ => {}
        }
        Ok(opening)
    }

    fn option(
        &self,
        i: usize,
        spec: &Spanned<OptionSpec>,
        house: &House,
    ) -> Result<OptionEntry, CatalogError> {
        let o = spec.get_ref();
        let field = format!("options[{i}]");
        let name = o.name.get_ref().trim().to_string();
        if name.is_empty() || name.len() > 64 {
            return Err(self.err(
                o.name.span(),
                format!("{field}.name"),
                "an option needs a name of 1 to 64 characters",
            ));
        }
        let items = o
            .items
            .iter()
            .enumerate()
            .map(|(k, item)| self.item(&format!("{field}.items[{k}]"), item, house))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(OptionEntry {
            name,
            place: self.place(spec.span(), field.clone()),
            items,
            finishes: self.finishes(&format!("{field}.finishes"), &o.finishes)?,
            lighting: self.lighting(&format!("{field}.lighting"), &o.lighting, house)?,
            ambience: self.ambience(&format!("{field}.ambience"), &o.ambience, house)?,
        })
    }

    /// A room-relative point, checked to lie inside the room (walls and floor to ceiling).
    fn point_in_room(
        &self,
        house: &House,
        room_name: &Spanned<String>,
        at: [f32; 3],
        span: &Range<usize>,
        field: &str,
    ) -> Result<(usize, Vec3), CatalogError> {
        let room = self.room_index(&house.rooms, room_name, &format!("{field}.room"))?;
        let at = Vec3::from(self.finite(at, span, &format!("{field}.at"))?);
        let r = &house.rooms[room];
        let p = Vec3::new(r.centre.x + at.x, at.y, r.centre.y + at.z);
        let inside = r.contains(Vec2::new(p.x, p.z), -1e-3)
            && (-1e-3..=r.size.height + 1e-3).contains(&at.y);
        if !inside {
            return Err(self.err(
                span.clone(),
                format!("{field}.at"),
                format!(
                    "[{}, {}, {}] is outside room {:?} ({} x {} x {} m, positions are from its floor centre)",
                    at.x, at.y, at.z, r.name, r.size.width, r.size.depth, r.size.height
                ),
            ));
        }
        Ok((room, p))
    }

    fn item(
        &self,
        field: &str,
        spec: &Spanned<ItemSpec>,
        house: &House,
    ) -> Result<ItemEntry, CatalogError> {
        let (span, it) = (spec.span(), spec.get_ref());
        let (room, position) = self.point_in_room(house, &it.room, it.at, &span, field)?;
        let model = self.model_path(&it.model, &format!("{field}.model"))?;
        let rotation = match (it.yaw_deg, it.rotation) {
            (Some(_), Some(_)) => {
                return Err(self.err(
                    span,
                    format!("{field}.rotation"),
                    "give yaw_deg or rotation, not both",
                ));
            }
            (Some(yaw), None) => {
                let [yaw] = self.finite([yaw], &span, &format!("{field}.yaw_deg"))?;
                Quat::from_rotation_y(yaw.to_radians())
            }
            (None, Some(q)) => {
                let q = Quat::from_array(self.finite(q, &span, &format!("{field}.rotation"))?);
                if (q.length() - 1.0).abs() > 0.01 {
                    return Err(self.err(
                        span,
                        format!("{field}.rotation"),
                        "a rotation is a unit quaternion [x, y, z, w]",
                    ));
                }
                q.normalize()
            }
            (None, None) => Quat::IDENTITY,
        };
        let scale = match it.scale {
            None => Vec3::ONE,
            Some(ScaleSpec::Uniform(s)) => Vec3::splat(s),
            Some(ScaleSpec::Axes(a)) => Vec3::from(a),
        };
        if !(scale.is_finite() && scale.min_element() >= 0.01 && scale.max_element() <= 100.0) {
            return Err(self.err(
                span,
                format!("{field}.scale"),
                "scale must be between 0.01 and 100",
            ));
        }
        let variant = it.variant.as_ref().map(|v| v.get_ref().clone());
        let variant_place = match &it.variant {
            Some(v) => self.place(v.span(), format!("{field}.variant")),
            None => self.place(span.clone(), field),
        };
        Ok(ItemEntry {
            model,
            room,
            transform: Mat4::from_scale_rotation_translation(scale, rotation, position),
            variant,
            place: self.place(span, field),
            model_place: self.place(it.model.span(), format!("{field}.model")),
            variant_place,
        })
    }

    /// A model path: relative, plain components, `.glb` or `.gltf`.
    fn model_path(&self, model: &Spanned<String>, field: &str) -> Result<PathBuf, CatalogError> {
        let path = PathBuf::from(model.get_ref());
        let plain = !model.get_ref().contains(':')
            && path.components().count() > 0
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        let gltf = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("glb" | "gltf")
        );
        if !plain || !gltf {
            return Err(self.err(
                model.span(),
                field,
                format!(
                    "{:?} must be a .glb or .gltf path relative to the catalog, inside its folder (no `..`, no absolute path, no scheme)",
                    model.get_ref()
                ),
            ));
        }
        Ok(path)
    }

    fn colour(&self, hex: &Spanned<String>, field: &str) -> Result<u32, CatalogError> {
        let text = hex.get_ref();
        text.strip_prefix('#')
            .filter(|h| h.len() == 6)
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| {
                self.err(
                    hex.span(),
                    field,
                    format!("{text:?} is not an sRGB colour like \"#D2B48C\""),
                )
            })
    }

    fn surface(&self, field: &str, spec: &Spanned<SurfaceSpec>) -> Result<Material, CatalogError> {
        let (span, s) = (spec.span(), spec.get_ref());
        let hex = self.colour(&s.color, &format!("{field}.color"))?;
        let [roughness, metallic] = self.finite([s.roughness, s.metallic], &span, field)?;
        if !((0.0..=1.0).contains(&roughness) && (0.0..=1.0).contains(&metallic)) {
            return Err(self.err(span, field, "roughness and metallic are 0 to 1"));
        }
        let mut m = Material::srgb(hex, roughness).with_pattern(match s.pattern {
            PatternSpec::Plain => Pattern::Plain,
            PatternSpec::Planks => Pattern::Planks,
            PatternSpec::Tiles => Pattern::Tiles,
            PatternSpec::Stripes => Pattern::Stripes,
        });
        m.metallic = metallic;
        Ok(m)
    }

    fn finishes(&self, field: &str, f: &FinishesSpec) -> Result<Finishes, CatalogError> {
        let bare = Finishes::bare();
        let optional = |spec: &Option<Spanned<SurfaceSpec>>, name: &str, default: Material| {
            spec.as_ref()
                .map_or(Ok(default), |s| self.surface(&format!("{field}.{name}"), s))
        };
        Ok(Finishes {
            walls: self.surface(&format!("{field}.walls"), &f.walls)?,
            floor: self.surface(&format!("{field}.floor"), &f.floor)?,
            ceiling: self.surface(&format!("{field}.ceiling"), &f.ceiling)?,
            trim: optional(&f.trim, "trim", bare.trim)?,
            door: optional(&f.door, "door", bare.door)?,
        })
    }

    /// A linear colour times an intensity, from sRGB hex.
    fn glow(
        &self,
        field: &str,
        color: &Spanned<String>,
        intensity: f32,
        span: &Range<usize>,
    ) -> Result<Vec3, CatalogError> {
        let [r, g, b, _] =
            Material::srgb(self.colour(color, &format!("{field}.color"))?, 1.0).base_color;
        let linear = Vec3::new(r, g, b);
        let [intensity] = self.finite([intensity], span, &format!("{field}.intensity"))?;
        if !(0.0..=1000.0).contains(&intensity) {
            return Err(self.err(
                span.clone(),
                format!("{field}.intensity"),
                "intensity is 0 to 1000",
            ));
        }
        Ok(linear * intensity)
    }

    fn lighting(
        &self,
        field: &str,
        l: &LightingSpec,
        house: &House,
    ) -> Result<LightingPreset, CatalogError> {
        let sky = l.sky.get_ref();
        let ground = l.ground.get_ref();
        let sun = match &l.sun {
            None => None,
            Some(s) => {
                let (span, s) = (s.span(), s.get_ref());
                let towards =
                    Vec3::from(self.finite(s.towards, &span, &format!("{field}.sun.towards"))?);
                if towards.y <= 0.0 {
                    return Err(self.err(
                        span,
                        format!("{field}.sun.towards"),
                        "the sun must be above the horizon (towards.y > 0)",
                    ));
                }
                Some(DirectionalLight {
                    towards: towards.normalize(),
                    color: self.glow(&format!("{field}.sun"), &s.color, s.intensity, &span)?,
                })
            }
        };
        let mut points = Vec::with_capacity(l.lights.len());
        let mut spots = Vec::new();
        for (k, light) in l.lights.iter().enumerate() {
            let (span, p) = (light.span(), light.get_ref());
            let f = format!("{field}.lights[{k}]");
            let (_, position) = self.point_in_room(house, &p.room, p.at, &span, &f)?;
            let [range] = self.finite([p.range], &span, &format!("{f}.range"))?;
            if !(0.1..=100.0).contains(&range) {
                return Err(self.err(span, format!("{f}.range"), "range is 0.1 to 100 m"));
            }
            let color = self.glow(&f, &p.color, p.intensity, &span)?;
            match (p.kind, p.direction, p.cone_deg) {
                (LightKindSpec::Point, None, None) => points.push(PointLight {
                    position,
                    color,
                    range,
                }),
                (LightKindSpec::Spot, Some(direction), Some(cone)) => {
                    let [dx, dy, dz, cone] =
                        self.finite([direction[0], direction[1], direction[2], cone], &span, &f)?;
                    let direction = Vec3::new(dx, dy, dz);
                    if direction.length() < 1e-3 || !(1.0..=89.0).contains(&cone) {
                        return Err(self.err(
                            span,
                            f,
                            "a spot needs a non-zero direction and cone_deg of 1 to 89",
                        ));
                    }
                    let outer = cone.to_radians();
                    spots.push(SpotLight {
                        position,
                        direction: direction.normalize(),
                        color,
                        range,
                        inner_cone: outer * 0.8,
                        outer_cone: outer,
                    });
                }
                (LightKindSpec::Point, _, _) => {
                    return Err(self.err(
                        span,
                        f,
                        "direction and cone_deg are for kind = \"spot\"",
                    ));
                }
                (LightKindSpec::Spot, _, _) => {
                    return Err(self.err(span, f, "a spot needs direction and cone_deg"));
                }
            }
        }
        let [exposure] = self.finite([l.exposure], &l.sky.span(), &format!("{field}.exposure"))?;
        if !(0.05..=20.0).contains(&exposure) {
            return Err(self.err(
                l.sky.span(),
                format!("{field}.exposure"),
                "exposure is 0.05 to 20",
            ));
        }
        Ok(LightingPreset {
            sky_ambient: self.glow(
                &format!("{field}.sky"),
                &sky.color,
                sky.intensity,
                &l.sky.span(),
            )?,
            ground_ambient: self.glow(
                &format!("{field}.ground"),
                &ground.color,
                ground.intensity,
                &l.ground.span(),
            )?,
            sun,
            points,
            spots,
            exposure,
            aperture: None,
        })
    }

    fn ambience(
        &self,
        field: &str,
        spec: &Spanned<AmbienceSpec>,
        house: &House,
    ) -> Result<AmbienceSource, CatalogError> {
        let (span, a) = (spec.span(), spec.get_ref());
        let ambience = ambience_named(a.sound.get_ref()).ok_or_else(|| {
            self.err(
                a.sound.span(),
                format!("{field}.sound"),
                format!(
                    "unknown ambience {:?} (has: {})",
                    a.sound.get_ref(),
                    ambience_names().join(", ")
                ),
            )
        })?;
        let (_, position) = self.point_in_room(house, &a.room, a.at, &span, field)?;
        Ok(AmbienceSource { ambience, position })
    }
}

/// The catalog's name of an ambience: its report name without `ambience:`.
fn catalog_name(a: Ambience) -> &'static str {
    let name = a.name();
    name.strip_prefix("ambience:").unwrap_or(name)
}

/// The ambience a catalog names (`rain`, `fireplace`, ...).
pub fn ambience_named(name: &str) -> Option<Ambience> {
    ALL_AMBIENCES.into_iter().find(|&a| catalog_name(a) == name)
}

/// Every ambience name a catalog may use.
pub fn ambience_names() -> Vec<&'static str> {
    ALL_AMBIENCES.into_iter().map(catalog_name).collect()
}
