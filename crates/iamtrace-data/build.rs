//! With the `embed` feature: deflate-compresses the data files into
//! `OUT_DIR` for `include_bytes!`, and copies their header lines (so that
//! `--version` needs no decompression).
//!
//! `sar.txt` is compressed in groups of whole services (about 16 KB of text
//! each) with an index naming each service, its group and its number of
//! actions: a service's name needs no decompression, and its actions only
//! their group's (see `src/embedded.rs`).

const FILES: [&str; 3] = ["sar.txt", "sar-desc.txt", "managed.txt"];

/// Services are grouped up to this much text (a larger service is a group alone).
#[cfg(feature = "embed")]
const GROUP: usize = 16 << 10;

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
            if f == "sar.txt" {
                let (groups, index) = sar_groups(&String::from_utf8(text)?);
                std::fs::write(out.join("sar.txt.groups"), groups)?;
                std::fs::write(out.join("sar.txt.index"), index)?;
                continue;
            }
            std::fs::write(out.join(format!("{f}.deflate")), deflate(&text))?;
        }
    }
    Ok(())
}

/// Level 9: within 1% of the maximum at a fraction of its time.
#[cfg(feature = "embed")]
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

/// The groups, deflated one after the other, and the index:
/// `g <offset> <length> <inflated length>` for each group (the first holds what comes before
/// the first service, the last what follows the last one), then
/// `s <prefix> <name> <group> <actions>` for each service, in file order.
#[cfg(feature = "embed")]
fn sar_groups(text: &str) -> (Vec<u8>, String) {
    use std::fmt::Write;
    // Cut before each service and before the lines that follow the services.
    let mut sections: Vec<String> = vec![String::new()];
    let mut in_services = false;
    for line in text.split_inclusive('\n') {
        let starts_service = line.starts_with("S\t");
        let after_services = in_services && (line.starts_with("X\t") || line.starts_with("M\t"));
        if starts_service || after_services {
            sections.push(String::new());
            in_services = starts_service;
        }
        if let Some(last) = sections.last_mut() {
            last.push_str(line);
        }
    }
    let mut groups: Vec<String> = Vec::new();
    let mut services = String::new();
    for (i, section) in sections.iter().enumerate() {
        let is_service = section.starts_with("S\t");
        let full = groups.last().is_none_or(|g| g.len() + section.len() > GROUP);
        // The first section (header, global keys) and the last (after the services) stand alone.
        if i <= 1 || !is_service && i + 1 == sections.len() || full {
            groups.push(String::new());
        }
        if is_service {
            let head = section.lines().next().unwrap_or("");
            let mut fields = head.split('\t').skip(1);
            let (prefix, name) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
            let actions = section.lines().filter(|l| l.starts_with("A\t")).count();
            let _ = writeln!(services, "s\t{prefix}\t{name}\t{}\t{actions}", groups.len() - 1);
        }
        if let Some(last) = groups.last_mut() {
            last.push_str(section);
        }
    }
    let mut packed = Vec::new();
    let mut index = String::new();
    for g in &groups {
        let bytes = deflate(g.as_bytes());
        let _ = writeln!(index, "g\t{}\t{}\t{}", packed.len(), bytes.len(), g.len());
        packed.extend_from_slice(&bytes);
    }
    index.push_str(&services);
    (packed, index)
}
