//! The IVF container: a 32-byte file header ("DKIF", version, header size, fourcc, width, height,
//! time base, frame count), then per frame a 12-byte header (payload size, timestamp, both
//! little-endian) and the payload. The Rust twin of `tools/ivf.c`, with the same checks and
//! limits, plus a writer so tests can build (and break) streams.

use std::fmt;
use std::io::{self, Read, Write};

/// Frames larger than this are refused as corrupt (the C CLI and vpxdec use the same limit).
pub const MAX_FRAME_SIZE: u32 = 256 * 1024 * 1024;

/// The file header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IvfHeader {
    pub version: u16,
    pub header_size: u16,
    pub fourcc: [u8; 4],
    pub width: u16,
    pub height: u16,
    /// Time base denominator (bytes 16..19): ticks per second for `scale` = 1.
    pub rate: u32,
    /// Time base numerator (bytes 20..23).
    pub scale: u32,
    /// As written by the muxer; not trusted.
    pub frame_count: u32,
}

impl IvfHeader {
    /// A VP8 header with a time base of 1/`rate`.
    pub fn vp8(width: u16, height: u16, rate: u32, frame_count: u32) -> IvfHeader {
        IvfHeader {
            version: 0,
            header_size: 32,
            fourcc: *b"VP80",
            width,
            height,
            rate,
            scale: 1,
            frame_count,
        }
    }

    pub fn parse(bytes: &[u8; 32]) -> Result<IvfHeader, IvfError> {
        if &bytes[0..4] != b"DKIF" {
            return Err(IvfError::NotIvf {
                start: bytes[0..4].try_into().unwrap(),
            });
        }
        let le16 = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
        let le32 = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let header = IvfHeader {
            version: le16(4),
            header_size: le16(6),
            fourcc: bytes[8..12].try_into().unwrap(),
            width: le16(12),
            height: le16(14),
            rate: le32(16),
            scale: le32(20),
            frame_count: le32(24),
        };
        if &header.fourcc != b"VP80" {
            return Err(IvfError::NotVp8 {
                fourcc: header.fourcc,
            });
        }
        Ok(header)
    }

    pub fn to_bytes(&self) -> [u8; 32] {
        let mut b = [0u8; 32];
        b[0..4].copy_from_slice(b"DKIF");
        b[4..6].copy_from_slice(&self.version.to_le_bytes());
        b[6..8].copy_from_slice(&self.header_size.to_le_bytes());
        b[8..12].copy_from_slice(&self.fourcc);
        b[12..14].copy_from_slice(&self.width.to_le_bytes());
        b[14..16].copy_from_slice(&self.height.to_le_bytes());
        b[16..20].copy_from_slice(&self.rate.to_le_bytes());
        b[20..24].copy_from_slice(&self.scale.to_le_bytes());
        b[24..28].copy_from_slice(&self.frame_count.to_le_bytes());
        b
    }
}

/// One frame: its index in the file (from 0), timestamp and payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvfFrame {
    pub index: u64,
    pub pts: u64,
    pub data: Vec<u8>,
}

#[derive(Debug)]
pub enum IvfError {
    Io(io::Error),
    /// The file does not start with "DKIF".
    NotIvf {
        start: [u8; 4],
    },
    /// The fourcc is not "VP80".
    NotVp8 {
        fourcc: [u8; 4],
    },
    /// The file ends inside the 32-byte file header.
    TruncatedFileHeader {
        got: usize,
    },
    /// The file ends inside the extra header bytes the header size field declares.
    TruncatedLongHeader {
        header_size: u16,
    },
    /// The file ends inside a 12-byte frame header.
    TruncatedFrameHeader {
        frame: u64,
        got: usize,
    },
    /// The file ends inside a frame's payload.
    TruncatedFrame {
        frame: u64,
        size: u32,
        got: usize,
    },
    /// A frame size above [`MAX_FRAME_SIZE`].
    FrameTooLarge {
        frame: u64,
        size: u32,
    },
}

impl fmt::Display for IvfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IvfError::Io(e) => write!(f, "read error: {e}"),
            IvfError::NotIvf { start } => {
                write!(
                    f,
                    "not an IVF file (starts with {:?}, expected \"DKIF\")",
                    String::from_utf8_lossy(start)
                )
            }
            IvfError::NotVp8 { fourcc } => {
                write!(
                    f,
                    "IVF fourcc is {:?}, not \"VP80\": not a VP8 stream",
                    String::from_utf8_lossy(fourcc)
                )
            }
            IvfError::TruncatedFileHeader { got } => {
                write!(f, "truncated IVF file header ({got} of 32 bytes)")
            }
            IvfError::TruncatedLongHeader { header_size } => write!(
                f,
                "truncated IVF file header (header size field says {header_size} bytes)"
            ),
            IvfError::TruncatedFrameHeader { frame, got } => {
                write!(
                    f,
                    "frame {frame}: truncated IVF frame header ({got} of 12 bytes)"
                )
            }
            IvfError::TruncatedFrame { frame, size, got } => write!(
                f,
                "frame {frame}: truncated: the IVF frame header says {size} bytes, the file ends after {got}"
            ),
            IvfError::FrameTooLarge { frame, size } => write!(
                f,
                "frame {frame}: IVF frame size {size} bytes exceeds the {} MiB limit",
                MAX_FRAME_SIZE >> 20
            ),
        }
    }
}

impl std::error::Error for IvfError {}

impl From<io::Error> for IvfError {
    fn from(e: io::Error) -> Self {
        IvfError::Io(e)
    }
}

/// Read as much of `buf` as the reader has; returns the count (short only at end of input).
fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Sequential IVF reader (works on pipes; wrap files in a `BufReader`).
#[derive(Debug)]
pub struct IvfReader<R> {
    inner: R,
    header: IvfHeader,
    next_index: u64,
}

