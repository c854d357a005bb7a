//! The 1080p benchmark streams (`portlab bench --generate`, `--streams 1080p`): four streams made
//! from seeded FFmpeg lavfi sources by a single-threaded vpxenc with fixed settings, cached in
//! target/bench-streams. A file is named NAME-1920x1080-Ff-KEY.ivf, where KEY is the first 12 hex
//! digits of the SHA-256 of the settings (filter graph, vpxenc arguments, frames, tool versions)
//! serialised the way Python's `json.dumps(settings, sort_keys=True)` does: the streams the old
//! `bench/bench_c.py` made keep their names, so an existing cache stays valid. The settings are
//! also written beside the stream as NAME-...-KEY.json.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::host::workspace_root;
use crate::stage::hex;

pub const WIDTH: u32 = 1920;
pub const HEIGHT: u32 = 1080;
pub const FPS: u32 = 30;
/// Frames per stream: a full run, and `--quick`.
pub const FULL_FRAMES: u32 = 120;
pub const QUICK_FRAMES: u32 = 30;

/// vpxenc settings every stream shares: one thread, deterministic, no frame dropping or resizing.
pub const VPXENC_COMMON: [&str; 13] = [
    "--codec=vp8",
    "--ivf",
    "--threads=1",
    "--quiet",
    "--disable-warning-prompt",
    "--i420",
    "--width=1920",
    "--height=1080",
    "--fps=30/1",
    "--timebase=1/30",
    "--kf-max-dist=60",
    "--drop-frame=0",
    "--resize-allowed=0",
];

/// One benchmark stream: an FFmpeg lavfi graph (every random element seeded) and its own vpxenc
/// settings.
#[derive(Debug, Clone, Copy)]
pub struct StreamSpec {
    pub name: &'static str,
    pub desc: &'static str,
    pub graph: &'static str,
    pub vpxenc: &'static [&'static str],
}

pub const SPECS: [StreamSpec; 5] = [
    StreamSpec {
        name: "noisy",
        desc: "detailed + noisy: testsrc2 with strong temporal noise; 2-pass VBR, target 12 Mb/s \
               (token decoding heavy)",
        graph: "testsrc2=size=1920x1080:rate=30,noise=alls=20:allf=t+u:all_seed=1234",
        vpxenc: &[
            "--good",
            "--cpu-used=4",
            "--passes=2",
            "--end-usage=vbr",
            "--target-bitrate=12000",
            "--auto-alt-ref=1",
            "--lag-in-frames=16",
        ],
    },
    StreamSpec {
        name: "motion",
        desc: "high motion: a 1080p window panning over a Mandelbrot set at 50 px/frame across and \
               23 px/frame down; 2-pass VBR, target 6 Mb/s (inter prediction heavy)",
        graph: "mandelbrot=size=2880x1800:rate=30:maxiter=256:start_scale=2.5:end_scale=2.5,\
                crop=w=1920:h=1080:x='mod(t*1500,960)':y='mod(t*700,720)'",
        vpxenc: &[
            "--good",
            "--cpu-used=4",
            "--passes=2",
            "--end-usage=vbr",
            "--target-bitrate=6000",
            "--auto-alt-ref=1",
            "--lag-in-frames=16",
        ],
    },
    StreamSpec {
        name: "lowrate",
        desc: "low bit rate: blurred testsrc2, realtime mode (--rt, speed 8) CBR, target 300 kb/s, \
               which VP8 cannot reach at 1080p: it ends at max q (few tokens; prediction, skip and \
               loop filter heavy)",
        graph: "testsrc2=size=1920x1080:rate=30,gblur=sigma=4",
        // --cpu-used=-8, not 8: in realtime mode a positive value lets VP8 pick its speed from
        // measured encoding times (different bytes on every run); a negative one fixes speed 8.
        vpxenc: &[
            "--rt",
            "--cpu-used=-8",
            "--end-usage=cbr",
            "--target-bitrate=300",
            "--lag-in-frames=0",
        ],
    },
    StreamSpec {
        name: "parts2",
        desc: "2 token partitions (--token-parts=1): Mandelbrot zoom; 2-pass VBR, target 4 Mb/s",
        graph: "mandelbrot=size=1920x1080:rate=30:maxiter=256",
        vpxenc: &[
            "--good",
            "--cpu-used=4",
            "--passes=2",
            "--end-usage=vbr",
            "--target-bitrate=4000",
            "--auto-alt-ref=1",
            "--lag-in-frames=16",
            "--token-parts=1",
        ],
    },
    // Not in `--streams 1080p` (the four above, which the docs' figures use): named only, for
    // thread scaling across partitions (docs/threads.md).
    StreamSpec {
        name: "parts4",
        desc: "4 token partitions (--token-parts=2): parts2's Mandelbrot zoom and settings \
               otherwise",
        graph: "mandelbrot=size=1920x1080:rate=30:maxiter=256",
        vpxenc: &[
            "--good",
            "--cpu-used=4",
            "--passes=2",
            "--end-usage=vbr",
            "--target-bitrate=4000",
            "--auto-alt-ref=1",
            "--lag-in-frames=16",
            "--token-parts=2",
        ],
    },
];

