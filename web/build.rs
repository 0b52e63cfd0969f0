//! Copies the header lines of the AWS data files (which name the npm
//! packages and versions they were generated from) into `OUT_DIR`, so the
//! page can show the data version and record it in share links before, or
//! without, loading the data itself.

use std::io::BufRead;

const FILES: [&str; 2] = ["sar.txt", "managed.txt"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = std::path::Path::new("../crates/iamtrace-data/data");
    println!("cargo::rerun-if-changed=build.rs");
    let mut headers = String::new();
    for f in FILES {
        let path = data.join(f);
        println!("cargo::rerun-if-changed={}", path.display());
        let mut line = String::new();
        std::io::BufReader::new(std::fs::File::open(&path)?).read_line(&mut line)?;
        headers.push_str(line.trim_end());
        headers.push('\n');
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("data-headers.txt"), headers)?;
    Ok(())
}
