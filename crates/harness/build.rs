//! Records the target triple this harness was built for: the C peers are compiled for the same
//! target, through the same compiler discovery (the `cc` crate) that build scripts use.

fn main() {
    for name in ["TARGET", "HOST"] {
        let value = std::env::var(name).unwrap_or_default();
        println!("cargo:rustc-env=INTEROP_BUILD_{name}={value}");
    }
}
