//! gzip and zstd: recognised by magic bytes, undone as a stream.
//!
//! Errors of the decompressor are rewritten into messages that say what happened to the archive
//! ("gzip archive is truncated"), so every reader can pass them on unchanged.

use std::io::{self, BufRead, Read};

use flate2::bufread::MultiGzDecoder;
use ruzstd::decoding::{FrameDecoder, StreamingDecoder};

/// A compression format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// The format whose magic bytes start `head`.
    pub(crate) fn sniff(head: &[u8]) -> Option<Compression> {
        if head.starts_with(&[0x1f, 0x8b]) {
            Some(Compression::Gzip)
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Some(Compression::Zstd)
        } else {
            None
        }
    }

    /// The decompressed stream of `r`.
    pub(crate) fn decoder<R: BufRead + Send + 'static>(self, r: R) -> Box<dyn Read + Send> {
        match self {
            Compression::Gzip => Box::new(Tagged {
                inner: MultiGzDecoder::new(r),
                format: "gzip",
            }),
            Compression::Zstd => Box::new(Tagged {
                inner: ZstdFrames::Idle(r),
                format: "zstd",
            }),
        }
    }
}

/// `name` without its compression extension: `a.warc.gz` → `a.warc`.
pub(crate) fn strip_extension(name: &str) -> &str {
    for ext in [".gz", ".gzip", ".zst", ".zstd"] {
        if name.len() > ext.len() && name[name.len() - ext.len()..].eq_ignore_ascii_case(ext) {
            return &name[..name.len() - ext.len()];
        }
    }
    name
}

/// Rewrites a decompressor's errors: "gzip archive is truncated", "gzip archive is corrupt: …".
struct Tagged<R> {
    inner: R,
    format: &'static str,
}

impl<R: Read> Read for Tagged<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner
            .read(buf)
            .map_err(|e| archive_error(self.format, &e))
    }
}

/// The error a decompressor's `e` means for the archive.
pub(crate) fn archive_error(format: &str, e: &io::Error) -> io::Error {
    let text = e.to_string();
    let truncated = e.kind() == io::ErrorKind::UnexpectedEof
        || text.contains("end of file")
        || text.contains("EOF")
        || text.contains("not enough bytes")
        || text.contains("NotEnoughBytes");
    if truncated {
        io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("{format} archive is truncated"),
        )
    } else {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{format} archive is corrupt ({text})"),
        )
    }
}

/// A zstd stream of one or more frames (ruzstd's decoder reads one frame).
enum ZstdFrames<R: Read> {
    Idle(R),
    Frame(Box<StreamingDecoder<R, FrameDecoder>>),
    Done,
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(self, ZstdFrames::Done) {
                ZstdFrames::Done => return Ok(0),
                ZstdFrames::Idle(mut source) => {
                    if source.fill_buf()?.is_empty() {
                        return Ok(0);
                    }
                    match StreamingDecoder::new(source) {
                        Ok(decoder) => *self = ZstdFrames::Frame(Box::new(decoder)),
                        Err(e) => {
                            return Err(io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
                        }
                    }
                }
                ZstdFrames::Frame(mut decoder) => {
                    let n = decoder.read(buf)?;
                    if n > 0 {
                        *self = ZstdFrames::Frame(decoder);
                        return Ok(n);
                    }
                    *self = ZstdFrames::Idle(decoder.into_inner());
                }
            }
        }
    }
}

/// Reads up to `n` bytes (fewer only at the end of `r`).
pub(crate) fn read_head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(n.min(1 << 16));
    r.take(n as u64).read_to_end(&mut head)?;
    Ok(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn decode_all(c: Compression, bytes: Vec<u8>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        c.decoder(io::Cursor::new(bytes)).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn sniffs_magic_and_names() {
        assert_eq!(Compression::sniff(&gzip(b"x")), Some(Compression::Gzip));
        assert_eq!(
            Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Some(Compression::Zstd)
        );
        assert_eq!(Compression::sniff(b"hello"), None);
        assert_eq!(strip_extension("a.warc.gz"), "a.warc");
        assert_eq!(strip_extension("a.jsonl.zst"), "a.jsonl");
        assert_eq!(strip_extension(".gz"), ".gz");
    }

    #[test]
    fn gzip_multi_member() {
        let mut bytes = gzip(b"one\n");
        bytes.extend(gzip(b"two\n"));
        assert_eq!(
            decode_all(Compression::Gzip, bytes).unwrap(),
            b"one\ntwo\n".to_vec()
        );
    }

    #[test]
    fn gzip_truncated_is_named() {
        let data: Vec<u8> = (0..20000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut bytes = gzip(&data);
        bytes.truncate(bytes.len() / 2);
        let e = decode_all(Compression::Gzip, bytes).unwrap_err();
        assert_eq!(e.to_string(), "gzip archive is truncated");
    }

    #[test]
    fn zstd_frames() {
        let mut bytes = ruzstd::encoding::compress_to_vec(
            &b"one\n"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        bytes.extend(ruzstd::encoding::compress_to_vec(
            &b"two\n"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        ));
        assert_eq!(
            decode_all(Compression::Zstd, bytes).unwrap(),
            b"one\ntwo\n".to_vec()
        );
    }

    #[test]
    fn zstd_truncated_is_an_error() {
        let data: Vec<u8> = (0..20000u32).flat_map(|i| i.to_le_bytes()).collect();
        let mut bytes = ruzstd::encoding::compress_to_vec(
            &data[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        bytes.truncate(bytes.len() / 2);
        let e = decode_all(Compression::Zstd, bytes).unwrap_err();
        assert!(e.to_string().starts_with("zstd archive is"), "{e}");
    }
}
