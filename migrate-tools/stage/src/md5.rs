//! MD5 references of the corpus: `.md5` files (the MD5 of everything `vpxdec --i420` writes) and
//! `.framemd5` files (one line per output picture, `<index> <W>x<H> <md5>`), parsed once here for
//! every test and tool.

use std::fmt;

pub use md5::{Digest, Md5};

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        write!(s, "{b:02x}").unwrap();
    }
    s
}

/// MD5 of `bytes`, lower-case hex.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex(&Md5::digest(bytes))
}

/// One line of a `.framemd5` file: `<index> <width>x<height> <md5>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameMd5 {
    pub index: u64,
    pub width: usize,
    pub height: usize,
    /// Lower-case hex.
    pub md5: String,
}

impl FrameMd5 {
    /// Size and md5, without the index (for comparing re-numbered outputs).
    pub fn content(&self) -> (usize, usize, &str) {
        (self.width, self.height, &self.md5)
    }
}

impl fmt::Display for FrameMd5 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}x{} {}",
            self.index, self.width, self.height, self.md5
        )
    }
}

/// Parse framemd5 text; blank lines and lines starting with '#' are skipped.
pub fn parse_framemd5(text: &str) -> Result<Vec<FrameMd5>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: not \"<index> <W>x<H> <md5>\": {line:?}", n + 1);
        let mut parts = line.split_whitespace();
        let (Some(index), Some(size), Some(md5), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let (w, h) = size.split_once('x').ok_or_else(bad)?;
        if md5.len() != 32 || !md5.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        out.push(FrameMd5 {
            index: index.parse().map_err(|_| bad())?,
            width: w.parse().map_err(|_| bad())?,
            height: h.parse().map_err(|_| bad())?,
            md5: md5.to_ascii_lowercase(),
        });
    }
    Ok(out)
}

/// The MD5 in a `.md5` file: its first word, lower-case (`vpxdec --md5` writes
/// `<md5>  <file name>`).
pub fn parse_md5_file(text: &str) -> Result<String, String> {
    let word = text.split_whitespace().next().unwrap_or("");
    if word.len() == 32 && word.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(word.to_ascii_lowercase())
    } else {
        Err(format!("not an MD5 file: starts with {word:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framemd5_lines() {
        let text = "#format: frame checksums\n\n0 176x144 0123456789ABCDEF0123456789abcdef\n";
        let f = parse_framemd5(text).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(
            f[0].content(),
            (176, 144, "0123456789abcdef0123456789abcdef")
        );
        assert_eq!(
            f[0].to_string(),
            "0 176x144 0123456789abcdef0123456789abcdef"
        );
        assert!(parse_framemd5("0 176x144 0123").is_err());
        assert!(parse_framemd5("0 176 0123456789abcdef0123456789abcdef").is_err());
        assert!(parse_framemd5("x 1x1 0123456789abcdef0123456789abcdef").is_err());
        assert!(parse_framemd5("0 1x1 0123456789abcdef0123456789abcdef extra").is_err());
    }

    #[test]
    fn md5_of_empty_input_and_md5_files() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            parse_md5_file("D41D8CD98F00B204E9800998ECF8427E  x.i420\n").unwrap(),
            "d41d8cd98f00b204e9800998ecf8427e"
        );
        assert!(parse_md5_file("").is_err());
    }
}
