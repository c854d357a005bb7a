//! WebM/Matroska input for the Rust `vp8dec`: the frames of the first VP8 video track (codec
//! `V_VP8`), recognised by content (the EBML magic `1A 45 DF A3`), not by file name. The C CLI
//! stays IVF-only.
//!
//! The container is demuxed with the `matroska-demuxer` crate. Compared with `webm-iterable`
//! (the other maintained reader on crates.io): `matroska-demuxer` gives whole frames per track,
//! with block lacing, `BlockGroup`s and the invisible flag handled, from a file it can seek in
//! (the cues and seek head let it find the tracks wherever a muxer put them), and it depends on
//! no other crate and forbids unsafe code. `webm-iterable` is a tag-level EBML iterator (good for
//! streaming and for writing WebM): reading frames with it means walking
//! `Segment/Tracks/TrackEntry` for the codec and track number, then decoding `SimpleBlock` and
//! `BlockGroup/Block` headers and their lacing ourselves, and it brings `ebml-iterable` with its
//! derive macros. We only read, so the frame-level API wins.
//!
//! The frames are handed on as an in-memory IVF stream, so that everything after the input
//! (frame numbering, warnings, `--limit`, the y4m frame rate) is the code that reads IVF.

use std::io::{self, Cursor, Read};

use matroska_demuxer::{Frame, MatroskaFile, TrackType};
use vp8_stage::ivf::{IvfFrame, IvfHeader};

/// The EBML magic every Matroska and WebM file starts with.
pub const EBML_MAGIC: [u8; 4] = [0x1a, 0x45, 0xdf, 0xa3];

/// The Matroska codec ID of VP8.
pub const VP8_CODEC_ID: &str = "V_VP8";

/// The demuxed VP8 track: an IVF header and the frames in file order.
#[derive(Debug, Clone)]
pub struct Vp8Track {
    pub header: IvfHeader,
    pub frames: Vec<IvfFrame>,
}

/// The IVF header's time base for a frame interval (the track's default frame duration when the
/// file gives one, else the interval of the first two frames; 30 fps without either): written
/// as vpxdec reads an IVF time base below 1000 ticks per second (`output::y4m_rate`), 2 x fps
/// over 1, so that the y4m header says the whole frame rate nearest to the interval's.
fn frame_rate(default_duration_ns: Option<u64>, first_interval_ns: Option<u64>) -> (u32, u32) {
    let fps = default_duration_ns
        .or(first_interval_ns)
        .filter(|&d| d > 0)
        .map(|d| ((1e9 / d as f64).round() as u32).clamp(1, 499))
        .unwrap_or(30);
    (2 * fps, 1)
}

/// Demux the first VP8 video track of a Matroska/WebM file held in memory. `name` is the file
/// as messages call it.
pub fn read_vp8_track(bytes: Vec<u8>, name: &str) -> Result<Vp8Track, String> {
    let mut mkv = MatroskaFile::open(Cursor::new(bytes))
        .map_err(|e| format!("{name}: not a readable WebM/Matroska file: {e}"))?;
    let Some(track) = mkv
        .tracks()
        .iter()
        .find(|t| t.track_type() == TrackType::Video && t.codec_id() == VP8_CODEC_ID)
    else {
        let found: Vec<String> = mkv
            .tracks()
            .iter()
            .map(|t| format!("{} ({:?})", t.codec_id(), t.track_type()))
            .collect();
        return Err(format!(
            "{name}: no VP8 video track (codec {VP8_CODEC_ID}) in this WebM/Matroska file; its tracks: {}",
            if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            }
        ));
    };
    let number = track.track_number().get();
    let (width, height) = track.video().map_or((0, 0), |v| {
        (
            u16::try_from(v.pixel_width().get()).unwrap_or(0),
            u16::try_from(v.pixel_height().get()).unwrap_or(0),
        )
    });
    let default_duration = track.default_duration().map(|d| d.get());
    let scale_ns = mkv.info().timestamp_scale().get();
    let mut frames = Vec::new();
    let mut frame = Frame::default();
    loop {
        match mkv.next_frame(&mut frame) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(format!("{name}: frame {}: cannot demux: {e}", frames.len()));
            }
        }
        if frame.track != number {
            continue;
        }
        frames.push(IvfFrame {
            index: frames.len() as u64,
            pts: frame.timestamp,
            data: std::mem::take(&mut frame.data),
        });
    }
    let interval = match &frames[..] {
        [a, b, ..] => b.pts.checked_sub(a.pts).map(|d| d.saturating_mul(scale_ns)),
        _ => None,
    };
    let (rate, scale) = frame_rate(default_duration, interval);
    let mut header = IvfHeader::vp8(
        width,
        height,
        rate,
        u32::try_from(frames.len()).unwrap_or(0),
    );
    header.scale = scale;
    Ok(Vp8Track { header, frames })
}

