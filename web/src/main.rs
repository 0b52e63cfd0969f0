//! The playground's entry point (built by Trunk for wasm32).

fn main() {
    #[cfg(target_arch = "wasm32")]
    iamtrace_web::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("iamtrace-web is a browser app: build it with `trunk build --release` (see web/README.md)");
}