/// How many of `SPECS` `--streams 1080p` stands for.
const DEFAULT_SET: usize = 4;

/// The folder of the cache.
pub fn stream_dir() -> PathBuf {
    workspace_root().join("target/bench-streams")
}

/// The spec named `name`.
pub fn spec(name: &str) -> Result<&'static StreamSpec, String> {
    SPECS.iter().find(|s| s.name == name).ok_or_else(|| {
        format!(
            "unknown 1080p stream '{name}': choose {}",
            SPECS.map(|s| s.name).join(", ")
        )
    })
}

/// Encoder and source versions: part of the cache key, since another vpxenc or FFmpeg may make
/// other bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub vpxenc: String,
    pub ffmpeg: String,
}

fn output_text(program: &str, args: &[&str]) -> Result<String, String> {
    let o = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {program} (apt-get install -y vpx-tools ffmpeg): {e}"))?;
    Ok(String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr))
}

/// The word after `marker` in `text`, if any.
fn word_after<'t>(text: &'t str, marker: &str) -> Option<&'t str> {
    let rest = &text[text.find(marker)? + marker.len()..];
    rest.split_whitespace().next()
}

impl Versions {
    /// Read from `vpxenc --help` ("VP8 Encoder v1.12.0") and `ffmpeg -version` ("ffmpeg version
    /// 5.1.9-0+deb12u1"); "unknown" (vpxenc) or the whole first line (ffmpeg) when unparsable,
    /// as bench_c.py did.
    pub fn probe() -> Result<Versions, String> {
        let help = output_text("vpxenc", &["--help"])?;
        let vpxenc = word_after(&help, "VP8 Encoder ")
            .filter(|w| w.starts_with('v'))
            .unwrap_or("unknown")
            .to_string();
        let ff = output_text("ffmpeg", &["-hide_banner", "-version"])?;
        let first = ff.lines().next().unwrap_or("").trim();
        let ffmpeg = first
            .strip_prefix("ffmpeg version ")
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or(first)
            .to_string();
        Ok(Versions { vpxenc, ffmpeg })
    }
}

/// The settings of one stream, keys in sorted order (the JSON written beside the stream, and
/// the input of the key).
pub fn settings(spec: &StreamSpec, frames: u32, v: &Versions) -> Value {
    let vpxenc: Vec<&str> = VPXENC_COMMON.iter().chain(spec.vpxenc).copied().collect();
    json!({
        "ffmpeg_version": v.ffmpeg,
        "fps": FPS,
        "frames": frames,
        "graph": spec.graph,
        "size": [WIDTH, HEIGHT],
        "vpxenc": vpxenc,
        "vpxenc_version": v.vpxenc,
    })
}

/// serde_json's compact output with Python's default separators (", " and ": "): the bytes
/// `json.dumps` hashes, so a cache made by the Python script keeps its key.
struct PythonSeparators;