/// The input as vp8dec reads it: IVF as it is; a WebM/Matroska file (by its first bytes) read
/// whole, demuxed, and handed on as the IVF stream of its first VP8 track.
pub fn ivf_input(mut input: Box<dyn Read>, name: &str) -> Result<Box<dyn Read>, String> {
    let mut start = Vec::with_capacity(4);
    (&mut input).take(4).read_to_end(&mut start).map_err(|e| {
        // These bytes open the IVF file header too: the error reads as the IVF reader's.
        format!(
            "{name}: read error in the IVF file header: {}",
            crate::output::io_message(&e)
        )
    })?;
    if start != EBML_MAGIC {
        return Ok(Box::new(Cursor::new(start).chain(input)));
    }
    let mut bytes = start;
    input.read_to_end(&mut bytes).map_err(|e| {
        format!(
            "{name}: read error in the WebM file: {}",
            crate::output::io_message(&e)
        )
    })?;
    let track = read_vp8_track(bytes, name)?;
    let ivf = vp8_stage::ivf::to_bytes(&track.header, &track.frames);
    Ok(Box::new(Cursor::new(ivf)) as Box<dyn Read>)
}

/// For tests and tools: the VP8 frames of an IVF or WebM file, by content.
pub fn read_frames(path: &std::path::Path) -> Result<Vec<Vec<u8>>, String> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut ivf = Vec::new();
    ivf_input(Box::new(io::BufReader::new(file)), &name)?
        .read_to_end(&mut ivf)
        .map_err(|e| format!("{name}: {e}"))?;
    let (_, frames) = vp8_stage::ivf::parse(&ivf).map_err(|e| format!("{name}: {e}"))?;
    Ok(frames.into_iter().map(|f| f.data).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_rate_prefers_the_default_duration() {
        assert_eq!(frame_rate(Some(33_333_333), Some(40_000_000)), (60, 1));
        assert_eq!(frame_rate(None, Some(40_000_000)), (50, 1));
        assert_eq!(frame_rate(None, None), (60, 1));
        assert_eq!(frame_rate(Some(0), None), (60, 1));
        assert_eq!(crate::output::y4m_rate(60, 1), (30, 1));
    }

    #[test]
    fn ivf_passes_through_and_garbage_is_not_taken_for_webm() {
        let ivf = b"DKIF rest of the file".to_vec();
        let mut out = Vec::new();
        ivf_input(Box::new(Cursor::new(ivf.clone())), "x")
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, ivf);
        let short = vec![0x1a, 0x45];
        let mut out = Vec::new();
        ivf_input(Box::new(Cursor::new(short.clone())), "x")
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, short);
        let bad = [&EBML_MAGIC[..], b"not really ebml"].concat();
        let e = ivf_input(Box::new(Cursor::new(bad)), "x.webm")
            .err()
            .unwrap();
        assert!(
            e.starts_with("x.webm: not a readable WebM/Matroska file"),
            "{e}"
        );
    }
}
