//! Every row of the shared glTF corpus manifest meets its expectation, and the project's
//! own hostile cases (generated here, so a clone without ../shared still tests them)
//! are refused cleanly. Each load runs `roomwave check` in a child process under an
//! address-space limit and a timeout, so a blow-up or a hang fails the test instead of
//! taking it down.

use serde_json::json;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space for one child: a 4 GiB allocation from a lying header dies here.
const ADDRESS_SPACE_LIMIT: u64 = 1 << 30;
/// Peak resident memory allowed for any one file ("a few hundred MB" at most).
const PEAK_RSS_LIMIT_KB: i64 = 400 * 1024;
/// A debug build loads the largest corpus file (SheenChair, 7 textures) in about 2 s.
const TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Debug)]
struct Outcome {
    /// Exit code; `None` when killed by a signal or the timeout.
    code: Option<i32>,
    stdout: String,
    stderr: String,
    peak_rss_kb: i64,
    seconds: f64,
    timed_out: bool,
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("roomwave-gltf-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `roomwave check path` with the limits and collects what happened.
// The child is reaped by `wait4` (not `Child::wait`), which also reports its peak RSS.
#[allow(clippy::zombie_processes)]
fn check(path: &Path, logs: &Path) -> Outcome {
    let out = logs.join("stdout");
    let err = logs.join("stderr");
    let mut command = Command::new(env!("CARGO_BIN_EXE_roomwave"));
    command
        .arg("check")
        .arg(path)
        .env("ROOMWAVE_LOG", "info")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"));
    // SAFETY: setrlimit is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: ADDRESS_SPACE_LIMIT,
                rlim_max: ADDRESS_SPACE_LIMIT,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let started = Instant::now();
    let mut child = command.spawn().expect("spawn roomwave");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut timed_out = false;
    loop {
        // SAFETY: plain syscall on our own child's pid with valid out-pointers.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if r == pid {
            break;
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if started.elapsed() > TIMEOUT {
            timed_out = true;
            let _ = child.kill();
            // SAFETY: as above, blocking until the killed child is reaped.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let code = (!timed_out && libc::WIFEXITED(status)).then(|| libc::WEXITSTATUS(status));
    Outcome {
        code,
        stdout: std::fs::read_to_string(out).unwrap_or_default(),
        stderr: std::fs::read_to_string(err).unwrap_or_default(),
        peak_rss_kb: usage.ru_maxrss,
        seconds: started.elapsed().as_secs_f64(),
        timed_out,
    }
}

/// What every load must satisfy, whatever its expectation.
fn assert_contained(name: &str, o: &Outcome) {
    assert!(!o.timed_out, "{name}: still running after {TIMEOUT:?}");
    assert!(
        o.code.is_some(),
        "{name}: killed by a signal (status), stderr:\n{}",
        o.stderr
    );
    assert!(
        !o.stderr.contains("panicked"),
        "{name}: a panic reached the user:\n{}",
        o.stderr
    );
    assert!(
        o.peak_rss_kb < PEAK_RSS_LIMIT_KB,
        "{name}: peak RSS {} MB is over {} MB",
        o.peak_rss_kb / 1024,
        PEAK_RSS_LIMIT_KB / 1024
    );
}

/// A loaded model: exit 0 and a summary with triangles.
fn assert_loaded(name: &str, o: &Outcome) -> u64 {
    assert_eq!(
        o.code,
        Some(0),
        "{name}: expected a load, stderr:\n{}",
        o.stderr
    );
    let triangles = o
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("triangles:"))
        .and_then(|t| t.trim().parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{name}: no triangle count in:\n{}", o.stdout));
    for field in [
        "meshes:",
        "materials:",
        "textures:",
        "variants:",
        "lights:",
        "bounds:",
        "warnings:",
    ] {
        assert!(
            o.stdout.contains(field),
            "{name}: summary lacks {field}:\n{}",
            o.stdout
        );
    }
    triangles
}

/// A clear error: exit 1 and one line naming the file, a place and the problem.
fn assert_clear_error(name: &str, path: &Path, o: &Outcome, must_name: &[&str]) {
    assert_eq!(
        o.code,
        Some(1),
        "{name}: expected exit 1, got {:?}; stdout:\n{}\nstderr:\n{}",
        o.code,
        o.stdout,
        o.stderr
    );
    let line = o
        .stderr
        .lines()
        .find(|l| l.starts_with("roomwave check: error: "))
        .unwrap_or_else(|| panic!("{name}: no error line in:\n{}", o.stderr));
    let rest = line
        .strip_prefix(&format!("roomwave check: error: {}: ", path.display()))
        .unwrap_or_else(|| panic!("{name}: the error does not start with the file: {line}"));
    let (place, problem) = rest
        .split_once(": ")
        .unwrap_or_else(|| panic!("{name}: no place in: {line}"));
    assert!(
        !place.is_empty() && problem.len() > 8,
        "{name}: place or problem missing: {line}"
    );
    for word in must_name {
        assert!(
            line.contains(word),
            "{name}: the error should name {word:?}: {line}"
        );
    }
}

/// What the error must name, for rows where the manifest names the cause.
fn required_words(path: &str) -> &'static [&'static str] {
    const TABLE: &[(&str, &[&str])] = &[
        ("glTF-Draco/", &["KHR_draco_mesh_compression"]),
        ("glTF-KTX-BasisU/", &["KHR_texture_basisu"]),
        ("glTF-Quantized/", &["KHR_mesh_quantization"]),
        ("glb_header_length_4GiB", &["GLB header", "4294967295"]),
        ("glb_json_chunk_length_4GiB", &["runs past the end"]),
        (
            "accessor_count_1e12",
            &["1000000000000", "max_accessor_count"],
        ),
        ("buffer_bytelength_2pow53", &["max_total_buffer_bytes"]),
        (
            "bufferview_offset_overflow_u32",
            &["bufferViews[0]", "out of bounds"],
        ),
        ("node_self_cycle", &["cycle"]),
        ("node/node_loop.gltf", &["cycle"]),
        ("unknown_required_extension", &["EXT_corpus_does_not_exist"]),
        ("uri_path_traversal", &["refused URI", ".."]),
        ("non_relative_uri", &["refused URI"]),
        ("index_buffer_oob", &["accessors[1]"]),
        ("1_0_version", &["asset.version"]),
    ];
    TABLE
        .iter()
        .find(|(k, _)| path.contains(k))
        .map_or(&[], |(_, w)| w)
}

#[test]
fn corpus_manifest_rows_meet_their_expectations() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/gltf-corpus");
    let manifest = corpus.join("MANIFEST.tsv");
    if !manifest.exists() {
        println!(
            "{} is absent (a clone without ../shared): ran only the project's own cases (own_hostile_cases_are_refused_cleanly)",
            corpus.display()
        );
        return;
    }
    let text = std::fs::read_to_string(&manifest).expect("manifest");
    let logs = scratch("corpus");
    let mut rows = 0;
    let mut slowest = (0.0f64, String::new());
    let mut largest = (0i64, String::new());
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() >= 6,
            "manifest row with {} columns: {line}",
            cols.len()
        );
        let (rel, expectation, notes) = (cols[0], cols[4], cols[5]);
        let path = corpus.join(rel);
        let o = check(&path, &logs);
        assert_contained(rel, &o);
        match expectation {
            "load+render" => {
                let triangles = assert_loaded(rel, &o);
                assert!(triangles > 0, "{rel}: nothing to draw");
                assert!(
                    !o.stdout.contains("placeholder"),
                    "{rel}: a valid file fell back:\n{}",
                    o.stdout
                );
            }
            "clear error"
                if o.code == Some(0) && notes.contains("placeholder texture is acceptable") =>
            {
                assert_loaded(rel, &o);
                assert!(
                    o.stdout.contains("placeholder used"),
                    "{rel}: loaded without the warning:\n{}",
                    o.stdout
                );
            }
            "clear error" => assert_clear_error(rel, &path, &o, required_words(rel)),
            e if e.starts_with("no crash") => {
                if o.code == Some(0) {
                    assert_loaded(rel, &o);
                } else {
                    assert_clear_error(rel, &path, &o, &[]);
                }
            }
            other => panic!("{rel}: unknown expectation {other:?}"),
        }
        if o.seconds > slowest.0 {
            slowest = (o.seconds, rel.to_string());
        }
        if o.peak_rss_kb > largest.0 {
            largest = (o.peak_rss_kb, rel.to_string());
        }
        rows += 1;
    }
    assert!(rows >= 90, "only {rows} manifest rows ran");
    println!(
        "{rows} corpus rows met their expectations; slowest {:.2} s ({}), largest peak RSS {} MB ({})",
        slowest.0,
        slowest.1,
        largest.0 / 1024,
        largest.1
    );
    let _ = std::fs::remove_dir_all(&logs);
}

