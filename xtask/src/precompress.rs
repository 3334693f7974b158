//! Compressed copies of the built files, written next to them (`app.wasm.gz`, `app.wasm.br`):
//! the server sends them to browsers that accept the encoding (tower-http's precompressed
//! `ServeDir`), so nothing is compressed per request and the copies can be compressed harder than
//! a server could afford on the fly: zopfli writes standard gzip about 4% smaller than
//! `gzip -9`, and brotli at quality 11 is smaller still for the browsers that take it.
use std::path::{Path, PathBuf};

use crate::pipeline::Failure;

/// The app's code and styles. Pages are left as they are: they are small, and the server
/// derives each page's script hashes (its CSP) from the file itself, which a stale compressed
/// copy could contradict.
pub const COMPRESSED_KINDS: &[&str] = &["wasm", "js", "css"];

/// Sizes of one file as served.
#[derive(Clone, Copy, Default)]
pub struct Sizes {
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, other: Sizes) {
        self.raw += other.raw;
        self.gzip += other.gzip;
        self.brotli += other.brotli;
    }
}

/// Writes `file.gz` and `file.br` for every file, two at a time (the build machine has two
/// cores and the wasm file takes most of the time), and returns each file's sizes.
pub fn precompress(files: &[PathBuf]) -> Result<Vec<Sizes>, Failure> {
    let mut sizes = vec![Sizes::default(); files.len()];
    // Largest first, so the wasm file does not start last.
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&index| std::cmp::Reverse(std::fs::metadata(&files[index]).map_or(0, |m| m.len())));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let position = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&index) = order.get(position) else { break };
                    let result = compress_file(&files[index]);
                    results.lock().unwrap_or_else(|poison| poison.into_inner()).push((index, result));
                }
            });
        }
    });
    for (index, result) in results.into_inner().unwrap_or_else(|poison| poison.into_inner()) {
        sizes[index] = result?;
    }
    Ok(sizes)
}

fn compress_file(path: &Path) -> Result<Sizes, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|error| Failure::new(format!("cannot read {}: {error}", path.display())))?;
    let gzip = gzip(&bytes).map_err(|error| Failure::new(format!("gzip of {}: {error}", path.display())))?;
    let brotli =
        brotli(&bytes).map_err(|error| Failure::new(format!("brotli of {}: {error}", path.display())))?;
    write(&with_suffix(path, "gz"), &gzip)?;
    write(&with_suffix(path, "br"), &brotli)?;
    Ok(Sizes { raw: bytes.len() as u64, gzip: gzip.len() as u64, brotli: brotli.len() as u64 })
}

fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    // More deflate blocks than zopfli's default 15 let each block's Huffman codes fit its part
    // of the file: the editor's wasm 5.5 KB smaller (about 100 splits is where it stops gaining),
    // for a few more seconds of compression. The other files gain nothing and lose nothing.
    let options = zopfli::Options { maximum_block_splits: 100, ..zopfli::Options::default() };
    zopfli::compress(options, zopfli::Format::Gzip, bytes, &mut out)?;
    Ok(out)
}

fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)?;
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|error| Failure::new(format!("cannot write {}: {error}", path.display())))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn both_encodings_give_back_the_bytes() {
        let bytes: Vec<u8> = (0..50_000u32).flat_map(|n| (n % 251).to_le_bytes()).collect();
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&super::gzip(&bytes).unwrap()[..]).read_to_end(&mut unzipped).unwrap();
        assert_eq!(unzipped, bytes);
        let mut unbrotlied = Vec::new();
        brotli::Decompressor::new(&super::brotli(&bytes).unwrap()[..], 4096)
            .read_to_end(&mut unbrotlied)
            .unwrap();
        assert_eq!(unbrotlied, bytes);
    }
}
