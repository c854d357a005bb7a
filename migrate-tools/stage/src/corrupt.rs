//! The corruption set: a deterministic set of broken streams made in memory from a few corpus
//! streams (seeded [`XorShift`]): payload truncations at many lengths, bit flips in the first
//! partition and in the token partitions, partition sizes overwritten with huge or off-by-one
//! values, IVF frame-size fields beyond the file or above the 256 MiB limit, frames of random
//! bytes, key frames of 0 x N, N x 0 and 16383 x 16383 pixels, empty, dropped and duplicated
//! frames, files cut inside the file header, a frame header or a payload, and two streams of
//! different sizes back to back. Each [`Case`] says what a decoder's output must satisfy.
//!
//! Shared by the C stage's sanitizer test (`upstream-c/tests/corrupt.rs`, through the C CLI) and
//! the differential test of every stage (`migrate-tools/tests/corrupt_stages.rs`, in process).

use crate::corpus::CorpusStream;
use crate::ivf::{self, IvfFrame, IvfHeader};
use crate::md5::FrameMd5;

pub use crate::rng::XorShift;

// ------------------------------------------------------------------------------------------------
// VP8 frame layout (RFC 6386 sections 9.1 and 19.1-19.2)

pub fn is_key(frame: &[u8]) -> bool {
    !frame.is_empty() && frame[0] & 1 == 0
}

pub fn is_shown(frame: &[u8]) -> bool {
    frame.len() >= 3 && (frame[0] >> 4) & 1 == 1
}

/// Bytes before the first partition: the 3-byte tag, and on key frames the start code and size.
pub fn header_len(frame: &[u8]) -> usize {
    if is_key(frame) { 10 } else { 3 }
}

pub fn first_partition_size(frame: &[u8]) -> usize {
    if frame.len() < 3 {
        return 0;
    }
    ((frame[0] as usize) | (frame[1] as usize) << 8 | (frame[2] as usize) << 16) >> 5
}

pub fn set_first_partition_size(frame: &mut [u8], size: usize) {
    let tag = (frame[0] as usize | (frame[1] as usize) << 8 | (frame[2] as usize) << 16) & 0x1f;
    let tag = tag | (size & 0x7ffff) << 5;
    frame[0] = tag as u8;
    frame[1] = (tag >> 8) as u8;
    frame[2] = (tag >> 16) as u8;
}

/// The boolean entropy decoder of RFC 6386 section 7.3, just enough to read the frame header up
/// to the token partition count.
#[derive(Debug)]
struct BoolDecoder<'a> {
    data: &'a [u8],
    pos: usize,
    value: u32,
    range: u32,
    bit_count: u32,
}

impl<'a> BoolDecoder<'a> {
    fn new(data: &'a [u8]) -> Self {
        let byte = |i: usize| u32::from(data.get(i).copied().unwrap_or(0));
        BoolDecoder {
            data,
            pos: 2,
            value: byte(0) << 8 | byte(1),
            range: 255,
            bit_count: 0,
        }
    }

    fn read(&mut self, prob: u32) -> bool {
        let split = 1 + (((self.range - 1) * prob) >> 8);
        let big_split = split << 8;
        let bit = if self.value >= big_split {
            self.range -= split;
            self.value -= big_split;
            true
        } else {
            self.range = split;
            false
        };
        while self.range < 128 {
            self.value <<= 1;
            self.range <<= 1;
            self.bit_count += 1;
            if self.bit_count == 8 {
                self.bit_count = 0;
                self.value |= u32::from(self.data.get(self.pos).copied().unwrap_or(0));
                self.pos += 1;
            }
        }
        bit
    }

    fn literal(&mut self, bits: u32) -> u32 {
        (0..bits).fold(0, |v, _| v << 1 | u32::from(self.read(128)))
    }

    fn flag(&mut self) -> bool {
        self.read(128)
    }
}