/// One triangle: 3 float positions (36 bytes) then 3 u16 indices (6 bytes, 2 padding).
fn triangle_bin() -> Vec<u8> {
    let mut bin = Vec::new();
    for v in [[0.0f32, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]] {
        for c in v {
            bin.extend_from_slice(&c.to_le_bytes());
        }
    }
    for i in [0u16, 1, 2] {
        bin.extend_from_slice(&i.to_le_bytes());
    }
    bin.extend_from_slice(&[0, 0]);
    bin
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A valid one-triangle glTF whose buffer lives at `uri`.
fn triangle_gltf(uri: &str) -> serde_json::Value {
    json!({
        "asset": {"version": "2.0"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}, "indices": 1}]}],
        "buffers": [{"uri": uri, "byteLength": 44}],
        "bufferViews": [
            {"buffer": 0, "byteOffset": 0, "byteLength": 36},
            {"buffer": 0, "byteOffset": 36, "byteLength": 6}
        ],
        "accessors": [
            {"bufferView": 0, "componentType": 5126, "count": 3, "type": "VEC3",
             "min": [0.0, 0.0, 0.0], "max": [1.0, 1.0, 0.0]},
            {"bufferView": 1, "componentType": 5123, "count": 3, "type": "SCALAR"}
        ]
    })
}

