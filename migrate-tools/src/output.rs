//! The output writers ("muxers") of the Rust `vp8dec`: the twins of `upstream-c/tools/output.c`,
//! writing byte for byte what the C CLI writes.
//!
//! | muxer | writes |
//! |---|---|
//! | `yuv` | raw I420 per picture: Y, U, V at the coded size, no stride padding, chroma `(w+1)/2 x (h+1)/2` (= `vpxdec --i420`) |
//! | `y4m` | `YUV4MPEG2 W<w> H<h> F<num>:<den> Ip A0:0 C420jpeg`, then `FRAME` + the yuv bytes per picture; a size change is an error |
//! | `md5` | one line: the MD5 of the bytes `yuv` would write |
//! | `framemd5` | per picture `<index> <W>x<H> <md5>` (the corpus `*.framemd5` format) |
//! | `null` | nothing |

use std::fs::File;
use std::io::{self, BufWriter, Write};

use md5::{Digest, Md5};

use crate::stage::{Picture, hex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Muxer {
    Yuv,
    Y4m,
    Md5,
    FrameMd5,
    Null,
}

impl Muxer {
    pub const NAMES: [&'static str; 5] = ["yuv", "y4m", "md5", "framemd5", "null"];

    pub fn from_name(name: &str) -> Option<Muxer> {
        match name {
            "yuv" => Some(Muxer::Yuv),
            "y4m" => Some(Muxer::Y4m),
            "md5" => Some(Muxer::Md5),
            "framemd5" => Some(Muxer::FrameMd5),
            "null" => Some(Muxer::Null),
            _ => None,
        }
    }

    /// From an output path: "-" is yuv, otherwise the extension (.yuv, .y4m, .md5, .framemd5,
    /// .null) as `output_muxer_from_path` reads it.
    pub fn from_path(path: &str) -> Option<Muxer> {
        if path == "-" {
            return Some(Muxer::Yuv);
        }
        let dot = path.rfind('.')?;
        if path.rfind('/').is_some_and(|slash| dot < slash) {
            return None;
        }
        Muxer::from_name(&path[dot + 1..])
    }

    pub fn name(self) -> &'static str {
        match self {
            Muxer::Yuv => "yuv",
            Muxer::Y4m => "y4m",
            Muxer::Md5 => "md5",
            Muxer::FrameMd5 => "framemd5",
            Muxer::Null => "null",
        }
    }
}

/// The y4m frame rate from the IVF header's time base, read as vpxdec reads it (see output.c):
/// a rate below 1000 ticks per second is 1/(2*fps) as old vpxenc wrote it; anything else is
/// unknown and becomes 30 fps.
pub fn y4m_rate(rate: u32, scale: u32) -> (u32, u32) {
    if scale > 0 && scale < 1_000_000_000 && rate > 0 && rate < 1000 {
        if rate & 1 != 0 {
            (rate, scale.wrapping_mul(2))
        } else {
            (rate / 2, scale)
        }
    } else {
        (30, 1)
    }
}

/// An open output.
pub struct Output {
    muxer: Muxer,
    file: Option<Box<dyn Write>>,
    /// For messages: "stdout" or the path.
    name: String,
    rate: (u32, u32),
    width: usize,
    height: usize,
    /// Pictures written.
    pub frames: u64,
    md5: Md5,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output")
            .field("muxer", &self.muxer)
            .field("name", &self.name)
            .field("frames", &self.frames)
            .finish_non_exhaustive()
    }
}

impl Output {
    /// Open `path` (None or "-" = stdout) for `muxer`; the null muxer opens nothing.
    /// `rate`/`scale` is the IVF header's time base. Err is the message after "vp8dec: error: ".
    pub fn open(muxer: Muxer, path: Option<&str>, rate: u32, scale: u32) -> Result<Output, String> {
        let (file, name): (Option<Box<dyn Write>>, String) = match (muxer, path) {
            (Muxer::Null, _) => (None, "null".to_string()),
            (_, None) | (_, Some("-")) => (
                Some(Box::new(BufWriter::with_capacity(1 << 20, stdout_writer()))),
                "stdout".to_string(),
            ),
            (_, Some(p)) => match File::create(p) {
                Ok(f) => (
                    Some(Box::new(BufWriter::with_capacity(1 << 20, f))),
                    p.to_string(),
                ),
                Err(e) => return Err(format!("cannot create {p}: {}", io_message(&e))),
            },
        };
        Ok(Output {
            muxer,
            file,
            name,
            rate: y4m_rate(rate, scale),
            width: 0,
            height: 0,
            frames: 0,
            md5: Md5::new(),
        })
    }

    fn write_error(&self, e: &io::Error) -> String {
        format!("write error on {}: {}", self.name, io_message(e))
    }