/// The number of DCT token partitions of an intact frame (RFC 6386 section 9.2-9.5, 19.2).
pub fn token_partition_count(frame: &[u8]) -> usize {
    let start = header_len(frame).min(frame.len());
    let mut d = BoolDecoder::new(&frame[start..]);
    if is_key(frame) {
        d.literal(2); // color space, clamping type
    }
    if d.flag() {
        // segmentation_enabled
        let update_map = d.flag();
        if d.flag() {
            // update_segment_feature_data
            d.flag(); // segment_feature_mode
            for _ in 0..4 {
                if d.flag() {
                    d.literal(8); // quantizer: 7 bits + sign
                }
            }
            for _ in 0..4 {
                if d.flag() {
                    d.literal(7); // loop filter level: 6 bits + sign
                }
            }
        }
        if update_map {
            for _ in 0..3 {
                if d.flag() {
                    d.literal(8);
                }
            }
        }
    }
    d.literal(1 + 6 + 3); // filter_type, loop_filter_level, sharpness_level
    if d.flag() && d.flag() {
        // loop_filter_adj_enable, mode_ref_lf_delta_update
        for _ in 0..8 {
            if d.flag() {
                d.literal(7);
            }
        }
    }
    1 << d.literal(2)
}

// ------------------------------------------------------------------------------------------------
// Cases

/// What a case's output must satisfy besides ending normally.
#[derive(Debug, Clone)]
pub enum Expect {
    /// Only: a normal end (exit 0, 1 or 3), no sanitizer report, no hang.
    NoCrash,
    /// The last `tail` output frames equal the reference's last `tail` (the frames from the first
    /// key frame after the damage on).
    Recover { tail: usize },
    /// Exactly these frames, and this exit code.
    Exact { frames: Vec<FrameMd5>, code: i32 },
}

#[derive(Debug)]
pub struct Case {
    /// `<stream>/<what was done>`.
    pub name: String,
    /// The whole damaged IVF file.
    pub bytes: Vec<u8>,
    /// Extra CLI flags the case needs (`--strict`).
    pub args: Vec<String>,
    pub expect: Expect,
    /// A text the CLI's stderr must contain.
    pub stderr_has: Option<String>,
}

/// A corpus stream taken apart.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub header: IvfHeader,
    pub frames: Vec<IvfFrame>,
    pub reference: Vec<FrameMd5>,
    /// Whether the reference has one line per shown frame (so recovery can be checked).
    pub aligned: bool,
}

impl Source {
    /// A corpus stream and its reference (`None`: no reference files, or unreadable).
    pub fn load(stream: &CorpusStream) -> Option<Source> {
        let bytes = std::fs::read(&stream.ivf).ok()?;
        let (header, frames) = ivf::parse(&bytes).ok()?;
        let (reference, _) = stream.reference().ok()??;
        let shown = frames.iter().filter(|f| is_shown(&f.data)).count();
        Some(Source {
            name: stream.name.clone(),
            header,
            aligned: shown == reference.len(),
            frames,
            reference,
        })
    }

    fn keyframes(&self) -> Vec<usize> {
        (0..self.frames.len())
            .filter(|&i| is_key(&self.frames[i].data))
            .collect()
    }

    fn next_key_after(&self, k: usize) -> Option<usize> {
        (k + 1..self.frames.len()).find(|&i| is_key(&self.frames[i].data))
    }

    /// Reference output frames produced by compressed frames [0, k).
    fn shown_before(&self, k: usize) -> usize {
        self.frames[..k]
            .iter()
            .filter(|f| is_shown(&f.data))
            .count()
    }

    /// The expectation for damage confined to frame k: recovery from the next key frame.
    fn recover_after(&self, k: usize) -> Expect {
        match self.next_key_after(k) {
            Some(key) if self.aligned => Expect::Recover {
                tail: self.reference.len() - self.shown_before(key),
            },
            _ => Expect::NoCrash,
        }
    }