fn glb(json: &serde_json::Value, bin: &[u8]) -> Vec<u8> {
    let mut j = serde_json::to_vec(json).expect("json");
    while !j.len().is_multiple_of(4) {
        j.push(b' ');
    }
    let mut out = Vec::new();
    out.extend_from_slice(b"glTF");
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&((12 + 8 + j.len() + 8 + bin.len()) as u32).to_le_bytes());
    out.extend_from_slice(&(j.len() as u32).to_le_bytes());
    out.extend_from_slice(b"JSON");
    out.extend_from_slice(&j);
    out.extend_from_slice(&(bin.len() as u32).to_le_bytes());
    out.extend_from_slice(b"BIN\0");
    out.extend_from_slice(bin);
    out
}

#[test]
fn own_hostile_cases_are_refused_cleanly() {
    let dir = scratch("own");
    let logs = scratch("own-logs");
    let data_uri = format!(
        "data:application/octet-stream;base64,{}",
        base64(&triangle_bin())
    );
    let write_json = |name: &str, value: &serde_json::Value| {
        let path = dir.join(name);
        std::fs::write(&path, serde_json::to_vec(value).expect("json")).expect("write");
        path
    };
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
        path
    };

    // Controls: the same triangle loads as .gltf with a data: URI, with a .bin, and as .glb,
    // so the refusals below come from what each case breaks and nothing else.
    let valid = write_json("triangle.gltf", &triangle_gltf(&data_uri));
    write("triangle.bin", &triangle_bin());
    let external = write_json("external.gltf", &triangle_gltf("triangle.bin"));
    let mut glb_json = triangle_gltf("unused");
    glb_json["buffers"][0]
        .as_object_mut()
        .expect("object")
        .remove("uri");
    let valid_glb_bytes = glb(&glb_json, &triangle_bin());
    let valid_glb = write("triangle.glb", &valid_glb_bytes);
    for path in [&valid, &external, &valid_glb] {
        let o = check(path, &logs);
        assert_contained("control", &o);
        assert_eq!(assert_loaded(&path.display().to_string(), &o), 1);
    }

    let mut cases: Vec<(&str, PathBuf, Vec<&str>)> = Vec::new();
    let half = valid_glb_bytes.len() / 2;
    cases.push((
        "truncated GLB",
        write("truncated.glb", &valid_glb_bytes[..half]),
        vec!["GLB header"],
    ));
    let mut lying_chunk = valid_glb_bytes.clone();
    lying_chunk[12..16].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    cases.push((
        "lying chunk length",
        write("lying_chunk.glb", &lying_chunk),
        vec!["GLB chunk 0", "runs past the end"],
    ));
    let mut lying_header = valid_glb_bytes.clone();
    lying_header[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    cases.push((
        "lying header length",
        write("lying_header.glb", &lying_header),
        vec!["GLB header"],
    ));
    cases.push((
        "../ URI",
        write_json("escape.gltf", &triangle_gltf("../triangle.bin")),
        vec!["buffers[0].uri", "refused URI"],
    ));
    cases.push((
        "file:// URI",
        write_json("file_uri.gltf", &triangle_gltf("file:///etc/hostname")),
        vec!["refused URI"],
    ));
    let outside = scratch("outside");
    std::fs::write(outside.join("secret.bin"), triangle_bin()).expect("write");
    std::os::unix::fs::symlink(outside.join("secret.bin"), dir.join("link.bin")).expect("symlink");
    cases.push((
        "symlink out of the folder",
        write_json("link.gltf", &triangle_gltf("link.bin")),
        vec!["refused URI", "through a link"],
    ));
    let mut cycle = triangle_gltf(&data_uri);
    cycle["nodes"] = json!([{"mesh": 0, "children": [1]}, {"children": [0]}]);
    cases.push((
        "node cycle",
        write_json("cycle.gltf", &cycle),
        vec!["cycle through nodes[0], nodes[1]"],
    ));
    let mut unknown = triangle_gltf(&data_uri);
    unknown["extensionsUsed"] = json!(["EXT_roomwave_test_unknown"]);
    unknown["extensionsRequired"] = json!(["EXT_roomwave_test_unknown"]);
    cases.push((
        "unknown required extension",
        write_json("unknown_ext.gltf", &unknown),
        vec!["extensionsRequired[0]", "EXT_roomwave_test_unknown"],
    ));
    let mut bad_index_bin = triangle_bin();
    bad_index_bin[40..42].copy_from_slice(&7u16.to_le_bytes());
    let oob = triangle_gltf(&format!(
        "data:application/octet-stream;base64,{}",
        base64(&bad_index_bin)
    ));
    cases.push((
        "index out of range",
        write_json("index_oob.gltf", &oob),
        vec!["meshes[0].primitives[0].indices", "is 7"],
    ));
    // Found by mutating corpus files: the crate's validation indexes POSITION unchecked.
    let mut dangling = triangle_gltf(&data_uri);
    dangling["meshes"][0]["primitives"][0]["attributes"]["POSITION"] = json!(9);
    cases.push((
        "POSITION names a missing accessor",
        write_json("dangling_position.gltf", &dangling),
        vec!["meshes[0].primitives[0]", "accessor 9"],
    ));
    let mut huge = triangle_gltf(&data_uri);
    huge["accessors"][0]["count"] = json!(1u64 << 40);
    cases.push((
        "huge accessor count",
        write_json("huge_count.gltf", &huge),
        vec!["accessors[0]", "max_accessor_count"],
    ));
    let deep = format!(
        r#"{{"asset": {{"version": "2.0"}}, "extras": {}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    cases.push((
        "100k-deep JSON",
        write("deep.gltf", deep.as_bytes()),
        vec!["max_json_depth"],
    ));

    for (name, path, words) in &cases {
        let o = check(path, &logs);
        assert_contained(name, &o);
        assert_clear_error(name, path, &o, words);
    }

    // A broken texture: the model still loads, with a warning and a placeholder.
    let mut textured = triangle_gltf(&data_uri);
    textured["images"] = json!([{"uri": "data:image/png;base64,iVBORw0KGgo="}]);
    textured["textures"] = json!([{"source": 0}]);
    textured["materials"] = json!([{"pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}]);
    textured["meshes"][0]["primitives"][0]["material"] = json!(0);
    let path = write_json("broken_texture.gltf", &textured);
    let o = check(&path, &logs);
    assert_contained("broken texture", &o);
    assert_loaded("broken texture", &o);
    assert!(
        o.stdout
            .contains("images[0]: image not loaded, placeholder used"),
        "{}",
        o.stdout
    );

    // An image with no data at all (the `gltf` crate's accessor for it unwraps).
    textured["images"] = json!([{"name": "nothing"}]);
    let path = write_json("sourceless_image.gltf", &textured);
    let o = check(&path, &logs);
    assert_contained("image without source", &o);
    assert_loaded("image without source", &o);
    assert!(
        o.stdout.contains("neither uri nor bufferView"),
        "{}",
        o.stdout
    );

    // A texture wider than the limit: refused from its header, before decoding.
    let mut wide = Vec::new();
    image::RgbaImage::new(5000, 1)
        .write_to(
            &mut std::io::Cursor::new(&mut wide),
            image::ImageFormat::Png,
        )
        .expect("encode");
    textured["images"] = json!([{"uri": format!("data:image/png;base64,{}", base64(&wide))}]);
    let path = write_json("wide_texture.gltf", &textured);
    let o = check(&path, &logs);
    assert_contained("wide texture", &o);
    assert_loaded("wide texture", &o);
    assert!(
        o.stdout.contains("5000x1 pixels is outside 1..=4096"),
        "{}",
        o.stdout
    );

    // Zeros of the largest count the limits allow, from a file of a few hundred bytes:
    // loads (the spec allows it) within the memory bound the child runs under.
    let mut zeros = triangle_gltf(&data_uri);
    // (The crate's validation wants data behind an accessor: a one-element sparse
    // substitution gives it that, and leaves the rest zeros.)
    zeros["accessors"][0] = json!({"componentType": 5126, "count": 4 * 1024 * 1024, "type": "VEC3",
        "min": [0.0, 0.0, 0.0], "max": [0.0, 0.0, 0.0],
        "sparse": {"count": 1, "indices": {"bufferView": 1, "componentType": 5123},
                   "values": {"bufferView": 0}}});
    zeros["meshes"][0]["primitives"][0]
        .as_object_mut()
        .expect("object")
        .remove("indices");
    let path = write_json("zeros.gltf", &zeros);
    let o = check(&path, &logs);
    assert_contained("4 Mi zero vertices", &o);
    assert_eq!(assert_loaded("4 Mi zero vertices", &o), 4 * 1024 * 1024 / 3);

    for d in [dir, logs, outside] {
        let _ = std::fs::remove_dir_all(d);
    }
}
