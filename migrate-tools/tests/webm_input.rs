//! vp8dec reads WebM/Matroska as well as IVF, by content: every corpus stream remuxed by ffmpeg
//! (`-c copy`, the same VP8 frames in a WebM file) decodes to the MD5 vpxdec gives for the same
//! WebM file, with the C stage and, in turn, each other stage (every stage sees about half the
//! corpus: the demuxer is shared, and the stages' bit-exactness on the corpus is tested
//! elsewhere; this keeps the test near 15 s); a WebM file without a VP8 track is a clear error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use vp8_stage::corpus::{corpus_dir, corpus_streams};
use vp8_stage::registry::STAGES;

const VP8DEC: &str = env!("CARGO_BIN_EXE_vp8dec");

fn installed(tool: &str) -> bool {
    Command::new(tool)
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn tools_or_skip(what: &str) -> bool {
    for tool in ["ffmpeg", "vpxdec"] {
        if !installed(tool) {
            vp8_stage::missing_tool(tool, what);
            return false;
        }
    }
    true
}

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn ffmpeg(args: &[&str]) {
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn md5_in(o: &Output) -> Option<String> {
    String::from_utf8_lossy(&o.stdout)
        .split(|c: char| !c.is_ascii_hexdigit())
        .find(|w| w.len() == 32)
        .map(str::to_string)
}

fn vp8dec_md5(input: &Path, stage: &str) -> Option<String> {
    let o = Command::new(VP8DEC)
        .arg("-i")
        .arg(input)
        .args(["--muxer", "md5", "-q", "--stage", stage])
        .output()
        .unwrap();
    md5_in(&o)
}

#[test]
fn every_corpus_stream_as_webm_matches_vpxdec_with_c_and_each_other_stage_in_turn() {
    if !tools_or_skip("vp8dec's WebM input against vpxdec") {
        return;
    }
    let dir = scratch("webm-corpus");
    // The 720p streams add time and no container case the small ones lack.
    let streams: Vec<_> = corpus_streams(&corpus_dir())
        .unwrap()
        .into_iter()
        .filter(|s| !s.name.starts_with("bench-720p"))
        .collect();
    assert!(streams.len() > 50, "{} streams", streams.len());
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(st) = streams.get(i) else { break };
                    let webm = dir.join(format!("{}.webm", st.name));
                    ffmpeg(&[
                        "-i",
                        st.ivf.to_str().unwrap(),
                        "-c",
                        "copy",
                        webm.to_str().unwrap(),
                    ]);
                    let o = Command::new("vpxdec")
                        .args(["--i420", "--md5"])
                        .arg(&webm)
                        .output()
                        .unwrap();
                    let Some(expected) = md5_in(&o) else {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: vpxdec printed no md5", st.name));
                        continue;
                    };
                    let other = &STAGES[1 + i % (STAGES.len() - 1)];
                    for stage in [&STAGES[0], other] {
                        let got = vp8dec_md5(&webm, stage.name);
                        if got.as_deref() != Some(expected.as_str()) {
                            failures.lock().unwrap().push(format!(
                                "{} --stage {}: {got:?}, vpxdec {expected}",
                                st.name, stage.name
                            ));
                        }
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn webm_is_told_by_content_also_on_stdin_and_beside_other_tracks() {
    if !tools_or_skip("vp8dec's WebM input by content") {
        return;
    }
    let dir = scratch("webm-content");
    let ivf = corpus_dir().join("sample.ivf");
    let reference = std::fs::read_to_string(corpus_dir().join("sample.md5")).unwrap();
    let reference = reference.split_whitespace().next().unwrap();
    // An audio track first, then the VP8 track; named .ivf, so only the content says WebM.
    let both = dir.join("audio-first.ivf");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-i",
        ivf.to_str().unwrap(),
        "-map",
        "0:a",
        "-map",
        "1:v",
        "-c:v",
        "copy",
        "-c:a",
        "libopus",
        "-f",
        "webm",
        both.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&both).unwrap()[..4], [0x1a, 0x45, 0xdf, 0xa3]);
    assert_eq!(vp8dec_md5(&both, "safe").as_deref(), Some(reference));
    let o = Command::new(VP8DEC)
        .args(["-i", "-", "--muxer", "md5", "--stage", "transpiled"])
        .stdin(std::fs::File::open(&both).unwrap())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(md5_in(&o).as_deref(), Some(reference));
    // The framemd5 of the WebM equals the IVF's reference, frame by frame.
    let o = Command::new(VP8DEC)
        .arg("-i")
        .arg(&both)
        .args(["--muxer", "framemd5"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        std::fs::read_to_string(corpus_dir().join("sample.framemd5")).unwrap()
    );
}

#[test]
fn a_webm_without_a_vp8_track_is_a_clear_error() {
    if !tools_or_skip("vp8dec's error for a WebM without VP8") {
        return;
    }
    let dir = scratch("webm-novp8");
    let audio = dir.join("audio.webm");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=duration=0.2",
        "-c:a",
        "libopus",
        audio.to_str().unwrap(),
    ]);
    let o = Command::new(VP8DEC)
        .arg("-i")
        .arg(&audio)
        .args(["--muxer", "md5"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no VP8 video track") && err.contains("A_OPUS"),
        "{err}"
    );
}