    fn bytes_with(&self, frames: &[IvfFrame]) -> Vec<u8> {
        ivf::to_bytes(&self.header, frames)
    }

    /// The file with frame k's payload replaced.
    fn with_frame(&self, k: usize, data: Vec<u8>) -> Vec<u8> {
        let mut frames = self.frames.clone();
        frames[k].data = data;
        self.bytes_with(&frames)
    }

    /// Byte offset of frame k's 12-byte header in the file.
    fn frame_offset(&self, k: usize) -> usize {
        32 + self.frames[..k]
            .iter()
            .map(|f| 12 + f.data.len())
            .sum::<usize>()
    }
}

fn case(name: String, bytes: Vec<u8>, expect: Expect) -> Case {
    Case {
        name,
        bytes,
        args: Vec::new(),
        expect,
        stderr_has: None,
    }
}

/// Flip `n` random bits of `data[range]`.
fn flip_bits(rng: &mut XorShift, data: &mut [u8], range: std::ops::Range<usize>, n: usize) {
    for _ in 0..n {
        let i = range.start + rng.below(range.len());
        data[i] ^= 1 << rng.below(8);
    }
}

/// Damage confined to frame k.
fn frame_cases(src: &Source, k: usize, rng: &mut XorShift, out: &mut Vec<Case>) {
    let frame = &src.frames[k].data;
    let len = frame.len();
    let tag = format!("{}/frame{k}", src.name);
    let recover = src.recover_after(k);
    let hdr = header_len(frame).min(len);
    let first_end = (hdr + first_partition_size(frame)).min(len);

    // Truncated payloads (the IVF frame size says so: the container stays valid).
    let mut cuts = vec![
        1,
        2,
        3,
        4,
        6,
        9,
        10,
        11,
        13,
        20,
        len / 8,
        len / 4,
        len / 2,
        3 * len / 4,
        len - 1,
    ];
    cuts.extend([
        first_end.saturating_sub(1),
        first_end,
        first_end + 1,
        first_end + 3,
    ]);
    cuts.sort_unstable();
    cuts.dedup();
    for cut in cuts.into_iter().filter(|&c| c > 0 && c < len) {
        out.push(case(
            format!("{tag}/truncate-to-{cut}"),
            src.with_frame(k, frame[..cut].to_vec()),
            recover.clone(),
        ));
    }

    // Bit flips in the first partition (modes, motion vectors, header) and the token partitions.
    for (region, range) in [
        ("first-partition", hdr..first_end),
        ("token-partitions", first_end..len),
    ] {
        if range.is_empty() {
            continue;
        }
        for (seed, flips) in [1, 1, 2, 4, 16, 64].into_iter().enumerate() {
            let mut data = frame.clone();
            flip_bits(rng, &mut data, range.clone(), flips);
            out.push(case(
                format!("{tag}/flip-{region}-{flips}bits-{seed}"),
                src.with_frame(k, data),
                recover.clone(),
            ));
        }
    }

    // Partition sizes: the first partition's in the frame tag...
    for (what, size) in [
        ("max", 0x7ffff),
        ("one-past-end", len - hdr + 1),
        ("zero", 0),
        ("all-but-one", len.saturating_sub(hdr + 1)),
    ] {
        let mut data = frame.clone();
        set_first_partition_size(&mut data, size);
        out.push(case(
            format!("{tag}/first-partition-size-{what}"),
            src.with_frame(k, data),
            recover.clone(),
        ));
    }
    // ...and the token partitions' 3-byte sizes after it.
    let parts = token_partition_count(frame);
    for p in 0..parts.saturating_sub(1) {
        let at = first_end + 3 * p;
        if at + 3 > len {
            break;
        }
        let remaining = len - (first_end + 3 * (parts - 1));
        for (what, size) in [
            ("huge", 0xff_ffffusize),
            ("one-past-end", remaining + 1),
            ("zero", 0),
        ] {
            let mut data = frame.clone();
            data[at..at + 3].copy_from_slice(&(size as u32).to_le_bytes()[..3]);
            out.push(case(
                format!("{tag}/token-partition{p}-size-{what}"),
                src.with_frame(k, data),
                recover.clone(),
            ));
        }
    }
    if parts == 1 && first_end + 3 <= len {
        // One partition: the bytes that would be a size table are token data; make them huge anyway.
        let mut data = frame.clone();
        data[first_end..first_end + 3].fill(0xff);
        out.push(case(
            format!("{tag}/token-bytes-ff"),
            src.with_frame(k, data),
            recover.clone(),
        ));
    }

    // Random bytes: as they come, then behind a valid key frame or inter frame header.
    for seed in 0..3 {
        out.push(case(
            format!("{tag}/random-bytes-{seed}"),
            src.with_frame(k, rng.bytes(len)),
            recover.clone(),
        ));
    }
    let mut keyish = rng.bytes(len.max(10));
    keyish[0] &= !1;
    keyish[3..6].copy_from_slice(&[0x9d, 0x01, 0x2a]);
    let (w, h) = (src.header.width.max(1), src.header.height.max(1));
    keyish[6..8].copy_from_slice(&w.to_le_bytes());
    keyish[8..10].copy_from_slice(&h.to_le_bytes());
    out.push(case(
        format!("{tag}/random-key-frame"),
        src.with_frame(k, keyish),
        recover.clone(),
    ));
    let mut interish = rng.bytes(len.max(3));
    interish[0] |= 1;
    out.push(case(
        format!("{tag}/random-inter-frame"),
        src.with_frame(k, interish),
        recover.clone(),
    ));

    // Empty, dropped and duplicated frames.
    out.push(case(
        format!("{tag}/emptied"),
        src.with_frame(k, Vec::new()),
        recover.clone(),
    ));
    let mut frames = src.frames.clone();
    frames.remove(k);
    out.push(case(
        format!("{tag}/dropped"),
        src.bytes_with(&frames),
        recover.clone(),
    ));
    let mut frames = src.frames.clone();
    frames.insert(k, src.frames[k].clone());
    out.push(case(
        format!("{tag}/duplicated"),
        src.bytes_with(&frames),
        recover.clone(),
    ));

    // An extra zero-length frame before frame k changes nothing: exactly the reference, exit 0,
    // and a warning naming the empty frame.
    if src.aligned {
        let mut frames = src.frames.clone();
        frames.insert(
            k,
            IvfFrame {
                index: 0,
                pts: 0,
                data: Vec::new(),
            },
        );
        let mut c = case(
            format!("{tag}/empty-frame-inserted"),
            src.bytes_with(&frames),
            Expect::Exact {
                frames: src.reference.clone(),
                code: 0,
            },
        );
        c.stderr_has = Some(format!("frame {k}:"));
        out.push(c);
    }
}

