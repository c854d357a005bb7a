//! The test corpus (`bench/corpus/streams`): IVF streams with the `.md5` and `.framemd5` files
//! vpxdec wrote for them, and the one bit-exactness check every stage's tests and `portlab
//! verify` share: decode with a [`StageDecoder`], compare each picture's MD5 and the MD5 of the
//! whole I420 output with the references.

use std::path::{Path, PathBuf};

use crate::md5::{Digest, FrameMd5, Md5, hex, parse_framemd5, parse_md5_file};
use crate::{Settings, StageDecoder, Vp8Stage, cpu_mask_word};

/// `bench/corpus/streams` of this workspace, or the folder named by `VP8_CORPUS_DIR`.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("VP8_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/corpus/streams"),
    }
}

/// A stream, with its reference files if any.
#[derive(Debug, Clone)]
pub struct CorpusStream {
    pub name: String,
    pub ivf: PathBuf,
    /// `NAME.framemd5` (or `NAME.ivf.framemd5`).
    pub framemd5: Option<PathBuf>,
    /// `NAME.md5` (or `NAME.ivf.md5`).
    pub md5: Option<PathBuf>,
}

impl CorpusStream {
    /// The payload of every IVF frame.
    pub fn frames(&self) -> Result<Vec<Vec<u8>>, String> {
        let bytes = std::fs::read(&self.ivf).map_err(|e| format!("{}: {e}", self.ivf.display()))?;
        let (_, frames) =
            crate::ivf::parse(&bytes).map_err(|e| format!("{}: {e}", self.ivf.display()))?;
        Ok(frames.into_iter().map(|f| f.data).collect())
    }

    /// The per-picture and whole-output MD5s vpxdec wrote; `None` without both files.
    pub fn reference(&self) -> Result<Option<(Vec<FrameMd5>, String)>, String> {
        let (Some(framemd5), Some(md5)) = (&self.framemd5, &self.md5) else {
            return Ok(None);
        };
        let read =
            |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let frames =
            parse_framemd5(&read(framemd5)?).map_err(|e| format!("{}: {e}", framemd5.display()))?;
        let whole = parse_md5_file(&read(md5)?).map_err(|e| format!("{}: {e}", md5.display()))?;
        Ok(Some((frames, whole)))
    }
}

/// The `*.ivf` files of `dir` (or `dir` itself if it is a file), sorted by name, with the
/// reference files found beside them.
pub fn corpus_streams(dir: &Path) -> Result<Vec<CorpusStream>, String> {
    let files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "ivf"))
            .collect()
    };
    let mut out: Vec<CorpusStream> = files
        .into_iter()
        .map(|ivf| {
            let stem = ivf.file_stem().unwrap().to_string_lossy().into_owned();
            let dir = ivf.parent().unwrap_or(Path::new(".")).to_path_buf();
            let find = |ext: &str| {
                [
                    dir.join(format!("{stem}.{ext}")),
                    dir.join(format!("{stem}.ivf.{ext}")),
                ]
                .into_iter()
                .find(|p| p.is_file())
            };
            CorpusStream {
                framemd5: find("framemd5"),
                md5: find("md5"),
                name: stem,
                ivf,
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Decode `frames` as vpxdec does (a frame that fails is skipped, decoding goes on): the MD5 of
/// every output picture and of the whole I420 output.
pub fn decode_md5s(decoder: &mut dyn StageDecoder, frames: &[Vec<u8>]) -> (Vec<FrameMd5>, String) {
    let mut pictures = Vec::new();
    let mut whole = Md5::new();
    for data in frames {
        if decoder.decode(data).is_err() {
            continue;
        }
        while let Some(p) = decoder.picture() {
            p.md5_update(&mut whole);
            pictures.push(FrameMd5 {
                index: pictures.len() as u64,
                width: p.width,
                height: p.height,
                md5: p.md5_hex(),
            });
        }
    }
    (pictures, hex(&whole.finalize()))
}

/// Decode every stream of the corpus with `stage` under `settings` and compare with the
/// references. `Ok(n)`: all `n` streams bit-exact. Every stream must have its references (a
/// check that compared fewer would prove less) and the corpus must not be empty.
pub fn check_corpus(stage: &dyn Vp8Stage, settings: &Settings) -> Result<usize, String> {
    let dir = corpus_dir();
    let streams = corpus_streams(&dir)?;
    if streams.is_empty() {
        return Err(format!("no *.ivf streams in {}", dir.display()));
    }
    let what = format!(
        "{} --cpumask {}",
        stage.name(),
        cpu_mask_word(settings.cpu_mask)
    );
    let mut failures = Vec::new();
    for s in &streams {
        let Some((want, want_md5)) = s.reference()? else {
            return Err(format!("{}: no .md5/.framemd5 beside it", s.ivf.display()));
        };
        let mut decoder = stage
            .open(settings)
            .map_err(|e| format!("{what}: cannot open a decoder: {e}"))?;
        let (got, md5) = decode_md5s(decoder.as_mut(), &s.frames()?);
        if let Some(i) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
            let show = |f: Option<&FrameMd5>| f.map_or("nothing".to_string(), |f| f.to_string());
            failures.push(format!(
                "  {}: output picture {i}: got {}, expected {}",
                s.name,
                show(got.get(i)),
                show(want.get(i))
            ));
        } else if md5 != want_md5 {
            failures.push(format!(
                "  {}: whole-output md5 {md5}, expected {want_md5}",
                s.name
            ));
        }
    }
    if failures.is_empty() {
        Ok(streams.len())
    } else {
        Err(format!(
            "{} of {} corpus streams differ from vpxdec ({what}):\n{}",
            failures.len(),
            streams.len(),
            failures.join("\n")
        ))
    }
}
