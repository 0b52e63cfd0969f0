// Trunk post-build hook: Trunk runs the hooks of one stage concurrently, so
// the steps that edit index.html run here one after the other.
await import("./lazy.mjs"); // dist/lazy/ and its <meta name="iamtrace-lazy">
await import("./csp.mjs"); // the Content-Security-Policy hashes