/// Key frame sizes: 0 x N, N x 0, 0 x 0, slightly off, and 16383 x 16383 beyond --sizelimit.
fn key_size_cases(src: &Source, k: usize, out: &mut Vec<Case>) {
    let frame = &src.frames[k].data;
    if frame.len() < 10 {
        return;
    }
    let tag = format!("{}/key{k}", src.name);
    let w = u16::from_le_bytes([frame[6], frame[7]]) & 0x3fff;
    let h = u16::from_le_bytes([frame[8], frame[9]]) & 0x3fff;
    let with_size = |nw: u16, nh: u16| {
        let mut data = frame.clone();
        let sw = u16::from_le_bytes([data[6], data[7]]) & 0xc000;
        let sh = u16::from_le_bytes([data[8], data[9]]) & 0xc000;
        data[6..8].copy_from_slice(&(sw | nw).to_le_bytes());
        data[8..10].copy_from_slice(&(sh | nh).to_le_bytes());
        src.with_frame(k, data)
    };
    let recover = src.recover_after(k);
    for (what, nw, nh) in [
        ("width0", 0, h),
        ("height0", w, 0),
        ("size0x0", 0, 0),
        ("wider", w + 17, h),
        ("shorter", w, h / 2 + 1),
    ] {
        out.push(case(
            format!("{tag}/{what}"),
            with_size(nw, nh),
            recover.clone(),
        ));
    }
    let mut c = case(
        format!("{tag}/16383x16383"),
        with_size(16383, 16383),
        recover.clone(),
    );
    c.stderr_has = Some(format!("frame {k}:"));
    out.push(c);
    if src.aligned {
        let mut c = case(
            format!("{tag}/16383x16383-strict"),
            with_size(16383, 16383),
            Expect::Exact {
                frames: src.reference[..src.shown_before(k)].to_vec(),
                code: 1,
            },
        );
        c.args.push("--strict".into());
        c.stderr_has = Some(format!("error: frame {k}:"));
        out.push(c);
    }
}