    /// Write one picture. Err: the message (write error, y4m size change). After a write
    /// error the output is dropped, so `close` does not report it a second time.
    pub fn write(&mut self, pic: &Picture<'_>) -> Result<(), String> {
        let size_changed =
            self.frames > 0 && (pic.width != self.width || pic.height != self.height);
        if size_changed && self.muxer == Muxer::Y4m {
            return Err(format!(
                "the picture size changes from {}x{} to {}x{} at output frame {}; a y4m file \
                 holds one size: use --muxer yuv, md5 or framemd5 for this stream",
                self.width, self.height, pic.width, pic.height, self.frames
            ));
        }
        if size_changed && self.muxer == Muxer::Yuv {
            eprintln!(
                "vp8dec: warning: the picture size changes from {}x{} to {}x{} at output frame \
                 {}; the raw yuv output now mixes sizes",
                self.width, self.height, pic.width, pic.height, self.frames
            );
        }
        self.width = pic.width;
        self.height = pic.height;
        let result = match self.muxer {
            Muxer::Y4m => {
                let (num, den) = self.rate;
                let first = self.frames == 0;
                let f = self.file.as_mut().expect("y4m output has a file");
                (|| {
                    if first {
                        writeln!(
                            f,
                            "YUV4MPEG2 W{} H{} F{num}:{den} Ip A0:0 C420jpeg",
                            pic.width, pic.height
                        )?;
                    }
                    f.write_all(b"FRAME\n")?;
                    pic.write_i420(f)
                })()
            }
            Muxer::Yuv => pic.write_i420(self.file.as_mut().expect("yuv output has a file")),
            Muxer::Md5 => {
                pic.md5_update(&mut self.md5);
                Ok(())
            }
            Muxer::FrameMd5 => {
                let line = format!(
                    "{} {}x{} {}\n",
                    self.frames,
                    pic.width,
                    pic.height,
                    pic.md5_hex()
                );
                self.file
                    .as_mut()
                    .expect("framemd5 output has a file")
                    .write_all(line.as_bytes())
            }
            Muxer::Null => Ok(()),
        };
        if let Err(e) = result {
            let msg = self.write_error(&e);
            self.discard();
            return Err(msg);
        }
        self.frames += 1;
        Ok(())
    }

    /// Forget the output after a write error: the buffered bytes are dropped unwritten (a
    /// second attempt would fail again and report the same error twice).
    fn discard(&mut self) {
        if let Some(f) = self.file.take() {
            // Leaking the writer is what skips BufWriter's flush-on-drop; it is a few bytes of
            // bookkeeping on a path that ends the program.
            std::mem::forget(f);
        }
    }

    /// Finish (the md5 muxer prints its line here, if any picture was decoded) and flush.
    /// Err: the message.
    pub fn close(&mut self) -> Result<(), String> {
        let mut status = Ok(());
        if let Some(mut f) = self.file.take() {
            if self.muxer == Muxer::Md5 && self.frames > 0 {
                let digest = std::mem::take(&mut self.md5).finalize();
                if let Err(e) = writeln!(f, "{}", hex(&digest)) {
                    status = Err(self.write_error(&e));
                }
            }
            if let Err(e) = f.flush() {
                if status.is_ok() {
                    status = Err(self.write_error(&e));
                }
            }
        }
        status
    }
}

/// Standard output as a file of its own (a duplicate of descriptor 1), so that writing to a
/// closed stdout fails with EBADF as in C instead of being swallowed as `io::stdout()` does;
/// if descriptor 1 is closed every write fails with that error.
fn stdout_writer() -> Box<dyn Write> {
    use std::os::fd::AsFd;
    match io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(File::from(fd)),
        Err(e) => Box::new(FailingWriter(e.raw_os_error())),
    }
}

/// A writer whose every write fails with one OS error (a closed stdout).
struct FailingWriter(Option<i32>);

impl FailingWriter {
    fn error(&self) -> io::Error {
        match self.0 {
            Some(code) => io::Error::from_raw_os_error(code),
            None => io::Error::other("cannot use stdout"),
        }
    }
}

impl Write for FailingWriter {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(self.error())
    }

    /// Nothing is ever pending, so there is nothing to fail on (C's fflush of an empty
    /// buffer on a closed descriptor succeeds too).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// An io::Error as strerror() would say it ("No such file or directory"), without Rust's
/// " (os error 2)" suffix.
pub fn io_message(e: &io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn muxer_from_path_like_output_c() {
        assert_eq!(Muxer::from_path("-"), Some(Muxer::Yuv));
        assert_eq!(Muxer::from_path("a/b.y4m"), Some(Muxer::Y4m));
        assert_eq!(Muxer::from_path("x.framemd5"), Some(Muxer::FrameMd5));
        assert_eq!(Muxer::from_path("x.null"), Some(Muxer::Null));
        assert_eq!(Muxer::from_path("a.d/b"), None);
        assert_eq!(Muxer::from_path("out"), None);
        assert_eq!(Muxer::from_path("x.YUV"), None);
    }

    #[test]
    fn y4m_rate_like_vpxdec() {
        assert_eq!(y4m_rate(60, 1), (30, 1));
        assert_eq!(y4m_rate(25, 1), (25, 2));
        assert_eq!(y4m_rate(1000, 1), (30, 1));
        assert_eq!(y4m_rate(30, 0), (30, 1));
    }
}