impl<R: Read> IvfReader<R> {
    /// Read and check the file header.
    pub fn new(mut inner: R) -> Result<IvfReader<R>, IvfError> {
        let mut h = [0u8; 32];
        let got = read_full(&mut inner, &mut h)?;
        if got < 4 || (got < 32 && &h[0..4] == b"DKIF") {
            return Err(IvfError::TruncatedFileHeader { got });
        }
        if got < 32 {
            return Err(IvfError::NotIvf {
                start: h[0..4].try_into().unwrap(),
            });
        }
        let header = IvfHeader::parse(&h)?;
        // A longer header is allowed by the format: skip the extra bytes.
        let extra = u64::from(header.header_size.saturating_sub(32));
        let skipped = io::copy(&mut (&mut inner).take(extra), &mut io::sink())?;
        if skipped < extra {
            return Err(IvfError::TruncatedLongHeader {
                header_size: header.header_size,
            });
        }
        Ok(IvfReader {
            inner,
            header,
            next_index: 0,
        })
    }

    pub fn header(&self) -> &IvfHeader {
        &self.header
    }

    /// The next frame, `None` at a clean end of file.
    pub fn next_frame(&mut self) -> Result<Option<IvfFrame>, IvfError> {
        let frame = self.next_index;
        let mut h = [0u8; 12];
        let got = read_full(&mut self.inner, &mut h)?;
        if got == 0 {
            return Ok(None);
        }
        if got < 12 {
            return Err(IvfError::TruncatedFrameHeader { frame, got });
        }
        let size = u32::from_le_bytes(h[0..4].try_into().unwrap());
        let pts = u64::from_le_bytes(h[4..12].try_into().unwrap());
        if size > MAX_FRAME_SIZE {
            return Err(IvfError::FrameTooLarge { frame, size });
        }
        // Grow with the bytes actually present, so a huge size field on a short file is cheap.
        let mut data = Vec::new();
        (&mut self.inner)
            .take(u64::from(size))
            .read_to_end(&mut data)?;
        if data.len() < size as usize {
            return Err(IvfError::TruncatedFrame {
                frame,
                size,
                got: data.len(),
            });
        }
        self.next_index += 1;
        Ok(Some(IvfFrame {
            index: frame,
            pts,
            data,
        }))
    }
}

impl<R: Read> Iterator for IvfReader<R> {
    type Item = Result<IvfFrame, IvfError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_frame().transpose()
    }
}

/// Read a whole IVF file held in memory.
pub fn parse(bytes: &[u8]) -> Result<(IvfHeader, Vec<IvfFrame>), IvfError> {
    let mut reader = IvfReader::new(bytes)?;
    let mut frames = Vec::new();
    while let Some(frame) = reader.next_frame()? {
        frames.push(frame);
    }
    Ok((*reader.header(), frames))
}

/// Write a frame header and payload.
pub fn write_frame(out: &mut impl Write, pts: u64, data: &[u8]) -> io::Result<()> {
    let size = u32::try_from(data.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "IVF frame above 4 GiB"))?;
    out.write_all(&size.to_le_bytes())?;
    out.write_all(&pts.to_le_bytes())?;
    out.write_all(data)
}

/// Serialize a header and frames into an IVF file.
pub fn to_bytes(header: &IvfHeader, frames: &[IvfFrame]) -> Vec<u8> {
    let mut out = header.to_bytes().to_vec();
    for f in frames {
        write_frame(&mut out, f.pts, &f.data).expect("writing to a Vec cannot fail");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let frames = vec![
            IvfFrame {
                index: 0,
                pts: 0,
                data: vec![1, 2, 3],
            },
            IvfFrame {
                index: 1,
                pts: 1,
                data: vec![],
            },
            IvfFrame {
                index: 2,
                pts: 7,
                data: vec![9; 100],
            },
        ];
        to_bytes(&IvfHeader::vp8(16, 16, 30, 3), &frames)
    }

    #[test]
    fn round_trip() {
        let bytes = sample();
        let (header, frames) = parse(&bytes).unwrap();
        assert_eq!(header, IvfHeader::vp8(16, 16, 30, 3));
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[2].pts, 7);
        assert_eq!(frames[2].data, vec![9; 100]);
        assert!(frames[1].data.is_empty());
    }

    #[test]
    fn truncations_are_reported() {
        let bytes = sample();
        assert!(matches!(
            parse(&bytes[..0]),
            Err(IvfError::TruncatedFileHeader { got: 0 })
        ));
        assert!(matches!(
            parse(&bytes[..20]),
            Err(IvfError::TruncatedFileHeader { got: 20 })
        ));
        assert!(matches!(
            parse(&bytes[..32 + 5]),
            Err(IvfError::TruncatedFrameHeader { frame: 0, got: 5 })
        ));
        assert!(matches!(
            parse(&bytes[..bytes.len() - 1]),
            Err(IvfError::TruncatedFrame {
                frame: 2,
                size: 100,
                got: 99
            })
        ));
    }

    #[test]
    fn bad_signature_fourcc_and_size() {
        let mut bytes = sample();
        bytes[8..12].copy_from_slice(b"VP90");
        assert!(matches!(parse(&bytes), Err(IvfError::NotVp8 { .. })));
        let mut bytes = sample();
        bytes[0] = b'X';
        assert!(matches!(parse(&bytes), Err(IvfError::NotIvf { .. })));
        let mut bytes = sample();
        bytes[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bytes),
            Err(IvfError::FrameTooLarge { frame: 0, .. })
        ));
        assert!(parse(b"not an ivf file at all, but long enough").is_err());
    }
}
