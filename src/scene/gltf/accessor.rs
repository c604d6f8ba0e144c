//! Reading accessors with every byte range and count checked against the buffer it
//! points into before anything is allocated or sliced.
//!
//! Works on the `gltf-json` structures (with `Root::get`, which returns `None` instead
//! of panicking), not on the `gltf` crate's readers: those trust counts and strides
//! (the corpus shows a 10^12 count accepted) and `unreachable!()` on odd index types.

use super::error::Problem;
use super::limits::LoadLimits;
use ::gltf::json;
use json::accessor::{ComponentType, Type};
use json::validation::Checked;
use std::borrow::Cow;

/// The model's buffers, each cut to its declared `byteLength`.
pub(crate) struct Buffers<'a> {
    pub(crate) data: Vec<Cow<'a, [u8]>>,
}

/// What kinds of component an attribute may be stored as.
#[derive(Clone, Copy)]
pub(crate) enum Storage {
    /// 32-bit float only (POSITION, NORMAL, TANGENT in core glTF).
    Float,
    /// Float, or normalized unsigned byte/short (TEXCOORD_n, COLOR_n, WEIGHTS_n).
    FloatOrUnorm,
    /// Unsigned byte/short integers (JOINTS_n).
    UnsignedInt,
}

fn component_size(c: ComponentType) -> usize {
    match c {
        ComponentType::I8 | ComponentType::U8 => 1,
        ComponentType::I16 | ComponentType::U16 => 2,
        ComponentType::U32 | ComponentType::F32 => 4,
    }
}

fn dimensions(t: Type) -> usize {
    match t {
        Type::Scalar => 1,
        Type::Vec2 => 2,
        Type::Vec3 => 3,
        Type::Vec4 | Type::Mat2 => 4,
        Type::Mat3 => 9,
        Type::Mat4 => 16,
    }
}

/// Bytes of one element; matrix columns of 1- and 2-byte components are padded to
/// 4-byte boundaries (glTF 2.0, 3.6.2.4 "Data Alignment").
fn element_size(t: Type, c: ComponentType) -> usize {
    let csize = component_size(c);
    match (t, csize) {
        (Type::Mat2, 1) => 8,
        (Type::Mat3, 1) => 12,
        (Type::Mat3, 2) => 24,
        _ => csize * dimensions(t),
    }
}

fn type_name(t: Type) -> &'static str {
    match t {
        Type::Scalar => "SCALAR",
        Type::Vec2 => "VEC2",
        Type::Vec3 => "VEC3",
        Type::Vec4 => "VEC4",
        Type::Mat2 => "MAT2",
        Type::Mat3 => "MAT3",
        Type::Mat4 => "MAT4",
    }
}

/// Reads one component as f32, applying the spec's normalisation rules.
fn read_float(bytes: &[u8], c: ComponentType, normalized: bool) -> f32 {
    let b = |n: usize| bytes.get(n).copied().unwrap_or(0);
    let u16v = || u16::from_le_bytes([b(0), b(1)]);
    match (c, normalized) {
        (ComponentType::F32, _) => f32::from_le_bytes([b(0), b(1), b(2), b(3)]),
        (ComponentType::U8, true) => f32::from(b(0)) / 255.0,
        (ComponentType::U16, true) => f32::from(u16v()) / 65535.0,
        (ComponentType::I8, true) => (f32::from(b(0) as i8) / 127.0).max(-1.0),
        (ComponentType::I16, true) => (f32::from(u16v() as i16) / 32767.0).max(-1.0),
        (ComponentType::U8, false) => f32::from(b(0)),
        (ComponentType::U16, false) => f32::from(u16v()),
        (ComponentType::I8, false) => f32::from(b(0) as i8),
        (ComponentType::I16, false) => f32::from(u16v() as i16),
        (ComponentType::U32, _) => u32::from_le_bytes([b(0), b(1), b(2), b(3)]) as f32,
    }
}

/// Reads one unsigned integer component (indices, sparse indices).
fn read_uint(bytes: &[u8], c: ComponentType) -> u32 {
    let b = |n: usize| bytes.get(n).copied().unwrap_or(0);
    match c {
        ComponentType::U8 | ComponentType::I8 => u32::from(b(0)),
        ComponentType::U16 | ComponentType::I16 => u32::from(u16::from_le_bytes([b(0), b(1)])),
        ComponentType::U32 | ComponentType::F32 => u32::from_le_bytes([b(0), b(1), b(2), b(3)]),
    }
}