impl serde_json::ser::Formatter for PythonSeparators {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

fn python_dumps(v: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonSeparators);
    v.serialize(&mut ser).expect("JSON to memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// The cache key: 12 hex digits of SHA-256 of the settings.
pub fn key(settings: &Value) -> String {
    hex(&Sha256::digest(python_dumps(settings).as_bytes()))[..12].to_string()
}

/// NAME-1920x1080-Ff-KEY (without extension).
pub fn file_stem(spec: &StreamSpec, frames: u32, key: &str) -> String {
    format!("{}-{WIDTH}x{HEIGHT}-{frames}f-{key}", spec.name)
}

/// Frames, shown frames and bytes of an IVF file (for the notes and the report).
pub fn ivf_counts(path: &Path) -> Result<(usize, usize, u64), String> {
    let frames = crate::verify::read_ivf(path)?;
    let shown = frames
        .iter()
        .filter(|f| f.first().is_some_and(|b| b & 0x10 != 0))
        .count();
    let bytes = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    Ok((frames.len(), shown, bytes))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let o = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if o.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&o.stderr);
    let start = err.len().saturating_sub(2000);
    let start = (start..err.len())
        .find(|&i| err.is_char_boundary(i))
        .unwrap_or(0);
    Err(format!(
        "command failed ({}): {cmd:?}\n{}",
        o.status,
        err[start..].trim()
    ))
}

/// The cached stream of `spec`, made first when missing. Returns the path and whether it was
/// made now.
pub fn ensure(
    spec: &StreamSpec,
    frames: u32,
    versions: &Versions,
    note: &dyn Fn(&str),
) -> Result<(PathBuf, bool), String> {
    let dir = stream_dir();
    let settings = settings(spec, frames, versions);
    let stem = file_stem(spec, frames, &key(&settings));
    let ivf = dir.join(format!("{stem}.ivf"));
    if ivf.is_file() {
        note(&format!(
            "stream {:<8} cached     {}",
            spec.name,
            ivf.display()
        ));
        return Ok((ivf, false));
    }
    note(&format!(
        "stream {:<8} generating {frames} frames of {WIDTH}x{HEIGHT} ...",
        spec.name
    ));
    let tmp = dir.join(format!(".tmp-{}-{stem}", std::process::id()));
    std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let made = make(spec, frames, &settings, &tmp, &dir, &stem, &ivf);
    std::fs::remove_dir_all(&tmp).ok();
    let (t_source, t_enc) = made?;
    let (n, _, bytes) = ivf_counts(&ivf)?;
    note(&format!(
        "stream {:<8} made in {:.1} s (source {t_source:.1} s, vpxenc {t_enc:.1} s): {n} frames, \
         {:.0} kb/s  {}",
        spec.name,
        t_source + t_enc,
        bytes as f64 * 8.0 / 1000.0 / (frames as f64 / FPS as f64),
        ivf.display()
    ));
    Ok((ivf, true))
}

fn make(
    spec: &StreamSpec,
    frames: u32,
    settings: &Value,
    tmp: &Path,
    dir: &Path,
    stem: &str,
    ivf: &Path,
) -> Result<(f64, f64), String> {
    let t0 = Instant::now();
    let yuv = tmp.join("src.yuv");
    run(Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error"])
        .args(["-filter_threads", "1", "-threads", "1", "-f", "lavfi", "-i"])
        .arg(spec.graph)
        .arg("-vf")
        .arg(format!(
            "scale={WIDTH}:{HEIGHT}:flags=bicubic+accurate_rnd+full_chroma_int+bitexact,format=yuv420p"
        ))
        .arg("-frames:v")
        .arg(frames.to_string())
        .args(["-fflags", "+bitexact", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y"])
        .arg(&yuv))?;
    let want = frames as u64 * WIDTH as u64 * HEIGHT as u64 * 3 / 2;
    let got = std::fs::metadata(&yuv).map(|m| m.len()).unwrap_or(0);
    if got != want {
        return Err(format!(
            "{}: the source has {got} bytes, expected {want}",
            spec.name
        ));
    }
    let t_source = t0.elapsed().as_secs_f64();
    let out = tmp.join("out.ivf");
    run(Command::new("vpxenc")
        .args(VPXENC_COMMON)
        .arg(format!("--limit={frames}"))
        .args(spec.vpxenc)
        .arg("-o")
        .arg(&out)
        .arg(&yuv))?;
    let t_enc = t0.elapsed().as_secs_f64() - t_source;
    // indent=1, as the Python script wrote it; no final newline either.
    let mut text = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut text,
        serde_json::ser::PrettyFormatter::with_indent(b" "),
    );
    settings.serialize(&mut ser).expect("JSON to memory");
    let json_tmp = tmp.join("settings.json");
    std::fs::write(&json_tmp, text).map_err(|e| format!("{}: {e}", json_tmp.display()))?;
    let json_path = dir.join(format!("{stem}.json"));
    std::fs::rename(&json_tmp, &json_path).map_err(|e| format!("{}: {e}", json_path.display()))?;
    // Renamed last: a half-made stream never appears in the cache.
    std::fs::rename(&out, ivf).map_err(|e| format!("{}: {e}", ivf.display()))?;
    Ok((t_source, t_enc))
}

/// The streams `--streams 1080p` (the first four) or `1080p:NAME` (one) stand for, made when
/// missing.
pub fn resolve_1080p(
    words: &[&str],
    frames: u32,
    note: &dyn Fn(&str),
) -> Result<Vec<PathBuf>, String> {
    let mut specs: Vec<&StreamSpec> = Vec::new();
    for w in words {
        match w.strip_prefix("1080p") {
            Some("") => specs.extend(SPECS[..DEFAULT_SET].iter()),
            Some(rest) => specs.push(spec(rest.trim_start_matches(':'))?),
            None => return Err(format!("not a 1080p stream: {w}")),
        }
    }
    specs.dedup_by_key(|s| s.name);
    let versions = Versions::probe()?;
    specs
        .into_iter()
        .map(|s| ensure(s, frames, &versions, note).map(|(p, _)| p))
        .collect()
}

/// Is this `--streams` word a 1080p benchmark stream name (1080p, 1080p:noisy)?
pub fn is_1080p_word(w: &str) -> bool {
    w == "1080p" || w.starts_with("1080p:")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_name_match_the_python_scripts_cache() {
        // The settings bench_c.py wrote for `--quick --streams lowrate` with vpxenc v1.12.0 and
        // ffmpeg 5.1.9-0+deb12u1, and the file it made: lowrate-1920x1080-30f-75d181ad8d03.ivf.
        let v = Versions {
            vpxenc: "v1.12.0".into(),
            ffmpeg: "5.1.9-0+deb12u1".into(),
        };
        let s = spec("lowrate").unwrap();
        let set = settings(s, 30, &v);
        assert_eq!(
            python_dumps(&json!({"b": [1, 2], "a": "x"})),
            r#"{"b": [1, 2], "a": "x"}"#
        );
        let k = key(&set);
        assert_eq!(file_stem(s, 30, &k), "lowrate-1920x1080-30f-75d181ad8d03");
    }
}