/// Damage to the container: cut files and bad IVF frame sizes. Decoding stops at the damage; the
/// output is exactly the reference's frames before it.
fn container_cases(src: &Source, rng: &mut XorShift, out: &mut Vec<Case>) {
    let whole = src.bytes_with(&src.frames);
    let tag = format!("{}/ivf", src.name);
    let before = |k: usize| {
        if src.aligned {
            Some(src.reference[..src.shown_before(k)].to_vec())
        } else {
            None
        }
    };
    let expect = |frames: Option<Vec<FrameMd5>>, code: i32| match frames {
        Some(frames) => Expect::Exact { frames, code },
        None => Expect::NoCrash,
    };
    for (cut, needle) in [
        (0, "empty file"),
        (10, "truncated IVF file header"),
        (31, "truncated IVF file header"),
    ] {
        let mut c = case(
            format!("{tag}/cut-at-{cut}"),
            whole[..cut].to_vec(),
            Expect::Exact {
                frames: Vec::new(),
                code: 1,
            },
        );
        c.stderr_has = Some(needle.into());
        out.push(c);
    }
    let n = src.frames.len();
    let mut ks = vec![0, n - 1, n / 2];
    ks.extend((0..3).map(|_| rng.below(n)));
    ks.sort_unstable();
    ks.dedup();
    for k in ks {
        let at = src.frame_offset(k);
        let len = src.frames[k].data.len();
        out.push(case(
            format!("{tag}/cut-at-frame{k}-start"),
            whole[..at].to_vec(),
            expect(before(k), 0),
        ));
        for (what, cut) in [
            ("header", at + 5),
            ("header-end", at + 12),
            ("payload", at + 12 + len / 2),
            ("payload-end", at + 12 + len - 1),
        ] {
            if cut >= at + 12 + len {
                continue;
            }
            let mut c = case(
                format!("{tag}/cut-in-frame{k}-{what}"),
                whole[..cut].to_vec(),
                expect(before(k), 1),
            );
            c.stderr_has = Some("truncated".into());
            out.push(c);
        }
        for (what, size, needle) in [
            (
                "beyond-file",
                (whole.len() - at - 12 + 1000) as u32,
                Some("truncated"),
            ),
            ("above-limit", u32::MAX, Some("limit")),
            ("half", (len / 2) as u32, None),
        ] {
            let mut bytes = whole.clone();
            bytes[at..at + 4].copy_from_slice(&size.to_le_bytes());
            let mut c = case(
                format!("{tag}/frame{k}-size-{what}"),
                bytes,
                if needle.is_some() {
                    expect(before(k), 1)
                } else {
                    Expect::NoCrash
                },
            );
            c.stderr_has = needle.map(String::from);
            out.push(c);
        }
    }
}