/// The bytes of `bufferViews[view]`, checked against its buffer.
fn view_bytes<'b>(
    root: &json::Root,
    buffers: &'b Buffers<'_>,
    view: json::Index<json::buffer::View>,
) -> Result<(&'b [u8], Option<usize>), Problem> {
    let v = root.get(view).ok_or_else(|| {
        Problem::OutOfBounds(format!("bufferViews[{}] does not exist", view.value()))
    })?;
    let buffer = buffers.data.get(v.buffer.value()).ok_or_else(|| {
        Problem::OutOfBounds(format!("buffers[{}] does not exist", v.buffer.value()))
    })?;
    let offset = v.byte_offset.map_or(0, |o| o.0);
    let length = v.byte_length.0;
    let end = offset
        .checked_add(length)
        .filter(|&e| e <= buffer.len() as u64);
    let Some(end) = end else {
        return Err(Problem::OutOfBounds(format!(
            "bufferViews[{}] covers bytes {offset}..{offset}+{length} of buffers[{}], which has {} bytes",
            view.value(),
            v.buffer.value(),
            buffer.len()
        )));
    };
    let stride = v.byte_stride.map(|s| s.0).filter(|&s| s != 0);
    Ok((&buffer[offset as usize..end as usize], stride))
}

/// Checks that `count` elements of `elem` bytes, `stride` apart from `offset`, fit `len`.
fn check_fits(
    what: &str,
    offset: u64,
    count: u64,
    stride: u64,
    elem: u64,
    len: u64,
) -> Result<(), Problem> {
    if count == 0 {
        return Ok(());
    }
    let need = (count - 1)
        .checked_mul(stride)
        .and_then(|n| n.checked_add(elem))
        .and_then(|n| n.checked_add(offset));
    match need {
        Some(need) if need <= len => Ok(()),
        _ => Err(Problem::OutOfBounds(format!(
            "{what}: {count} elements of {elem} bytes, {stride} apart from byte {offset}, do not fit the {len}-byte bufferView"
        ))),
    }
}

/// Reads accessors of one model.
pub(crate) struct AccessorReader<'a> {
    pub(crate) root: &'a json::Root,
    pub(crate) buffers: &'a Buffers<'a>,
    pub(crate) limits: &'a LoadLimits,
}

