//! With the `embed` feature: deflate-compresses the data files into
//! `OUT_DIR` for `include_bytes!`, and copies their header lines (so that
//! `--version` needs no decompression).

const FILES: [&str; 3] = ["sar.txt", "sar-desc.txt", "managed.txt"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    for f in FILES {
        println!("cargo::rerun-if-changed=data/{f}");
    }
    #[cfg(feature = "embed")]
    {
        let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
        for f in FILES {
            let text = std::fs::read(std::path::Path::new("data").join(f))?;
            let header = text.split(|&b| b == b'\n').next().unwrap_or(&[]);
            std::fs::write(out.join(format!("{f}.header")), header)?;
            // Level 9: within 1% of the maximum at a fraction of its time.
            let packed = miniz_oxide::deflate::compress_to_vec(&text, 9);
            std::fs::write(out.join(format!("{f}.deflate")), packed)?;
        }
    }
    Ok(())
}