/// Two streams of different sizes back to back: the second's key frame changes the size; the
/// output is both references in a row.
fn concat_case(a: &Source, b: &Source) -> Option<Case> {
    if !a.aligned || !b.aligned {
        return None;
    }
    let mut frames = a.frames.clone();
    frames.extend(b.frames.iter().cloned());
    let mut expected = a.reference.clone();
    expected.extend(b.reference.iter().cloned());
    for (i, f) in expected.iter_mut().enumerate() {
        f.index = i as u64;
    }
    Some(case(
        format!("{}+{}/concatenated", a.name, b.name),
        a.bytes_with(&frames),
        Expect::Exact {
            frames: expected,
            code: 0,
        },
    ))
}

/// A handful of small streams that between them have several key frames, several token
/// partitions, hidden (altref) frames, odd sizes and size changes.
pub fn pick_sources(streams: &[CorpusStream]) -> Vec<Source> {
    let small: Vec<Source> = streams
        .iter()
        .filter(|s| std::fs::metadata(&s.ivf).is_ok_and(|m| m.len() <= 64 * 1024))
        .filter_map(Source::load)
        .filter(|s| !s.frames.is_empty() && s.frames.iter().all(|f| !f.data.is_empty()))
        .collect();
    fn pick(
        small: &[Source],
        picked: &mut Vec<usize>,
        pred: &dyn Fn(&Source) -> bool,
        count: usize,
    ) {
        let mut found = 0;
        for (i, s) in small.iter().enumerate() {
            if found == count {
                break;
            }
            if pred(s) && !picked.contains(&i) {
                picked.push(i);
                found += 1;
            }
        }
    }
    let sizes = |s: &Source| {
        let mut v: Vec<(usize, usize)> = s.reference.iter().map(|f| (f.width, f.height)).collect();
        v.dedup();
        v.len()
    };
    let mut picked: Vec<usize> = Vec::new();
    // Key frames with inter frames between them: recovery is checked after inter-frame damage.
    let spaced_keys =
        |s: &Source| s.keyframes().len() >= 3 && s.keyframes().len() * 2 < s.frames.len();
    pick(&small, &mut picked, &|s| spaced_keys(s) && sizes(s) == 1, 2);
    pick(
        &small,
        &mut picked,
        &|s| sizes(s) > 1 && s.keyframes().len() >= 3,
        1,
    );
    pick(
        &small,
        &mut picked,
        &|s| token_partition_count(&s.frames[0].data) >= 4,
        1,
    );
    pick(
        &small,
        &mut picked,
        &|s| s.frames.iter().any(|f| !is_shown(&f.data)),
        1,
    );
    pick(
        &small,
        &mut picked,
        &|s| s.header.width % 16 != 0 && s.header.height % 16 != 0 && s.header.width > 16,
        1,
    );
    let missing = 3usize.saturating_sub(picked.len());
    pick(&small, &mut picked, &|_| true, missing);
    picked.sort_unstable();
    small
        .into_iter()
        .enumerate()
        .filter(|(i, _)| picked.contains(i))
        .map(|(_, s)| s)
        .collect()
}

pub fn build_cases(sources: &[Source]) -> Vec<Case> {
    let mut rng = XorShift::new(0x0005_eed0_fb07);
    let mut cases = Vec::new();
    for src in sources {
        let n = src.frames.len();
        let keys = src.keyframes();
        // Damaged frames: the first key frame, a later key frame and the frames around it, a
        // middle inter frame and the last frame.
        let mut targets = vec![0, n / 2, n - 1];
        if let Some(&k1) = keys.get(1) {
            targets.extend([k1 - 1, k1, k1 / 2]);
        }
        targets.sort_unstable();
        targets.dedup();
        for k in targets {
            frame_cases(src, k, &mut rng, &mut cases);
        }
        for &k in keys.iter().take(2) {
            key_size_cases(src, k, &mut cases);
        }
        container_cases(src, &mut rng, &mut cases);
    }
    for pair in sources.windows(2) {
        if pair[0].reference.first().map(|f| (f.width, f.height))
            != pair[1].reference.first().map(|f| (f.width, f.height))
        {
            cases.extend(concat_case(&pair[0], &pair[1]));
        }
    }
    cases
}