impl AccessorReader<'_> {
    fn accessor(&self, index: usize) -> Result<&json::Accessor, Problem> {
        self.root
            .accessors
            .get(index)
            .ok_or_else(|| Problem::OutOfBounds(format!("accessors[{index}] does not exist")))
    }

    /// Checks every bufferView and every accessor against the buffers, without reading
    /// any: a bad range is an error even where nothing draws from it.
    pub(crate) fn check_all(&self) -> Result<(), (String, Problem)> {
        for i in 0..self.root.buffer_views.len() {
            view_bytes(self.root, self.buffers, json::Index::new(i as u32))
                .map_err(|p| (format!("bufferViews[{i}]"), p))?;
        }
        for (i, a) in self.root.accessors.iter().enumerate() {
            let place = || format!("accessors[{i}]");
            let count = self.count(i).map_err(|p| (place(), p))?;
            let (Checked::Valid(c), Checked::Valid(t), Some(view)) =
                (a.component_type, a.type_, a.buffer_view)
            else {
                continue;
            };
            let elem = element_size(t, c.0);
            let (bytes, stride) =
                view_bytes(self.root, self.buffers, view).map_err(|p| (place(), p))?;
            let stride = stride.unwrap_or(elem).max(elem);
            let offset = a.byte_offset.map_or(0, |o| o.0);
            check_fits(
                &place(),
                offset,
                count as u64,
                stride as u64,
                elem as u64,
                bytes.len() as u64,
            )
            .map_err(|p| (place(), p))?;
        }
        Ok(())
    }

    /// Element count of `accessors[index]`, checked against the limits.
    pub(crate) fn count(&self, index: usize) -> Result<usize, Problem> {
        let count = self.accessor(index)?.count.0;
        if count > self.limits.max_accessor_count {
            return Err(Problem::OverLimit {
                what: "accessor element count",
                value: count,
                limit: self.limits.max_accessor_count,
                field: "max_accessor_count",
            });
        }
        Ok(count as usize)
    }

    /// Reads every element of `accessors[index]` as `N` components, each decoded by
    /// `decode`, applying sparse substitution. Checks every range first.
    fn read<T: Copy + Default, const N: usize>(
        &self,
        index: usize,
        decode: impl Fn(&[u8], ComponentType, bool) -> T,
    ) -> Result<Vec<[T; N]>, Problem> {
        let a = self.accessor(index)?;
        let count = self.count(index)?;
        let (Checked::Valid(component), Checked::Valid(kind)) = (a.component_type, a.type_) else {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] has an invalid componentType or type"
            )));
        };
        if dimensions(kind) != N {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] is {}, expected {N} components",
                type_name(kind)
            )));
        }
        let component = component.0;
        let csize = component_size(component);
        let elem = csize * N;
        let mut out: Vec<[T; N]> = Vec::new();
        if let Some(view) = a.buffer_view {
            let (bytes, stride) = view_bytes(self.root, self.buffers, view)?;
            let stride = stride.unwrap_or(elem);
            if stride < elem {
                return Err(Problem::Invalid(format!(
                    "accessors[{index}]: byteStride {stride} is smaller than one {}-byte element",
                    elem
                )));
            }
            let offset = a.byte_offset.map_or(0, |o| o.0);
            check_fits(
                &format!("accessors[{index}]"),
                offset,
                count as u64,
                stride as u64,
                elem as u64,
                bytes.len() as u64,
            )?;
            out.reserve_exact(count);
            let base = offset as usize;
            for i in 0..count {
                let at = base + i * stride;
                let mut v = [T::default(); N];
                for (k, slot) in v.iter_mut().enumerate() {
                    let from = at + k * csize;
                    *slot = decode(&bytes[from..from + csize], component, a.normalized);
                }
                out.push(v);
            }
        } else {
            // The spec: an accessor without a bufferView is all zeros (sparse may override).
            out.resize(count, [T::default(); N]);
        }
        if let Some(sparse) = &a.sparse {
            self.apply_sparse(index, sparse, component, a.normalized, &mut out, &decode)?;
        }
        Ok(out)
    }

    fn apply_sparse<T: Copy + Default, const N: usize>(
        &self,
        index: usize,
        sparse: &json::accessor::sparse::Sparse,
        component: ComponentType,
        normalized: bool,
        out: &mut [[T; N]],
        decode: &impl Fn(&[u8], ComponentType, bool) -> T,
    ) -> Result<(), Problem> {
        let place = format!("accessors[{index}].sparse");
        let n = sparse.count.0;
        if n > out.len() as u64 {
            return Err(Problem::OutOfBounds(format!(
                "{place}: count {n} is more than the accessor's {} elements",
                out.len()
            )));
        }
        let Checked::Valid(itype) = sparse.indices.component_type else {
            return Err(Problem::Invalid(format!(
                "{place}.indices has an invalid componentType"
            )));
        };
        let itype = itype.0;
        if !matches!(
            itype,
            ComponentType::U8 | ComponentType::U16 | ComponentType::U32
        ) {
            return Err(Problem::Invalid(format!(
                "{place}.indices must be unsigned integers"
            )));
        }
        let isize = component_size(itype);
        let (ibytes, _) = view_bytes(self.root, self.buffers, sparse.indices.buffer_view)?;
        let ioff = sparse.indices.byte_offset.0;
        check_fits(
            &format!("{place}.indices"),
            ioff,
            n,
            isize as u64,
            isize as u64,
            ibytes.len() as u64,
        )?;
        let csize = component_size(component);
        let elem = csize * N;
        let (vbytes, _) = view_bytes(self.root, self.buffers, sparse.values.buffer_view)?;
        let voff = sparse.values.byte_offset.0;
        check_fits(
            &format!("{place}.values"),
            voff,
            n,
            elem as u64,
            elem as u64,
            vbytes.len() as u64,
        )?;
        for i in 0..n as usize {
            let at = ioff as usize + i * isize;
            let target = read_uint(&ibytes[at..at + isize], itype) as usize;
            let slot = out.get_mut(target).ok_or_else(|| {
                Problem::OutOfBounds(format!(
                    "{place}.indices[{i}] = {target} is past the accessor's end"
                ))
            })?;
            let vat = voff as usize + i * elem;
            for (k, c) in slot.iter_mut().enumerate() {
                let from = vat + k * csize;
                *c = decode(&vbytes[from..from + csize], component, normalized);
            }
        }
        Ok(())
    }

    /// Checks type and component type of `accessors[index]` for an attribute.
    fn check_format(&self, index: usize, dims: &[Type], storage: Storage) -> Result<(), Problem> {
        let a = self.accessor(index)?;
        let (Checked::Valid(component), Checked::Valid(kind)) = (a.component_type, a.type_) else {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] has an invalid componentType or type"
            )));
        };
        if !dims.contains(&kind) {
            let want: Vec<_> = dims.iter().map(|&t| type_name(t)).collect();
            return Err(Problem::Invalid(format!(
                "accessors[{index}] is {}, expected {}",
                type_name(kind),
                want.join(" or ")
            )));
        }
        let ok = match (storage, component.0) {
            (Storage::Float | Storage::FloatOrUnorm, ComponentType::F32) => true,
            (Storage::UnsignedInt, ComponentType::F32) => false,
            (Storage::UnsignedInt, ComponentType::U8 | ComponentType::U16) => !a.normalized,
            (Storage::FloatOrUnorm, ComponentType::U8 | ComponentType::U16) => a.normalized,
            _ => false,
        };
        if !ok {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] stores {:?}{} components, which core glTF does not allow here (quantized data needs KHR_mesh_quantization)",
                component.0,
                if a.normalized { " normalized" } else { "" }
            )));
        }
        Ok(())
    }

    /// Reads a float attribute of `N` components; a VEC3 read as `N = 4` gets w = 1.
    pub(crate) fn read_floats<const N: usize>(
        &self,
        index: usize,
        dims: &[Type],
        storage: Storage,
    ) -> Result<Vec<[f32; N]>, Problem> {
        self.check_format(index, dims, storage)?;
        let kind = match self.accessor(index)?.type_ {
            Checked::Valid(k) => k,
            Checked::Invalid => {
                return Err(Problem::Invalid(format!(
                    "accessors[{index}] has an invalid type"
                )));
            }
        };
        let values: Vec<[f32; N]> = if dimensions(kind) == 3 && N == 4 {
            self.read::<f32, 3>(index, read_float)?
                .into_iter()
                .map(|v| {
                    let mut out = [1.0; N];
                    out[..3].copy_from_slice(&v);
                    out
                })
                .collect()
        } else {
            self.read::<f32, N>(index, read_float)?
        };
        if let Some(at) = values.iter().position(|v| v.iter().any(|c| !c.is_finite())) {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] element {at} is not a finite number (NaN or infinity)"
            )));
        }
        Ok(values)
    }

    /// Reads an index accessor (unsigned byte, short or int scalars).
    pub(crate) fn read_indices(&self, index: usize) -> Result<Vec<u32>, Problem> {
        let a = self.accessor(index)?;
        let ok = matches!(
            (a.component_type, a.type_),
            (
                Checked::Valid(json::accessor::GenericComponentType(
                    ComponentType::U8 | ComponentType::U16 | ComponentType::U32
                )),
                Checked::Valid(Type::Scalar)
            )
        );
        if !ok {
            return Err(Problem::Invalid(format!(
                "accessors[{index}] used as indices must be SCALAR unsigned byte, short or int"
            )));
        }
        Ok(self
            .read::<u32, 1>(index, |b, c, _| read_uint(b, c))?
            .into_iter()
            .map(|[i]| i)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_integers_follow_the_spec() {
        assert_eq!(read_float(&[255], ComponentType::U8, true), 1.0);
        assert_eq!(read_float(&[0x80], ComponentType::I8, true), -1.0);
        assert_eq!(read_float(&[0xFF, 0xFF], ComponentType::U16, true), 1.0);
        assert_eq!(
            read_float(&1.5f32.to_le_bytes(), ComponentType::F32, false),
            1.5
        );
    }

    #[test]
    fn ranges_that_wrap_or_overrun_are_refused() {
        assert!(check_fits("a", 0, 3, 12, 12, 36).is_ok());
        assert!(check_fits("a", 4, 3, 12, 12, 36).is_err());
        assert!(check_fits("a", 0, 1_000_000_000_000, 12, 12, 36).is_err());
        assert!(check_fits("a", u64::MAX - 4, 2, u64::MAX, 12, 36).is_err());
        assert!(check_fits("a", 0, 0, 12, 12, 0).is_ok());
    }
}
